//! The loader: the single consumer of parsed items, in file order.

use std::collections::{BTreeMap, HashMap};
use std::thread::Scope;

use duckdb::Connection;
use serde::Serialize;

use super::schema::Registry;
use super::state::PreviousFile;
use super::store::tables::Batches;
use super::store::writer::Writer;
use super::{FINISH_RUN_SQL, STAGE_SQL};
use crate::budgets::Budgets;
use crate::dedup::compare;
use crate::dedup::history::{self, History};
use crate::dedup::run_ids::{self, id_hash, stored_hash, RunIds};
use crate::discover::SourceFile;
use crate::flatten::generic::FlatLimits;
use crate::flatten::parse_record;
use crate::records::{FileDone, FileOutcome, Item, ParsedChunk, ParsedEvent};
use crate::reject::escape_raw;

/// What one run did, counted by the loader.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RunCounts {
    /// Files read (fully or from a resume point).
    pub files_read: u64,
    /// Files that only grew and were read from where the last run stopped.
    pub files_resumed: u64,
    /// Files not opened because they did not change.
    pub files_skipped: u64,
    /// Records framed: inserted + duplicates + rejected.
    pub records: u64,
    /// New events.
    pub inserted: u64,
    /// Later deliveries of events already loaded.
    pub duplicates: u64,
    /// Duplicates whose content differs from the first delivery.
    pub conflicts: u64,
    /// Quarantined records.
    pub rejected: u64,
    /// Quarantined records by reason code.
    pub rejected_by_reason: BTreeMap<String, u64>,
    /// Values that could not be coerced.
    pub field_issues: u64,
    /// Field issues by problem code.
    pub field_issues_by_problem: BTreeMap<String, u64>,
    /// New events by event type.
    pub inserted_by_type: BTreeMap<String, u64>,
    /// Bytes of incomplete last records left for a later run (files that
    /// may still be written to).
    pub pending_bytes: u64,
}

/// Adds one to `map[key]` without allocating when the key exists.
fn bump(map: &mut BTreeMap<String, u64>, key: &str) {
    match map.get_mut(key) {
        Some(n) => *n += 1,
        None => {
            map.insert(key.to_string(), 1);
        }
    }
}

/// Appends one run's rows; see the module docs of `load`.
pub struct Loader<'a, 'scope> {
    /// The connection, on the writer thread.
    db: Writer<'scope>,
    run_id: i64,
    files: &'a [SourceFile],
    paths: Vec<String>,
    previous: &'a HashMap<String, PreviousFile>,
    /// Ids this run has seen.
    known: RunIds,
    /// Ids earlier runs may have loaded (None: nothing stored yet).
    history: Option<History>,
    /// First deliveries staged as tentative (`crate::dedup::history`).
    tentative: u64,
    /// Budgets for parsing tentative deliveries again.
    limits: FlatLimits,
    batches: Batches,
    counts: RunCounts,
    file_records: u64,
    file_rejects: u64,
    /// `cmb_requests`, `<type>_events` and their child tables.
    registry: Registry,
    /// DuckDB's threads for the queries that settle the run.
    threads: i64,
}

