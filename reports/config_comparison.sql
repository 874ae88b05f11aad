-- title: Each configuration against the best one
-- description: Difference in interest rate to the configuration with the highest rate, and the two-sided p-value of a pooled two-proportion z-test (small p: the difference is unlikely to be chance).
-- chart: bars
-- x: cmb_config_name
-- y: diff
-- x_label: configuration
-- y_label: interest rate minus the best configuration's
-- y_unit: points
-- color: x
-- reference: best_config
-- reference_value: best_rate
-- reference_unit: percent
WITH rates AS (
    SELECT coalesce(cmb_config_name, '(none)') AS cmb_config_name,
           count(*) FILTER (WHERE is_interested) AS interested,
           count(*) FILTER (WHERE is_interested IS NOT NULL) AS answered
    FROM report_cmb
    GROUP BY 1
    HAVING answered > 0
),
best AS (
    SELECT cmb_config_name AS best_config, interested AS best_interested, answered AS best_answered
    FROM rates
    -- a configuration with fewer than 30 answers is not made the best
    ORDER BY answered >= 30 DESC, interested / answered DESC, answered DESC, cmb_config_name
    LIMIT 1
)
SELECT r.cmb_config_name,
       b.best_config,
       r.interested / r.answered AS interest_rate,
       b.best_interested / b.best_answered AS best_rate,
       r.interested / r.answered - b.best_interested / b.best_answered AS diff,
       CASE WHEN r.cmb_config_name = b.best_config THEN NULL
            ELSE two_proportion_p(r.interested, r.answered, b.best_interested, b.best_answered)
       END AS p_value
FROM rates r, best b
ORDER BY interest_rate DESC, r.cmb_config_name;
