//! The event ids seen in this run, for deduplication within the run (the
//! ids of earlier runs are checked by `history.rs`). Kept as 128-bit
//! hashes in 256 shards (growing never copies the whole set at once).
//!
//! Memory is bounded: with a `window`, only the most recent ids are held,
//! in two generations (the current one and the one before it, each up to
//! half the window). A re-delivery further back than that is not seen
//! here; [`RunIds::forgot`] then says the run must be checked for
//! duplicates before it commits (and loaded again with an exact set if one
//! slipped past). Retries arrive within days, so a run rarely needs it.

use std::collections::HashSet;
use std::hash::BuildHasherDefault;

use duckdb::Connection;

/// Whether the run inserted an id twice (after its window forgot ids).
const WITHIN_RUN_SQL: &str = include_str!("../../sql/history/within_run.sql");

/// Hasher for keys that already are uniform hashes: uses their low bits.
#[derive(Default, Clone, Copy)]
pub struct PassThroughHasher(u64);

impl std::hash::Hasher for PassThroughHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 ^= u64::from_le_bytes(word);
        }
    }
    fn write_u128(&mut self, n: u128) {
        self.0 = n as u64;
    }
}

type Shard = HashSet<u128, BuildHasherDefault<PassThroughHasher>>;

/// Shards; the top 8 bits of an id's hash pick one (the table inside uses
/// the low 64 bits).
const SHARDS: usize = 256;

/// Hash of an event id as kept in memory for deduplication.
pub fn id_hash(event_id: &str) -> u128 {
    xxhash_rust::xxh3::xxh3_128(event_id.as_bytes())
}

/// The `events.id_hash` of an id: the low 64 bits of [`id_hash`], as the
/// BIGINT DuckDB stores.
pub fn stored_hash(hash: u128) -> i64 {
    hash as u64 as i64
}

/// The set of event ids this run has seen.
pub struct RunIds {
    current: Vec<Shard>,
    previous: Vec<Shard>,
    held: usize,
    /// Ids per generation (None: every id, exact).
    generation: Option<usize>,
    forgot: bool,
}

fn shards() -> Vec<Shard> {
    (0..SHARDS).map(|_| Shard::default()).collect()
}

impl Default for RunIds {
    fn default() -> Self {
        RunIds::exact()
    }
}

impl RunIds {
    /// Every id of the run, however many.
    pub fn exact() -> Self {
        RunIds {
            current: shards(),
            previous: Vec::new(),
            held: 0,
            generation: None,
            forgot: false,
        }
    }

    /// About the last `window` ids of the run (at least 2).
    pub fn window(window: usize) -> Self {
        RunIds {
            generation: Some((window / 2).max(1)),
            ..RunIds::exact()
        }
    }

    /// Adds `event_id`; false when the run has seen it before (within the
    /// window).
    pub fn insert(&mut self, event_id: &str) -> bool {
        self.insert_hash(id_hash(event_id))
    }

    /// [`RunIds::insert`] of an id by its [`id_hash`].
    pub fn insert_hash(&mut self, h: u128) -> bool {
        let shard = (h >> 120) as usize;
        if self.previous.get(shard).is_some_and(|s| s.contains(&h)) {
            return false;
        }
        if !self.current[shard].insert(h) {
            return false;
        }
        self.held += 1;
        if self.generation.is_some_and(|g| self.held >= g) {
            let full = std::mem::replace(&mut self.current, shards());
            let dropped = std::mem::replace(&mut self.previous, full);
            self.forgot |= dropped.iter().any(|s| !s.is_empty());
            self.held = 0;
        }
        true
    }

    /// True when ids were dropped from memory: the run may hold a
    /// duplicate this set did not see.
    pub fn forgot(&self) -> bool {
        self.forgot
    }
}

/// True when run `run_id` inserted an event id twice: the check of a run
/// whose [`RunIds`] [`forgot`](RunIds::forgot) ids, before it commits.
pub fn inserted_twice(conn: &Connection, run_id: i64) -> duckdb::Result<bool> {
    let twice: i64 = conn.query_row(WITHIN_RUN_SQL, [run_id], |r| r.get(0))?;
    Ok(twice > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_id_is_new_once() {
        let mut ids = RunIds::default();
        for i in 0..50_000 {
            assert!(ids.insert(&format!("evt-{i}")));
        }
        for i in (0..50_000).step_by(7) {
            assert!(!ids.insert(&format!("evt-{i}")), "evt-{i} seen twice");
        }
        // the shards share the ids out
        let used = ids.current.iter().filter(|s| !s.is_empty()).count();
        assert_eq!(used, SHARDS);
        assert!(!ids.forgot());
    }

    #[test]
    fn a_window_forgets_old_ids_and_says_so() {
        let mut ids = RunIds::window(1_000);
        for i in 0..400 {
            assert!(ids.insert(&format!("e{i}")));
        }
        assert!(!ids.forgot(), "nothing dropped yet");
        assert!(!ids.insert("e0"), "within the window");
        for i in 400..2_000 {
            ids.insert(&format!("e{i}"));
        }
        assert!(ids.forgot());
        assert!(!ids.insert("e1999"), "recent ids are still seen");
        assert!(ids.insert("e0"), "an old id is forgotten");
    }
}
