-- The decisions, for reports (`config_comparison`): per business and
-- configuration, its rate, its difference to the business's leader with
-- the always-valid interval, and whether it leads clearly. Filled by
-- hookstat before the reports run.
CREATE OR REPLACE TEMP TABLE report_decision (
    business VARCHAR,
    config VARCHAR,
    leader VARCHAR,
    answered BIGINT,
    interest_rate DOUBLE,
    leader_rate DOUBLE,
    diff DOUBLE,
    cs_low DOUBLE,
    cs_high DOUBLE,
    p_always_valid DOUBLE,
    leads BOOLEAN
);
