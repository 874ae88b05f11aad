-- Interested and answered (interested or not) requests per configuration,
-- within the report's filters: the input of the configuration decision.
SELECT coalesce(cmb_config_name, '(none)') AS config,
       count(*) FILTER (WHERE is_interested) AS interested,
       count(*) FILTER (WHERE is_interested IS NOT NULL) AS answered
FROM report_cmb
GROUP BY 1
ORDER BY 1;
