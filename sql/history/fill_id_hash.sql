-- Once, in the first run after an upgrade: the id hash of every event
-- stored before events had id_hash (hookstat_id_hash is registered by the
-- loader).
UPDATE events SET id_hash = hookstat_id_hash(event_id) WHERE id_hash IS NULL;
