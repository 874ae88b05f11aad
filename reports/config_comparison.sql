-- title: Each configuration against its business's leader
-- description: Difference in interest rate to the configuration that leads in the same business, over the days on which they all ran, with the always-valid 95% interval (corrected for the number of pairs) and p-value of the configuration decision: they stay valid however often the report is read. leads is true only for a clear leader.
-- chart: bars
-- x: cmb_config_name
-- y: diff
-- low: cs_low
-- high: cs_high
-- x_label: configuration
-- y_label: interest rate minus the leader's
-- y_unit: points
-- color: config
-- reference: best_config
-- reference_value: best_rate
-- reference_unit: percent
-- format: interest_rate=percent, best_rate=percent, diff=points, cs_low=points, cs_high=points
SELECT CASE WHEN (SELECT count(DISTINCT business) FROM report_decision) > 1
            THEN config || ' · ' || left(business, 8)
            ELSE config END AS cmb_config_name,
       business,
       CASE WHEN (SELECT count(DISTINCT business) FROM report_decision) > 1
            THEN leader || ' · ' || left(business, 8)
            ELSE leader END AS best_config,
       interest_rate,
       leader_rate AS best_rate,
       diff,
       cs_low,
       cs_high,
       p_always_valid AS p_value,
       leads,
       config
FROM report_decision
ORDER BY business, interest_rate DESC, config;
