//! Appending Arrow batches so that the row groups DuckDB writes are full.
//!
//! DuckDB's appender ends a row group at each of its flushes, and flushes
//! by itself every 204,800 rows: a load left a row group of about 82,000
//! rows after each full one, and the next checkpoint that touched the
//! table merged them (a vacuum that took about a second of the first night
//! after 10M events were loaded). Flushing at every 122,880 rows of the
//! run keeps every row group but the last full.

use duckdb::arrow::record_batch::RecordBatch;
use duckdb::{Appender, Connection};

/// Rows in a DuckDB row group.
pub const ROW_GROUP_ROWS: usize = 122_880;

/// An appender that flushes at row group boundaries.
pub struct RowGroupAppender<'a> {
    appender: Appender<'a>,
    /// Rows appended since the last flush.
    pending: usize,
}

impl<'a> RowGroupAppender<'a> {
    /// An appender for `table`.
    pub fn new(conn: &'a Connection, table: &str) -> duckdb::Result<Self> {
        Ok(RowGroupAppender {
            appender: conn.appender(table)?,
            pending: 0,
        })
    }

    /// Appends `batch`, split where a row group fills.
    pub fn append(&mut self, batch: RecordBatch) -> duckdb::Result<()> {
        let rows = batch.num_rows();
        let mut offset = 0;
        while offset < rows {
            let take = (ROW_GROUP_ROWS - self.pending).min(rows - offset);
            let part = if take == rows {
                batch.clone()
            } else {
                batch.slice(offset, take)
            };
            self.appender.append_record_batch(part)?;
            self.pending += take;
            offset += take;
            if self.pending == ROW_GROUP_ROWS {
                self.flush()?;
            }
        }
        Ok(())
    }

    /// Hands what is buffered to DuckDB (ending a row group).
    pub fn flush(&mut self) -> duckdb::Result<()> {
        self.pending = 0;
        self.appender.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use duckdb::arrow::array::Int64Array;
    use duckdb::arrow::datatypes::{DataType, Field, Schema};
    use std::sync::Arc;

    fn batch(from: i64, rows: i64) -> RecordBatch {
        let schema = Arc::new(Schema::new(vec![Field::new("n", DataType::Int64, false)]));
        let column = Int64Array::from_iter_values(from..from + rows);
        RecordBatch::try_new(schema, vec![Arc::new(column)]).unwrap()
    }

    /// Rows per row group of `t`, from DuckDB's storage listing.
    fn row_groups(conn: &Connection) -> Vec<i64> {
        conn.prepare(
            "SELECT sum(count)::BIGINT FROM pragma_storage_info('t')
             WHERE segment_type <> 'VALIDITY' GROUP BY row_group_id ORDER BY row_group_id",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    }

    fn append_all(conn: &Connection, total: i64, mut append: impl FnMut(RecordBatch)) {
        let mut from = 0;
        // 50,000-row batches cross row group boundaries mid-batch
        while from < total {
            let rows = 50_000.min(total - from);
            append(batch(from, rows));
            from += rows;
        }
        let _ = conn;
    }

    /// What this module works around: DuckDB's own appender leaves a
    /// partly filled row group at each of its flushes.
    #[test]
    fn duckdbs_appender_alone_leaves_partial_row_groups() {
        let dir = tempfile::tempdir().unwrap();
        let conn = Connection::open(dir.path().join("t.duckdb")).unwrap();
        conn.execute_batch("CREATE TABLE t (n BIGINT)").unwrap();
        {
            let mut appender = conn.appender("t").unwrap();
            append_all(&conn, 3 * ROW_GROUP_ROWS as i64 + 1000, |b| {
                appender.append_record_batch(b).unwrap()
            });
            appender.flush().unwrap();
        }
        conn.execute_batch("CHECKPOINT").unwrap();
        let groups = row_groups(&conn);
        let before_last = &groups[..groups.len() - 1];
        assert!(
            before_last.iter().any(|&n| n < ROW_GROUP_ROWS as i64),
            "{groups:?}"
        );
    }

    #[test]
    fn batches_of_any_size_fill_whole_row_groups() {
        let dir = tempfile::tempdir().unwrap();
        let conn = Connection::open(dir.path().join("t.duckdb")).unwrap();
        conn.execute_batch("CREATE TABLE t (n BIGINT)").unwrap();
        let total = 3 * ROW_GROUP_ROWS as i64 + 1000;
        {
            let mut appender = RowGroupAppender::new(&conn, "t").unwrap();
            append_all(&conn, total, |b| appender.append(b).unwrap());
            appender.flush().unwrap();
        }
        conn.execute_batch("CHECKPOINT").unwrap();
        let full = ROW_GROUP_ROWS as i64;
        assert_eq!(row_groups(&conn), [full, full, full, 1000]);
        let (count, sum): (i64, i64) = conn
            .query_row("SELECT count(*), sum(n)::BIGINT FROM t", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!((count, sum), (total, total * (total - 1) / 2));
    }
}
