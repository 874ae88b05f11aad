-- Events per business account and event type on the day ($1, a local
-- date) and on the same weekday of the $2 weeks before it, each up to the
-- same local time of day ($3: the newest event's, or 23:59:59.999999 for
-- the whole day), with the first
-- local date each pair ever had (weeks before it are not its baseline).
-- Needs local_ts (the report zone).
WITH days AS (
    SELECT CAST($1::DATE - to_days(CAST(7 * i AS INTEGER)) AS DATE) AS day
    FROM range(0, $2 + 1) r(i)
),
counted AS (
    SELECT coalesce(client_account_id, '') AS account, event_type,
           CAST(local_ts(created_at) AS DATE) AS day, count(*) AS events
    FROM events
    WHERE created_at >= $1::DATE - to_days(CAST(7 * $2 + 2 AS INTEGER))
      AND created_at < $1::DATE + INTERVAL 2 DAY
      AND CAST(local_ts(created_at) AS TIME) <= $3::TIME
    GROUP BY ALL
),
firsts AS (
    SELECT coalesce(client_account_id, '') AS account, event_type,
           CAST(local_ts(min(created_at)) AS DATE) AS first_day
    FROM events
    WHERE created_at IS NOT NULL
    GROUP BY ALL
)
SELECT c.account, c.event_type, strftime(c.day, '%Y-%m-%d') AS day, c.events,
       strftime(f.first_day, '%Y-%m-%d') AS first_day
FROM counted c
JOIN days d ON d.day = c.day
JOIN firsts f ON f.account = c.account AND f.event_type = c.event_type
ORDER BY c.account, c.event_type, c.day;
