-- The staged rows of stage_new, in the order the run read them.
SELECT stage_row FROM stage_new ORDER BY stage_row;
