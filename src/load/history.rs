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

const TENTATIVE_NEW: &str = include_str!("../../sql/history/tentative_new.sql");
const NEW_ROWS: &str = include_str!("../../sql/history/new_rows.sql");
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
        let mut stmt = conn.prepare(STORED_HASHES)?;
        for batch in stmt.query_arrow([])? {
            if let Some(hashes) = batch.column(0).as_any().downcast_ref::<Int64Array>() {
                for &h in hashes.values().iter() {
                    filter.insert(h as u64);
                }
            }
        }
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
pub fn settle_tentative(conn: &Connection, run_id: i64) -> duckdb::Result<Vec<NewAfterAll>> {
    conn.execute(TENTATIVE_NEW, params![run_id])?;
    let rows = conn
        .prepare(NEW_ROWS)?
        .query_map([], |r| {
            Ok(NewAfterAll {
                source_file: r.get(0)?,
                location: r.get(1)?,
                payload: r.get(2)?,
            })
        })?
        .collect::<duckdb::Result<Vec<_>>>()?;
    conn.execute_batch(TAKE_NEW)?;
    Ok(rows)
}
