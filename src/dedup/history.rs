//! Deduplication against earlier runs, decided before a row is appended.
//!
//! At the start of a run a Bloom filter of every stored event id is built
//! from `events.id_hash`, one 8-byte column (the first run after an
//! upgrade fills it in for the rows stored before it existed). An event the filter has never
//! seen is new and appended at once. One it may have seen, a re-delivery
//! or a rare false positive, is staged as a *tentative* later delivery.
//! When the run finishes, one query matches the tentative ids against the
//! stored ones (on the hash column, confirmed on the ids); those no earlier
//! run loaded are parsed again and loaded then.
//!
//! So the rows a run appends are never deleted again (DuckDB keeps the row
//! groups it has already compressed and written), and the history is read
//! as one column of hashes into 2 bytes of memory per stored event. (A
//! filter stored in the database was tried: reading and writing it back
//! cost more than building it, about 0.27 s for 10M events.)

use duckdb::arrow::array::{Array, Int64Array};
use duckdb::core::{DataChunkHandle, LogicalTypeHandle, LogicalTypeId};
use duckdb::vscalar::{ScalarFunctionSignature, VScalar};
use duckdb::vtab::arrow::WritableVector;
use duckdb::{params, Connection};

use super::id_filter::IdFilter;
use super::run_ids::{id_hash, stored_hash};
use crate::sql::each_string;

const STORED_COUNT: &str = include_str!("../../sql/history/stored_count.sql");
const STORED_HASHES: &str = include_str!("../../sql/history/stored_hashes.sql");
const FILL_ID_HASH: &str = include_str!("../../sql/history/fill_id_hash.sql");

/// Staged deliveries few enough to be settled under [`SETTLE_BUFFER`].
const FEW_STAGED: u64 = 100_000;
/// DuckDB's buffer while a query settling few staged deliveries reads a
/// whole column of the history.
const SETTLE_BUFFER: &str = "64MB";

/// Runs `f`, a settling query that reads a whole column of the history
/// once, under a small buffer when `staged` deliveries are few (the query
/// then needs little memory, and the history's blocks are not kept cached);
/// under the run's buffer otherwise.
pub fn settling<R>(
    conn: &Connection,
    staged: u64,
    f: impl FnOnce() -> duckdb::Result<R>,
) -> duckdb::Result<R> {
    if staged <= FEW_STAGED {
        reading_history_once(conn, SETTLE_BUFFER, f)
    } else {
        f()
    }
}

/// Runs `f` under a buffer limit of `limit` (e.g. `16MB`), then restores the
/// run's limit: for queries that read a whole column of the history once,
/// whose blocks are not worth keeping cached (the memory of a run should
/// not follow the history).
fn reading_history_once<R>(
    conn: &Connection,
    limit: &str,
    f: impl FnOnce() -> duckdb::Result<R>,
) -> duckdb::Result<R> {
    let run_limit: String = conn.query_row(
        "SELECT coalesce(getvariable('hookstat_memory_limit'), current_setting('memory_limit'))",
        [],
        |r| r.get(0),
    )?;
    conn.execute("SET memory_limit = ?", [limit])?;
    let result = f();
    // the query's own error first: a failed query aborts the transaction,
    // and restoring the limit then fails too
    let restored = conn.execute("SET memory_limit = ?", [run_limit]);
    let value = result?;
    restored?;
    Ok(value)
}

const TENTATIVE_NEW: &str = include_str!("../../sql/history/tentative_new.sql");
const NEW_ROWS: &str = include_str!("../../sql/history/new_rows.sql");
const NEW_ROW: &str = include_str!("../../sql/history/new_row.sql");
const TAKE_NEW: &str = include_str!("../../sql/history/take_new.sql");

/// Which ids earlier runs may have loaded.
pub struct History {
    filter: IdFilter,
}

impl History {
    /// The filter of every stored event id; None when no event is stored.
    pub fn load(conn: &Connection) -> duckdb::Result<Option<History>> {
        let (stored, unhashed): (i64, i64) =
            conn.query_row(STORED_COUNT, [], |r| Ok((r.get(0)?, r.get(1)?)))?;
        if stored == 0 {
            return Ok(None);
        }
        if unhashed > 0 {
            conn.register_scalar_function::<IdHash>("hookstat_id_hash")?;
            conn.execute_batch(FILL_ID_HASH)?;
        }
        let mut filter = IdFilter::with_capacity(stored as usize);
        // the hashes are read once: DuckDB is kept from caching their
        // blocks (the memory of the run, not of the history)
        reading_history_once(conn, "16MB", || {
            let mut stmt = conn.prepare(STORED_HASHES)?;
            for batch in stmt.stream_arrow([])? {
                let batch = batch?;
                if let Some(hashes) = batch.column(0).as_any().downcast_ref::<Int64Array>() {
                    filter.insert_all(hashes.values());
                }
            }
            Ok(())
        })?;
        Ok(Some(History { filter }))
    }

    /// False: no earlier run loaded the id of this `stored_hash`. True: one
    /// may have.
    pub fn may_contain(&self, stored_hash: i64) -> bool {
        self.filter.may_contain(stored_hash as u64)
    }
}

/// `hookstat_id_hash(VARCHAR) -> BIGINT`: [`stored_hash`] in SQL, to fill
/// in `events.id_hash` of rows stored before it existed.
struct IdHash;

impl VScalar for IdHash {
    type State = ();

