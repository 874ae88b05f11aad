-- title: Popular callback slots
-- description: Requests with a slot, by weekday and hour of the preferred callback time (in the report's time zone); share of all requests with a slot.
-- chart: heatmap
-- x: hour
-- y: weekday
-- value: requests
-- x_label: hour of preferred callback ({tz})
-- y_label: weekday ({tz})
-- value_unit: count
-- value_label: requests
SELECT dayname(preferred_from_local) AS weekday,
       hour(preferred_from_local) AS hour,
       count(*) AS requests,
       count(*) / sum(count(*)) OVER () AS share
FROM report_cmb
WHERE preferred_from IS NOT NULL
GROUP BY isodow(preferred_from_local), 1, 2
ORDER BY isodow(preferred_from_local), hour;
