//! The writer thread: while a run's rows stream in, it owns the run's
//! connection and does all of DuckDB's work (reading the Arrow batches,
//! filling and compressing row groups), so that the loader builds the next
//! rows meanwhile instead of waiting.
//!
//! A batch is inserted with `INSERT INTO … SELECT * FROM
//! hookstat_arrow(?)`, an Arrow scan (`arrow_scan.rs`): its rows go straight into the
//! transaction's row groups, which successive inserts fill up (whole row
//! groups, without the copy and the buffer of up to a row group per table
//! that DuckDB's appender keeps: about 140 MB less at 1M events).
//!
//! Jobs run in the order they are sent: inserts, DDL, and calls that return
//! a value. Inserts and DDL do not wait; the first failure stops the
//! thread, and the next job sent (or [`Writer::finish`]) returns it. At
//! most [`QUEUED_JOBS`] jobs wait, so memory stays bounded by a few
//! batches.

use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread::{Scope, ScopedJoinHandle};

use duckdb::arrow::record_batch::RecordBatch;
use duckdb::Connection;

use super::arrow_scan::{ArrowScan, Registered};
use crate::sql::quote;

/// Jobs that may wait for the writer.
pub const QUEUED_JOBS: usize = 4;

/// The table function that scans a registered Arrow batch.
const ARROW_SCAN: &str = "hookstat_arrow";

/// One job: runs on the writer thread with the connection.
type Job<'scope> = Box<dyn FnOnce(&Connection) -> duckdb::Result<()> + Send + 'scope>;

/// The sending side of the writer thread.
pub struct Writer<'scope> {
    jobs: Option<SyncSender<Job<'scope>>>,
    thread: Option<ScopedJoinHandle<'scope, duckdb::Result<()>>>,
}

impl<'scope> Writer<'scope> {
    /// Starts the writer thread in `scope`; it has `conn` until the scope
    /// ends.
    pub fn start<'env>(scope: &'scope Scope<'scope, 'env>, conn: &'scope mut Connection) -> Self {
        let (jobs, queue) = mpsc::sync_channel::<Job<'scope>>(QUEUED_JOBS);
        let thread = scope.spawn(move || work(conn, queue));
        Writer {
            jobs: Some(jobs),
            thread: Some(thread),
        }
    }

    fn send(&mut self, job: Job<'scope>) -> duckdb::Result<()> {
        let sent = self.jobs.as_ref().map(|jobs| jobs.send(job));
        match sent {
            Some(Ok(())) => Ok(()),
            _ => Err(self.failure()),
        }
    }

    /// Inserts `batch` (its columns in table order) into `table`.
    pub fn append(&mut self, table: &str, batch: RecordBatch) -> duckdb::Result<()> {
        let sql = format!("INSERT INTO {} SELECT * FROM {ARROW_SCAN}(?)", quote(table));
        self.send(Box::new(move |conn| {
            let rows = Registered::new(batch);
            conn.prepare_cached(&sql)?.execute([&rows]).map(|_| ())
        }))
    }

    /// Runs `sql` (DDL).
    pub fn execute(&mut self, sql: String) -> duckdb::Result<()> {
        self.send(Box::new(move |conn| conn.execute_batch(&sql)))
    }

    /// Runs `f` on the connection after every job sent before, and returns
    /// its result.
    pub fn call<R: Send + 'scope>(
        &mut self,
        f: impl FnOnce(&Connection) -> duckdb::Result<R> + Send + 'scope,
    ) -> duckdb::Result<R> {
        let (reply, answer) = mpsc::channel();
        self.send(Box::new(move |conn| {
            // a failure stops the thread; the waiting side then gets it
            let value = f(conn)?;
            let _ = reply.send(value);
            Ok(())
        }))?;
        answer.recv().map_err(|_| self.failure())
    }

    /// Waits for every job sent and ends the thread.
    pub fn finish(mut self) -> duckdb::Result<()> {
        self.jobs = None;
        match self.thread.take().map(ScopedJoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(stopped()),
            None => Ok(()),
        }
    }

    /// The error that stopped the thread.
    fn failure(&mut self) -> duckdb::Error {
        self.jobs = None;
        match self.thread.take().map(ScopedJoinHandle::join) {
            Some(Ok(Err(e))) => e,
            _ => stopped(),
        }
    }
}

