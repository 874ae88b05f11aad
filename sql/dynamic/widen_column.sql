-- A value the column cannot hold: widen it, converting the rows it has.
ALTER TABLE {table} ALTER COLUMN {column} TYPE {type} USING {using};
