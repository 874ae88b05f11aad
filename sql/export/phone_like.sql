-- True when every non-empty value of a text column looks like a phone number.
SELECT count(v) > 0 AND count(v) = count(v) FILTER (WHERE regexp_full_match(v, '\+?[0-9]{10,15}'))
FROM (SELECT NULLIF(CAST({column} AS VARCHAR), '') AS v FROM {table} LIMIT 10000);
