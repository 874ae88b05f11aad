//! Deduplication policy of the load stage: which deliveries are new. An
//! `event_id` seen before, in this run or any earlier one, is a later
//! delivery; the first delivery wins. The loader (`crate::load`) asks
//! before it appends a row and settles what is left when the run finishes;
//! this module decides and stores nothing of its own.
//!
//! - `run_ids.rs`: the run's most recent ids in memory (xxh3-128), and the
//!   one query that checks a run that forgot ids.
//! - `id_filter.rs`: the split-block Bloom filter of stored id hashes.
//! - `history.rs`: against earlier runs: the filter built from
//!   `events.id_hash`, tentative deliveries settled by one query, the
//!   small buffer of the queries that read the history once.
//! - `compare.rs`: each later delivery recorded with whether its content
//!   equals the first delivery's.

pub mod compare;
pub mod history;
mod id_filter;
pub mod run_ids;
