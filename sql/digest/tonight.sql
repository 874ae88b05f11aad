-- Tonight: the latest ingest run and what it loaded (events, Call Me Back
-- requests, quarantined records, field issues), and when the latest run
-- that loaded events finished (for "no new events for N days").
WITH tonight AS (SELECT max(run_id) AS run_id FROM runs)
SELECT t.run_id,
       coalesce(r.inserted, 0) AS events,
       (SELECT count(*) FROM events e
         WHERE e.run_id = t.run_id AND e.event_type = 'cmb') AS requests,
       coalesce(r.records, 0) AS records,
       coalesce(r.rejected, 0) AS rejected,
       coalesce(r.field_issues, 0) AS field_issues,
       (SELECT epoch_us(max(finished_at)) FROM runs WHERE inserted > 0) AS last_loading_us,
       (SELECT epoch_us(max(created_at)) FROM events) AS newest_us
FROM tonight t
LEFT JOIN runs r ON r.run_id = t.run_id;