fn stopped() -> duckdb::Error {
    duckdb::Error::ToSqlConversionFailure("the database writer stopped".into())
}

/// The writer thread: runs jobs until the sender is dropped or one fails.
fn work(conn: &mut Connection, queue: Receiver<Job<'_>>) -> duckdb::Result<()> {
    let conn: &Connection = conn;
    conn.register_table_function::<ArrowScan>(ARROW_SCAN)?;
    for job in queue {
        job(conn)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use duckdb::arrow::array::Int64Array;
    use duckdb::arrow::datatypes::{DataType, Field, Schema};
    use std::sync::Arc;

    fn batch(values: impl Iterator<Item = i64>) -> RecordBatch {
        let schema = Arc::new(Schema::new(vec![Field::new("n", DataType::Int64, false)]));
        let column = Int64Array::from_iter_values(values);
        RecordBatch::try_new(schema, vec![Arc::new(column)]).unwrap()
    }

    #[test]
    fn jobs_run_in_order_and_calls_see_what_came_before() {
        let mut conn = Connection::open_in_memory().unwrap();
        let seen = std::thread::scope(|s| {
            let mut w = Writer::start(s, &mut conn);
            w.execute("CREATE TABLE t (n BIGINT)".into()).unwrap();
            w.append("t", batch([1, 2].into_iter())).unwrap();
            w.append("t", batch([3].into_iter())).unwrap();
            // later batches carry the new column
            w.execute("ALTER TABLE t ADD COLUMN m BIGINT".into())
                .unwrap();
            let sum = "SELECT sum(n), count(m) FROM t";
            let seen = w
                .call(move |c| c.query_row(sum, [], |r| Ok((r.get(0)?, r.get(1)?))))
                .unwrap();
            w.finish().unwrap();
            seen
        });
        assert_eq!(seen, (6_i64, 0_i64));
    }

    #[test]
    fn a_failed_job_is_returned_by_the_next_one_or_by_finish() {
        let mut conn = Connection::open_in_memory().unwrap();
        std::thread::scope(|s| {
            let mut w = Writer::start(s, &mut conn);
            w.execute("CREATE TABLE nonsense (".into()).unwrap();
            let err = w.call(|c| c.query_row("SELECT 1", [], |r| r.get::<_, i64>(0)));
            assert!(
                err.unwrap_err().to_string().contains("syntax"),
                "the DDL's error"
            );
            // returned once
            assert!(w.finish().is_ok());
        });
        std::thread::scope(|s| {
            let mut w = Writer::start(s, &mut conn);
            w.append("missing", batch([1].into_iter())).unwrap();
            let err = w.finish().unwrap_err().to_string();
            assert!(err.contains("missing"), "{err}");
        });
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
        .map(Result::unwrap)
        .collect()
    }

    #[test]
    fn successive_inserts_fill_whole_row_groups() {
        let dir = std::env::temp_dir().join(format!("hookstat-writer-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.duckdb");
        let _ = std::fs::remove_file(&path);
        let mut conn = Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE t (n BIGINT); BEGIN TRANSACTION")
            .unwrap();
        // 300,000 rows in batches of 16,384 (as the loader sends them)
        std::thread::scope(|s| {
            let mut w = Writer::start(s, &mut conn);
            let mut from = 0;
            while from < 300_000 {
                let to = (from + 16_384).min(300_000);
                w.append("t", batch(from..to)).unwrap();
                from = to;
            }
            w.finish().unwrap();
        });
        conn.execute_batch("COMMIT; CHECKPOINT").unwrap();
        // DuckDB's row groups hold 122,880 rows: two whole ones and the rest
        assert_eq!(row_groups(&conn), [122_880, 122_880, 300_000 - 2 * 122_880]);
        let (count, sum): (i64, i64) = conn
            .query_row("SELECT count(*), sum(n) FROM t", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!((count, sum), (300_000, 299_999 * 300_000 / 2));
        drop(conn);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
