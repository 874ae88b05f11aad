-- The id hashes of the stored events: one 8-byte column, the whole
-- history's ids without reading them.
SELECT id_hash FROM events WHERE id_hash IS NOT NULL;
