-- Local time without ICU: a table of UTC-offset segments over the span of
-- the data (filled by hookstat from chrono-tz) and a macro that shifts a
-- UTC TIMESTAMP into the zone.
CREATE OR REPLACE TEMP TABLE tz_offsets (valid_from TIMESTAMP, valid_to TIMESTAMP, offset_seconds INTEGER);
