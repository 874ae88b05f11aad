-- The first deliveries of this run's later deliveries: their ids and the
-- hash of their bytes. {bounds} are integer bounds from first_bounds.sql
-- written as constants (not parameters) so that DuckDB prunes row groups
-- by their zone maps.
CREATE OR REPLACE TEMP TABLE stage_first AS
SELECT e.event_id, e.payload_hash
FROM events e
SEMI JOIN stage_duplicates d USING (event_id)
WHERE {bounds};
