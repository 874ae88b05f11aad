-- Runs before tonight's ($1) that loaded events (none: the first night,
-- when everything is new and nothing is listed as changed).
SELECT count(*) FROM runs WHERE run_id < $1 AND inserted > 0;
