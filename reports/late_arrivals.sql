-- title: Late arrivals: earlier days changed by the latest run
-- description: Events for earlier days that arrived only in the latest ingest run, per local day of creation. Webhook deliveries that fail are retried for up to 3.3 days, so a day's numbers keep growing after it has been reported: yesterday's figures in last night's report may have changed. A day is earlier when it is not after the newest day the previous runs had loaded; events_before = that day's events loaded by earlier runs, arrived_latest_run = its events first loaded by the latest run (re-deliveries not counted), share_changed = arrived_latest_run / (events_before + arrived_latest_run). Empty after the first run.
-- chart: bars
-- x: day
-- y: arrived_latest_run
-- x_label: day ({tz})
-- y_label: events that arrived late (latest run)
-- y_unit: count
WITH latest AS (
    -- the most recent ingest run that loaded events
    SELECT max(run_id) AS run_id FROM runs WHERE inserted > 0
),
dated AS (
    SELECT local_ts(e.created_at)::DATE AS day, e.run_id, e.event_type
    FROM events e, latest l
    WHERE e.created_at IS NOT NULL AND e.run_id <= l.run_id
),
newest_before AS (
    -- the newest local day loaded by the runs before the latest one
    SELECT max(d.day) AS day
    FROM dated d, latest l
    WHERE d.run_id < l.run_id
),
per_day AS (
    SELECT d.day,
           count(*) FILTER (WHERE d.run_id < l.run_id) AS events_before,
           count(*) FILTER (WHERE d.run_id = l.run_id) AS arrived_latest_run,
           count(*) FILTER (WHERE d.run_id = l.run_id AND d.event_type = 'cmb') AS cmb_requests_arrived,
           l.run_id
    FROM dated d, latest l, newest_before n
    WHERE d.day <= n.day
    GROUP BY d.day, l.run_id
)
SELECT p.day,
       p.events_before,
       p.arrived_latest_run,
       p.cmb_requests_arrived,
       p.arrived_latest_run / (p.events_before + p.arrived_latest_run) AS share_changed,
       p.run_id
FROM per_day p, report_params r
WHERE p.arrived_latest_run > 0
  AND (r.date_from IS NULL OR p.day >= r.date_from)
  AND (r.date_to IS NULL OR p.day <= r.date_to)
ORDER BY p.day;
