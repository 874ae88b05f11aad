-- title: How far ahead users want the call, and delivery lag
-- description: callback_lead = preferred callback time minus request time; delivery_lag = event creation minus request time. The CSV has seconds; the page and chart show seconds, minutes, hours or days.
-- chart: percentile_bars
-- x: cmb_config_name
-- series: metric
-- y: p50_s
-- y_label: median
-- y_unit: seconds
-- n: n
-- color: x
-- x_label: configuration
-- series_names: callback_lead = how far ahead users want the call; delivery_lag = delivery lag (event created − requested)
WITH m AS (
    SELECT coalesce(cmb_config_name, '(none)') AS cmb_config_name, 'callback_lead' AS metric,
           epoch(preferred_from) - epoch(requested_at) AS s
    FROM report_cmb WHERE preferred_from IS NOT NULL AND requested_at IS NOT NULL
    UNION ALL
    SELECT coalesce(cmb_config_name, '(none)'), 'delivery_lag',
           epoch(created_at) - epoch(requested_at)
    FROM report_cmb WHERE created_at IS NOT NULL AND requested_at IS NOT NULL
)
SELECT cmb_config_name,
       metric,
       count(*) AS n,
       quantile_cont(s, 0.5) AS p50_s,
       quantile_cont(s, 0.9) AS p90_s,
       quantile_cont(s, 0.99) AS p99_s,
       avg(s) AS mean_s
FROM m
GROUP BY 1, 2
ORDER BY 1, 2;
