-- title: Interest rate by Call Me Back configuration
-- description: Share of users who said they are interested, per configuration, with a 95% Wilson interval, over all businesses and days together. Requests without an answer count as unknown. Configurations that ran at different businesses or on different days are not compared like for like here: the decision above compares each business's configurations over their shared days.
-- chart: bars
-- x: cmb_config_name
-- y: interest_rate
-- low: ci_low
-- high: ci_high
-- y_label: interest rate (share of answered requests, 95% interval)
-- y_unit: percent
-- n: requests
-- color: x
-- x_label: configuration
SELECT coalesce(cmb_config_name, '(none)') AS cmb_config_name,
       count(*) AS requests,
       count(*) FILTER (WHERE is_interested) AS interested,
       count(*) FILTER (WHERE NOT is_interested) AS not_interested,
       count(*) FILTER (WHERE is_interested IS NULL) AS unknown,
       interested / nullif(interested + not_interested, 0) AS interest_rate,
       wilson_low(interested, interested + not_interested) AS ci_low,
       wilson_high(interested, interested + not_interested) AS ci_high
FROM report_cmb
GROUP BY 1
ORDER BY interest_rate DESC NULLS LAST, cmb_config_name;
