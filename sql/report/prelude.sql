-- Set up for every report run (temp objects only; the database is opened
-- read-only). Rust fills tz_offsets, report_params and report_configs
-- first. Reports use:
--   local_ts(ts)      a UTC TIMESTAMP shown in the report's time zone
--                     (sql/tz_macro.sql, installed by src/tz.rs)
--   wilson_low/high(x, n)           95% Wilson score interval of x/n
--   two_proportion_p(x1, n1, x2, n2) two-sided p-value, pooled z-test
--   report_cmb        cmb_requests within --from/--to and --config, with
--                     requested_local and preferred_from_local columns

-- erf by Abramowitz & Stegun 7.1.26 (absolute error below 1.5e-7).
CREATE OR REPLACE TEMP MACRO hs_erf_t(x) AS 1.0 / (1.0 + 0.3275911 * abs(x));
CREATE OR REPLACE TEMP MACRO hs_erf(x) AS
    sign(x) * (1.0 - ((((1.061405429 * hs_erf_t(x) - 1.453152027) * hs_erf_t(x)
        + 1.421413741) * hs_erf_t(x) - 0.284496736) * hs_erf_t(x) + 0.254829592)
        * hs_erf_t(x) * exp(-x * x));
CREATE OR REPLACE TEMP MACRO normal_cdf(z) AS 0.5 * (1.0 + hs_erf(z / sqrt(2.0)));

CREATE OR REPLACE TEMP MACRO hs_z() AS 1.959963984540054;
CREATE OR REPLACE TEMP MACRO wilson_center(x, n) AS
    (x / n + hs_z() ^ 2 / (2 * n)) / (1 + hs_z() ^ 2 / n);
CREATE OR REPLACE TEMP MACRO wilson_half(x, n) AS
    hs_z() * sqrt((x / n) * (1 - x / n) / n + hs_z() ^ 2 / (4 * n * n)) / (1 + hs_z() ^ 2 / n);
CREATE OR REPLACE TEMP MACRO wilson_low(x, n) AS
    CASE WHEN n > 0 THEN greatest(0.0, wilson_center(x, n) - wilson_half(x, n)) END;
CREATE OR REPLACE TEMP MACRO wilson_high(x, n) AS
    CASE WHEN n > 0 THEN least(1.0, wilson_center(x, n) + wilson_half(x, n)) END;

CREATE OR REPLACE TEMP MACRO two_proportion_p(x1, n1, x2, n2) AS
    CASE WHEN n1 > 0 AND n2 > 0 AND x1 + x2 > 0 AND x1 + x2 < n1 + n2 THEN
        2.0 * (1.0 - normal_cdf(abs((x1 / n1 - x2 / n2)
            / sqrt(((x1 + x2) / (n1 + n2)) * (1 - (x1 + x2) / (n1 + n2)) * (1 / n1 + 1 / n2)))))
    END;

CREATE OR REPLACE TEMP VIEW report_cmb AS
SELECT c.*,
       local_ts(coalesce(c.requested_at, c.created_at)) AS requested_local,
       local_ts(c.preferred_from) AS preferred_from_local
FROM cmb_requests c, report_params p
WHERE (p.date_from IS NULL OR local_ts(coalesce(c.requested_at, c.created_at))::DATE >= p.date_from)
  AND (p.date_to IS NULL OR local_ts(coalesce(c.requested_at, c.created_at))::DATE <= p.date_to)
  AND ((SELECT count(*) FROM report_configs) = 0
       OR c.cmb_config_name IN (SELECT name FROM report_configs));
