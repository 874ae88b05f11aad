//! The writer thread: while a run's rows stream in, it owns the run's
//! connection and does all of DuckDB's work (the Arrow conversion, the
//! appends, the compression of each full row group), so that the loader
//! builds the next rows meanwhile instead of waiting.
//!
//! Jobs run in the order they are sent: appends to one long-lived
//! [`RowGroupAppender`] per table, closing an appender (before DDL on its
//! table), DDL, and calls that return a value. Appends and DDL do not wait;
//! the first failure stops the thread, and the next job sent (or
//! [`Writer::finish`]) returns it. At most [`QUEUED_JOBS`] jobs wait, so
//! memory stays bounded by a few batches.

use std::collections::HashMap;
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread::{Scope, ScopedJoinHandle};

use duckdb::arrow::record_batch::RecordBatch;
use duckdb::Connection;

use super::append::RowGroupAppender;

/// Jobs that may wait for the writer.
pub const QUEUED_JOBS: usize = 4;

/// The open appenders, by table.
type Appenders<'c> = HashMap<String, RowGroupAppender<'c>>;

/// One job: runs on the writer thread with the connection and its appenders.
type Job<'scope> = Box<
    dyn for<'c> FnOnce(&'c Connection, &mut Appenders<'c>) -> duckdb::Result<()> + Send + 'scope,
>;

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

    /// Appends `batch` to `table` (through the table's appender).
    pub fn append(&mut self, table: &str, batch: RecordBatch) -> duckdb::Result<()> {
        let table = table.to_string();
        self.send(Box::new(move |conn, appenders| {
            let appender = match appenders.entry(table) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    let appender = RowGroupAppender::new(conn, e.key())?;
                    e.insert(appender)
                }
            };
            appender.append(batch)
        }))
    }

    /// Hands what `table`'s appender holds to DuckDB and closes it (before
    /// DDL on the table).
    pub fn close(&mut self, table: &str) -> duckdb::Result<()> {
        let table = table.to_string();
        self.send(Box::new(move |_, appenders| {
            match appenders.remove(&table) {
                Some(mut appender) => appender.flush(),
                None => Ok(()),
            }
        }))
    }

    /// Hands what every appender holds to DuckDB (each ends a row group).
    pub fn flush_all(&mut self) -> duckdb::Result<()> {
        self.send(Box::new(|_, appenders| {
            appenders.values_mut().try_for_each(RowGroupAppender::flush)
        }))
    }

    /// Hands what every appender holds to DuckDB and closes them all.
    pub fn close_all(&mut self) -> duckdb::Result<()> {
        self.send(Box::new(|_, appenders| {
            appenders.drain().try_for_each(|(_, mut a)| a.flush())
        }))
    }

    /// Runs `sql` (DDL).
    pub fn execute(&mut self, sql: String) -> duckdb::Result<()> {
        self.send(Box::new(move |conn, _| conn.execute_batch(&sql)))
    }

    /// Runs `f` on the connection after every job sent before, and returns
    /// its result.
    pub fn call<R: Send + 'scope>(
        &mut self,
        f: impl FnOnce(&Connection) -> duckdb::Result<R> + Send + 'scope,
    ) -> duckdb::Result<R> {
        let (reply, answer) = mpsc::channel();
        self.send(Box::new(move |conn, _| {
            // the caller waits for the answer; a failure stops the thread
            let result = f(conn);
            match result {
                Ok(value) => {
                    let _ = reply.send(value);
                    Ok(())
                }
                Err(e) => Err(e),
            }
        }))?;
        answer.recv().map_err(|_| self.failure())
    }

    /// Waits for every job sent, closes the appenders and ends the thread.
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

/// The writer thread: runs jobs until the sender is dropped or one fails,
/// then hands what the appenders hold to DuckDB.
fn work(conn: &mut Connection, queue: Receiver<Job<'_>>) -> duckdb::Result<()> {
    let conn: &Connection = conn;
    let mut appenders = Appenders::new();
    for job in queue {
        job(conn, &mut appenders)?;
    }
    appenders.values_mut().try_for_each(RowGroupAppender::flush)
}

#[cfg(test)]
mod tests {
    use super::*;
    use duckdb::arrow::array::Int64Array;
    use duckdb::arrow::datatypes::{DataType, Field, Schema};
    use std::sync::Arc;

    fn batch(values: &[i64]) -> RecordBatch {
        let schema = Arc::new(Schema::new(vec![Field::new("n", DataType::Int64, false)]));
        let column = Int64Array::from_iter_values(values.iter().copied());
        RecordBatch::try_new(schema, vec![Arc::new(column)]).unwrap()
    }

    #[test]
    fn jobs_run_in_order_and_calls_see_what_came_before() {
        let mut conn = Connection::open_in_memory().unwrap();
        let seen = std::thread::scope(|s| {
            let mut w = Writer::start(s, &mut conn);
            w.execute("CREATE TABLE t (n BIGINT)".into()).unwrap();
            w.append("t", batch(&[1, 2])).unwrap();
            w.append("t", batch(&[3])).unwrap();
            // DDL after closing the appender; later rows get the new column
            w.close("t").unwrap();
            w.execute("ALTER TABLE t ADD COLUMN m BIGINT".into())
                .unwrap();
            w.flush_all().unwrap();
            let seen = w
                .call(|c| {
                    c.query_row("SELECT sum(n), count(m) FROM t", [], |r| {
                        Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
                    })
                })
                .unwrap();
            w.finish().unwrap();
            seen
        });
        assert_eq!(seen, (6, 0));
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
            w.append("missing", batch(&[1])).unwrap();
            let err = w.finish().unwrap_err().to_string();
            assert!(err.contains("missing"), "{err}");
        });
    }
}
