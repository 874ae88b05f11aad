-- Runs before tonight's ($1) that loaded events (none: the first night,
-- when everything is new and nothing is listed as changed), and the events
-- tonight's run loaded (none either: no events yet, nothing changed).
SELECT count(*) FILTER (WHERE run_id < $1 AND inserted > 0),
       coalesce(sum(inserted) FILTER (WHERE run_id = $1), 0)
FROM runs;
