-- The earlier rows of a widened column (rows of runs before $1 holding a
-- value: each was converted), and how many of their values are not
-- integers, not numbers, not booleans (which tells the type they had).
SELECT count(*) AS converted,
       count(*) FILTER (WHERE try_cast(v AS BIGINT) IS NULL) AS not_integer,
       count(*) FILTER (WHERE try_cast(v AS DOUBLE) IS NULL) AS not_number,
       count(*) FILTER (WHERE lower(v) NOT IN ('true', 'false')) AS not_boolean
FROM (
    SELECT CAST(t.{column} AS VARCHAR) AS v
    FROM {table} t
    WHERE t.{column} IS NOT NULL
      AND t.event_id IN (SELECT event_id FROM events WHERE run_id < $1)
);
