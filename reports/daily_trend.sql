-- title: Daily requests and interest rate
-- description: Requests per local day and configuration, and the share of answered requests that were interested. Interest rates resting on fewer than 20 requests that day are not drawn (they swing between 0% and 100%); the table has them all. The newest day may be incomplete.
-- chart: lines
-- x: day
-- series: cmb_config_name
-- y: requests
-- y_unit: count
-- y_label: requests
-- y2: interest_rate
-- y2_unit: percent
-- y2_label: interest rate
-- y2_n: requests
-- y2_min_n: 20
-- x_label: day ({tz})
SELECT requested_local::DATE AS day,
       coalesce(cmb_config_name, '(none)') AS cmb_config_name,
       count(*) AS requests,
       count(*) FILTER (WHERE is_interested) AS interested,
       interested / nullif(count(*) FILTER (WHERE is_interested IS NOT NULL), 0) AS interest_rate
FROM report_cmb
GROUP BY 1, 2
ORDER BY 1, 2;
