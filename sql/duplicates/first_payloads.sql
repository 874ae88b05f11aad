-- The payloads of the first deliveries whose later deliveries have other
-- bytes, within the same {bounds} as first_keys.sql.
CREATE OR REPLACE TEMP TABLE stage_first_payloads AS
SELECT e.event_id, e.payload::VARCHAR AS payload
FROM events e
SEMI JOIN (
    SELECT d.event_id
    FROM stage_duplicates d
    JOIN stage_first f USING (event_id)
    WHERE d.payload_hash IS DISTINCT FROM f.payload_hash
) x USING (event_id)
WHERE {bounds};
