-- Headline figures of the whole database and what the latest ingest run
-- added to each: events, Call Me Back requests (and their answers),
-- quarantined records, field issues; the newest created_at and when the
-- latest run finished. Counts come from the runs table where it has them;
-- what the latest run added to the Call Me Back figures is
-- headline_latest.sql (only run when there is an earlier run).
-- the latest run that loaded events (a night with nothing new does not
-- hide the last real change)
WITH last AS (
    SELECT coalesce(max(run_id) FILTER (WHERE inserted > 0), max(run_id), 0) AS run_id
    FROM runs
),
cmb AS (
    SELECT count(*) AS requests,
           count(*) FILTER (WHERE is_interested) AS interested,
           count(*) FILTER (WHERE is_interested IS NOT NULL) AS answered
    FROM cmb_requests
)
SELECT (SELECT run_id FROM last) AS last_run,
       (SELECT count(*) FROM runs) AS runs,
       (SELECT strftime(finished_at, '%Y-%m-%d %H:%M:%S') FROM runs
         WHERE run_id = (SELECT run_id FROM last)) AS last_finished_utc,
       (SELECT coalesce(sum(inserted), 0) FROM runs) AS events,
       (SELECT coalesce(sum(inserted), 0) FROM runs
         WHERE run_id = (SELECT run_id FROM last)) AS events_latest,
       cmb.requests, cmb.interested, cmb.answered,
       (SELECT coalesce(sum(rejected), 0) FROM runs) AS quarantined,
       (SELECT coalesce(sum(rejected), 0) FROM runs
         WHERE run_id = (SELECT run_id FROM last)) AS quarantined_latest,
       (SELECT coalesce(sum(field_issues), 0) FROM runs) AS field_issues,
       (SELECT coalesce(sum(field_issues), 0) FROM runs
         WHERE run_id = (SELECT run_id FROM last)) AS field_issues_latest,
       (SELECT epoch_us(max(created_at)) FROM events) AS newest_created_us,
       (SELECT coalesce(sum(conflicts), 0) FROM runs) AS changed_redeliveries,
       (SELECT coalesce(sum(conflicts), 0) FROM runs
         WHERE run_id = (SELECT run_id FROM last)) AS changed_redeliveries_latest
FROM cmb;
