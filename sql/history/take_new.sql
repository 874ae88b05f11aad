-- The staged rows of stage_new leave the later deliveries (they are
-- loaded as events).
DELETE FROM stage_duplicates WHERE rowid IN (SELECT stage_row FROM stage_new);
