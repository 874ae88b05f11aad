-- stage_new in the order the run read it.
SELECT source_file, source_location, payload FROM stage_new ORDER BY stage_row;
