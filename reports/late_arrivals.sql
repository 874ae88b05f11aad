-- title: Late arrivals: earlier days changed by the latest run
-- description: Events for earlier days that arrived only in the latest ingest run, per local day of creation. Webhook deliveries that fail are retried for up to 3.3 days, so a day's numbers keep growing after it has been reported: yesterday's figures in last night's report may have changed. An event is late when it was created before the newest event the previous runs had loaded (so the normal rest of that last day is not counted); events_before = that day's events loaded by earlier runs, arrived_latest_run = its late events first loaded by the latest run (re-deliveries not counted), share_changed = arrived_latest_run / (events_before + arrived_latest_run). Empty on the first run.
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
cutoff AS (
    -- the newest event the runs before the latest one had loaded
    SELECT max(e.created_at) AS created_at
    FROM events e, latest l
    WHERE e.run_id < l.run_id
),
per_day AS (
    -- one pass over the events (nothing materialised per event)
    SELECT local_ts(e.created_at)::DATE AS day,
           count(*) FILTER (WHERE e.run_id < l.run_id) AS events_before,
           count(*) FILTER (WHERE e.run_id = l.run_id AND e.created_at <= c.created_at) AS arrived_latest_run,
           count(*) FILTER (WHERE e.run_id = l.run_id AND e.created_at <= c.created_at
                            AND e.event_type = 'cmb') AS cmb_requests_arrived,
           l.run_id
    FROM events e, latest l, cutoff c
    WHERE e.created_at IS NOT NULL AND e.run_id <= l.run_id
      AND local_ts(e.created_at)::DATE <= local_ts(c.created_at)::DATE
    GROUP BY 1, l.run_id
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
