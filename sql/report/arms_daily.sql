-- Requests, answered and interested requests per business, configuration
-- and local day, within the report's filters: the input of the
-- configuration decisions (like for like: one business, shared days).
SELECT coalesce(client_account_id, '(none)') AS business,
       coalesce(cmb_config_name, '(none)') AS config,
       CAST(requested_local AS DATE) AS day,
       count(*) FILTER (WHERE is_interested) AS interested,
       count(*) FILTER (WHERE is_interested IS NOT NULL) AS answered,
       count(*) AS requests
FROM report_cmb
WHERE requested_local IS NOT NULL
GROUP BY ALL
ORDER BY ALL;
