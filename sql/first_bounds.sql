-- Where the first deliveries of this run's later deliveries are stored: the
-- bounds of their run ids and creation times (micros; the number of NULL
-- times), so that reading their payloads (first_deliveries.sql) skips the
-- row groups outside them instead of reading the whole history.
SELECT min(e.run_id), max(e.run_id),
       epoch_us(min(e.created_at)), epoch_us(max(e.created_at)),
       count(*) FILTER (WHERE e.created_at IS NULL)
FROM events e
SEMI JOIN stage_duplicates d USING (event_id);