    fn invoke(
        _: &(),
        input: &mut DataChunkHandle,
        output: &mut dyn WritableVector,
    ) -> Result<(), Box<dyn std::error::Error>> {
        let len = input.len();
        let mut hashes = vec![0i64; len];
        let mut nulls = Vec::new();
        each_string(input, |i, s| match s {
            Some(s) => hashes[i] = stored_hash(id_hash(s)),
            None => nulls.push(i),
        });
        let mut out = output.flat_vector();
        unsafe { out.as_mut_slice_with_len::<i64>(len) }.copy_from_slice(&hashes);
        for i in nulls {
            out.set_null(i);
        }
        Ok(())
    }

    fn signatures() -> Vec<ScalarFunctionSignature> {
        vec![ScalarFunctionSignature::exact(
            vec![LogicalTypeHandle::from(LogicalTypeId::Varchar)],
            LogicalTypeHandle::from(LogicalTypeId::Bigint),
        )]
    }
}

/// A tentative first delivery that no earlier run loaded, taken out of the
/// staged later deliveries to be loaded as an event.
pub struct NewAfterAll {
    /// The file it came from (as the run names it).
    pub source_file: String,
    /// Where in the file.
    pub location: String,
    /// The event as delivered.
    pub payload: String,
}

/// Settles run `run_id`'s tentative deliveries: those an earlier run loaded
/// stay later deliveries; the others are returned, in reading order.
pub fn settle_tentative(
    conn: &Connection,
    run_id: i64,
    tentative: u64,
) -> duckdb::Result<Vec<NewAfterAll>> {
    settling(conn, tentative, || {
        conn.execute(TENTATIVE_NEW, params![run_id])
    })?;
    let positions: Vec<i64> = conn
        .prepare(NEW_ROWS)?
        .query_map([], |r| r.get(0))?
        .collect::<duckdb::Result<_>>()?;
    let mut row = conn.prepare(NEW_ROW)?;
    let rows = positions
        .into_iter()
        .map(|position| {
            row.query_row([position], |r| {
                Ok(NewAfterAll {
                    source_file: r.get(0)?,
                    location: r.get(1)?,
                    payload: r.get(2)?,
                })
            })
        })
        .collect::<duckdb::Result<Vec<_>>>()?;
    conn.execute_batch(TAKE_NEW)?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::db::apply_schema;
    use crate::load::store::tables::STAGE_DUPLICATES;

    fn hash_of(id: &str) -> i64 {
        stored_hash(id_hash(id))
    }

    fn store(conn: &Connection, id: &str, hash: Option<i64>) {
        conn.execute(
            "INSERT INTO events (event_id, event_type, source_file, source_location, run_id, payload, id_hash)
             VALUES (?, 'cmb', 'old.ndjson', 'line 1', 1, '{}', ?)",
            params![id, hash],
        )
        .unwrap();
    }

    fn database() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        apply_schema(&conn).unwrap();
        conn.execute_batch(&STAGE_DUPLICATES.create_sql()).unwrap();
        conn
    }

    #[test]
    fn only_tentative_ids_no_earlier_run_loaded_are_loaded_once() {
        let conn = database();
        store(&conn, "a", Some(hash_of("a")));
        // run 2: "a" again (a re-delivery), "b" twice (a false positive of
        // the filter, seen twice after the run forgot it), "c" a duplicate
        // within the run
        for (id, tentative, location) in [
            ("a", true, "line 1"),
            ("b", true, "line 2"),
            ("b", true, "line 3"),
            ("c", false, "line 4"),
        ] {
            conn.execute(
                "INSERT INTO stage_duplicates VALUES (2, ?, 'night.ndjson', ?, ?, ?, ?, 0, 16)",
                params![
                    id,
                    location,
                    format!("{{\"event_id\":\"{id}\"}}"),
                    hash_of(id),
                    tentative
                ],
            )
            .unwrap();
        }
        let new = settle_tentative(&conn, 2, 3).unwrap();
        let new: Vec<(&str, &str, &str)> = new
            .iter()
            .map(|n| {
                (
                    n.source_file.as_str(),
                    n.location.as_str(),
                    n.payload.as_str(),
                )
            })
            .collect();
        assert_eq!(new, [("night.ndjson", "line 2", "{\"event_id\":\"b\"}")]);
        let left: Vec<String> = conn
            .prepare("SELECT source_location FROM stage_duplicates ORDER BY rowid")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(left, ["line 1", "line 3", "line 4"]);
    }

    #[test]
    fn the_filter_holds_every_stored_id_and_fills_in_missing_hashes() {
        let conn = database();
        assert!(History::load(&conn).unwrap().is_none());
        store(&conn, "kept", Some(hash_of("kept")));
        // stored by a version before id_hash
        store(&conn, "older", None);
        conn.execute_batch(
            "SET memory_limit = '300MB'; SET VARIABLE hookstat_memory_limit = '300MB'",
        )
        .unwrap();
        let limit = || -> String {
            conn.query_row("SELECT current_setting('memory_limit')", [], |r| r.get(0))
                .unwrap()
        };
        let before = limit();
        let history = History::load(&conn).unwrap().unwrap();
        // the run's memory limit is back after the hashes are read
        assert_eq!(limit(), before);
        assert!(history.may_contain(hash_of("kept")));
        assert!(history.may_contain(hash_of("older")));
        let filled: i64 = conn
            .query_row(
                "SELECT id_hash FROM events WHERE event_id = 'older'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(filled, hash_of("older"));
        let unseen = (0..1000)
            .filter(|i| history.may_contain(hash_of(&format!("new-{i}"))))
            .count();
        assert!(unseen < 10, "{unseen} of 1000 new ids looked stored");
    }
}
