-- local_ts(ts): a UTC TIMESTAMP shown in the zone of tz_offsets.
CREATE OR REPLACE TEMP MACRO local_ts(ts) AS
    ts + to_seconds(coalesce(
        (SELECT o.offset_seconds FROM tz_offsets o WHERE ts >= o.valid_from AND ts < o.valid_to),
        (SELECT any_value(offset_seconds) FROM tz_offsets), 0));
