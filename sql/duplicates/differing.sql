-- How many later deliveries have other bytes than their first delivery (or
-- a first delivery stored before payload_hash existed): those are compared
-- as JSON values. And their staged bytes: above a limit they are compared
-- one pair at a time, so that DuckDB never holds many large payloads at once.
SELECT count(*), coalesce(sum(d.payload_bytes), 0)::BIGINT
FROM stage_duplicates d
JOIN stage_first e USING (event_id)
WHERE d.payload_hash IS DISTINCT FROM e.payload_hash;