impl<'a, 'scope> Loader<'a, 'scope> {
    /// Prepares staging for run `run_id` (the caller has begun a
    /// transaction) and hands `conn` to a writer thread in `scope`.
    pub fn new<'env>(
        scope: &'scope Scope<'scope, 'env>,
        conn: &'scope mut Connection,
        run_id: i64,
        files: &'a [SourceFile],
        previous: &'a HashMap<String, PreviousFile>,
        budgets: Budgets,
        exact_ids: bool,
    ) -> duckdb::Result<Self> {
        conn.execute_batch(&super::store::tables::STAGE_DUPLICATES.create_sql())?;
        conn.execute_batch(STAGE_SQL)?;
        let registry = Registry::load(conn, run_id, budgets)?;
        let history = History::load(conn)?;
        // while rows stream in, DuckDB's work is the writer thread's own:
        // a second DuckDB thread only polled for tasks beside the parsers
        let threads: i64 = conn.query_row("SELECT current_setting('threads')", [], |r| r.get(0))?;
        conn.execute_batch("SET threads = 1")?;
        Ok(Loader {
            db: Writer::start(scope, conn),
            threads,
            run_id,
            files,
            paths: files.iter().map(SourceFile::display_path).collect(),
            previous,
            known: if exact_ids {
                RunIds::exact()
            } else {
                RunIds::window(budgets.max_ids_in_memory)
            },
            history,
            tentative: 0,
            limits: FlatLimits::from(&budgets),
            batches: Batches::default(),
            counts: RunCounts::default(),
            file_records: 0,
            file_rejects: 0,
            registry,
        })
    }

    /// Loads one chunk; chunks must arrive in sequence order.
    pub fn load(&mut self, chunk: ParsedChunk) -> duckdb::Result<()> {
        let data = &chunk.data;
        for item in chunk.items {
            match item {
                Item::Event {
                    file,
                    location,
                    range,
                    event,
                } => {
                    // validated as UTF-8 by the parser
                    let text = std::str::from_utf8(&data[range]).unwrap_or_default();
                    self.event(file, &location.to_string(), text, *event)?;
                }
                Item::Reject {
                    file,
                    location,
                    reason,
                    message,
                    range,
                } => {
                    self.counts.records += 1;
                    self.counts.rejected += 1;
                    self.file_records += 1;
                    self.file_rejects += 1;
                    bump(&mut self.counts.rejected_by_reason, reason.code());
                    self.batches
                        .rejects
                        .row()
                        .bigint(Some(self.run_id))
                        .text(Some(&self.paths[file]))
                        .text(Some(&location.to_string()))
                        .text(Some(reason.code()))
                        .text(Some(&message))
                        .text(Some(&escape_raw(&data[range])))
                        .end();
                }
                Item::FileDone(done) => self.file_done(done),
            }
        }
        self.flush(false)
    }

    fn event(
        &mut self,
        file: usize,
        location: &str,
        text: &str,
        event: ParsedEvent,
    ) -> duckdb::Result<()> {
        self.counts.records += 1;
        self.file_records += 1;
        let env = &event.envelope;
        let hash = id_hash(&env.event_id);
        let stored = stored_hash(hash);
        let first_in_run = self.known.insert_hash(hash);
        let tentative =
            first_in_run && self.history.as_ref().is_some_and(|h| h.may_contain(stored));
        if !first_in_run || tentative {
            self.counts.duplicates += 1;
            self.tentative += u64::from(tentative);
            self.batches
                .duplicates
                .row()
                .bigint(Some(self.run_id))
                .text(Some(&env.event_id))
                .text(Some(&self.paths[file]))
                .text(Some(location))
                .text(Some(text))
                .bigint(Some(stored))
                .boolean(Some(tentative))
                .bigint(Some(event.payload_hash))
                .bigint(Some(text.len() as i64))
                .end();
            return Ok(());
        }
        self.insert(file, location, text, &event, stored)
    }

    /// Appends a new event's rows: `events`, its flattened rows, its field
    /// issues.
    fn insert(
        &mut self,
        file: usize,
        location: &str,
        text: &str,
        event: &ParsedEvent,
        stored: i64,
    ) -> duckdb::Result<()> {
        let env = &event.envelope;
        let b = &mut self.batches;
        self.counts.inserted += 1;
        bump(&mut self.counts.inserted_by_type, &env.event_type);
        b.events
            .row()
            .text(Some(&env.event_id))
            .text(Some(&env.event_type))
            .text(env.client_account_id.as_deref())
            .timestamp(env.created_at)
            .text(Some(&self.paths[file]))
            .text(Some(location))
            .bigint(Some(self.run_id))
            .text(Some(text))
            .bigint(Some(stored))
            .bigint(Some(event.payload_hash))
            .end();
        let budget_issues = self.registry.write(
            &mut self.db,
            env,
            event.cmb.as_ref(),
            &event.flat,
            &event.overflow,
        )?;
        for issue in event.issues.iter().chain(&budget_issues) {
            self.counts.field_issues += 1;
            bump(
                &mut self.counts.field_issues_by_problem,
                issue.problem.code(),
            );
            b.issues
                .row()
                .bigint(Some(self.run_id))
                .text(Some(&env.event_id))
                .text(Some(&env.event_type))
                .text(Some(&issue.field))
                .text(Some(&issue.raw_value))
                .text(Some(issue.problem.code()))
                .end();
        }
        Ok(())
    }

    /// Loads the tentative deliveries no earlier run loaded (the filter's
    /// false positives), parsed again from their staged text.
    fn settle_tentative(&mut self) -> duckdb::Result<()> {
        if self.tentative == 0 {
            return Ok(());
        }
        let (run_id, tentative) = (self.run_id, self.tentative);
        let new = self
            .db
            .call(move |conn| history::settle_tentative(conn, run_id, tentative))?;
        let mut files: HashMap<String, usize> = self
            .paths
            .iter()
            .enumerate()
            .map(|(i, p)| (p.clone(), i))
            .collect();
        for row in new {
            self.counts.duplicates -= 1;
            // staged from this run's paths; a name not among them is kept
            let file = *files.entry(row.source_file.clone()).or_insert_with(|| {
                self.paths.push(row.source_file.clone());
                self.paths.len() - 1
            });
            match parse_record(row.payload.as_bytes(), self.limits) {
                Ok(event) => {
                    let stored = stored_hash(id_hash(&event.envelope.event_id));
                    self.insert(file, &row.location, &row.payload, &event, stored)?;
                }
                // it parsed when it was read; the same bytes parse again
                Err((reason, message)) => {
                    self.counts.rejected += 1;
                    bump(&mut self.counts.rejected_by_reason, reason.code());
                    self.batches
                        .rejects
                        .row()
                        .bigint(Some(self.run_id))
                        .text(Some(&row.source_file))
                        .text(Some(&row.location))
                        .text(Some(reason.code()))
                        .text(Some(&message))
                        .text(Some(&escape_raw(row.payload.as_bytes())))
                        .end();
                }
            }
        }
        self.flush(true)
    }

    fn file_done(&mut self, done: FileDone) {
        let (records, rejects) = (self.file_records, self.file_rejects);
        self.file_records = 0;
        self.file_rejects = 0;
        let FileOutcome::Read {
            summary,
            resumed_from,
        } = done.outcome
        else {
            self.counts.files_skipped += 1;
            return;
        };
        self.counts.files_read += 1;
        if resumed_from.is_some() {
            self.counts.files_resumed += 1;
        }
        let path = &self.paths[done.file];
        let source = &self.files[done.file];
        let first_run = self.previous.get(path).map_or(self.run_id, |p| p.first_run);
        let resume = summary.resume.as_ref();
        self.batches
            .files
            .row()
            .text(Some(path))
            .bigint(Some(summary.size as i64))
            .timestamp(source.modified_micros())
            .text(summary.fingerprint.as_deref())
            .text(summary.layout.map(|l| l.name()))
            .boolean(Some(summary.compressed))
            .bigint(Some(records as i64))
            .bigint(Some(rejects as i64))
            .bigint(resume.map(|r| r.offset as i64))
            .bigint(resume.map(|r| r.line as i64))
            .text(resume.map(|r| r.fingerprint.as_str()))
            .bigint(Some(first_run))
            .bigint(Some(self.run_id))
            .bigint(Some(summary.pending_bytes as i64))
            .end();
        self.counts.pending_bytes += summary.pending_bytes;
    }

    fn flush(&mut self, all: bool) -> duckdb::Result<()> {
        for batch in self.batches.all_mut() {
            if batch.is_empty() || (!all && !batch.is_full()) {
                continue;
            }
            let rows = batch
                .take()
                .map_err(|e| duckdb::Error::ToSqlConversionFailure(Box::new(e)))?;
            self.db.append(batch.table(), rows)?;
        }
        Ok(())
    }

    /// Appends what is left, settles duplicates and file state, and returns
    /// the counts. The caller records the run and commits. None: the run
    /// held more ids than it keeps in memory and a re-delivery slipped past
    /// them; the caller rolls back and loads again with every id in memory.
    pub fn finish(mut self) -> duckdb::Result<Option<RunCounts>> {
        self.flush(true)?;
        self.db.execute(format!("SET threads = {}", self.threads))?;
        if self.known.forgot() {
            let run_id = self.run_id;
            if self
                .db
                .call(move |conn| run_ids::inserted_twice(conn, run_id))?
            {
                self.db.finish()?;
                return Ok(None);
            }
        }
        self.settle_tentative()?;
        self.registry.finish(&mut self.db)?;
        self.counts.conflicts += self.db.call(compare::settle)?;
        self.flush(true)?;
        self.db.execute(FINISH_RUN_SQL.to_string())?;
        self.db.finish()?;
        Ok(Some(self.counts))
    }
}
