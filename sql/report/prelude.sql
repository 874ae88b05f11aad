-- Set up for every report run (temp objects only; the database is opened
-- read-only). Rust fills tz_offsets, report_params and report_configs
-- first. Reports use:
--   local_ts(ts)      a UTC TIMESTAMP shown in the report's time zone
--                     (sql/tz_macro.sql, installed by src/tz.rs)
--   wilson_low/high(x, n)           95% Wilson score interval of x/n
--   two_proportion_p(x1, n1, x2, n2) two-sided p-value, pooled z-test
--   normal_cdf(z)                    standard normal distribution
--                     (the decision's Rust, src/report/stats_sql.rs)
--   report_cmb        cmb_requests within --from/--to and --config, with
--                     requested_local and preferred_from_local columns

CREATE OR REPLACE TEMP VIEW report_cmb AS
SELECT c.*,
       local_ts(coalesce(c.requested_at, c.created_at)) AS requested_local,
       local_ts(c.preferred_from) AS preferred_from_local
FROM cmb_requests c, report_params p
WHERE (p.date_from IS NULL OR local_ts(coalesce(c.requested_at, c.created_at))::DATE >= p.date_from)
  AND (p.date_to IS NULL OR local_ts(coalesce(c.requested_at, c.created_at))::DATE <= p.date_to)
  AND ((SELECT count(*) FROM report_configs) = 0
       OR c.cmb_config_name IN (SELECT name FROM report_configs));
