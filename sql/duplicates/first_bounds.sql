-- Where the first deliveries of this run's later deliveries are stored: the
-- bounds of their run ids and creation times (micros; the number of NULL
-- times), so that reading them (first_keys.sql, first_payloads.sql) skips
-- the row groups outside them instead of reading the whole history. Found
-- by the 8-byte id hash (a coincidence only widens the bounds).
SELECT min(e.run_id), max(e.run_id),
       epoch_us(min(e.created_at)), epoch_us(max(e.created_at)),
       count(*) FILTER (WHERE e.created_at IS NULL)
FROM events e
SEMI JOIN stage_duplicates d ON e.id_hash = d.id_hash;
