-- Temp tables the report prelude reads; filled by hookstat before it runs.
CREATE OR REPLACE TEMP TABLE report_params (tz VARCHAR, date_from DATE, date_to DATE);
CREATE OR REPLACE TEMP TABLE report_configs (name VARCHAR);
