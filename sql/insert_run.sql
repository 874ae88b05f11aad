-- Records a finished run. Parameters in column order of `runs`.
INSERT INTO runs VALUES (?, make_timestamp(?::BIGINT), make_timestamp(?::BIGINT), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
