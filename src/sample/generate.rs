//! The day-by-day generation loop of the sample archive: plans each event
//! (type, layout family, field issue, repeat deliveries), schedules repeats,
//! hands every day's deliveries to the layout writers in time order, and
//! tallies the manifest.

use std::collections::BTreeMap;

use anyhow::Result;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::bad::{self, BadKind};
use super::events::{EventGen, EventKind, FieldIssue};
use super::layouts::{
    day_of, ExportSink, Family, FilesSink, FirehoseSink, NdjsonDay, NdjsonSink, Rec, Totals,
};
use super::schedule::{day_counts, half_hour_weights, retry_schedule, sample_time};
use super::util::{weighted, BASE_EPOCH, DAY_SECS};
use super::{SampleLayout, SampleManifest, SampleOptions};

/// Days over which events are created (2025-08-01 .. 2025-08-30).
pub(super) const EVENT_DAYS: u32 = 30;
/// Day whose NDJSON file starts with a UTF-8 BOM (a plain `.ndjson` day).
const BOM_DAY: u32 = 4;
/// Day whose NDJSON file ends with a half-written line (a plain `.ndjson` day).
const HALF_DAY: u32 = 12;
/// What to do with one event.
struct Plan {
    kind: EventKind,
    family: Family,
    issue: Option<FieldIssue>,
    conflict: bool,
    repeats: bool,
}

/// Events whose special treatment is forced so small archives show every case.
struct Forced {
    issues: [(usize, FieldIssue); 3],
    conflict: usize,
}

/// Generates the archive for `opts` and returns its manifest (files and bytes
/// included); the caller writes the manifest file.
pub(crate) fn run(opts: &SampleOptions) -> Result<SampleManifest> {
    let n = opts.events;
    let clean = opts.clean;
    let mut master = ChaCha8Rng::seed_from_u64(opts.seed);
    let mut g = Generator {
        opts,
        time_rng: ChaCha8Rng::seed_from_u64(master.gen()),
        ev_rng: ChaCha8Rng::seed_from_u64(master.gen()),
        bad_rng: ChaCha8Rng::seed_from_u64(master.gen()),
        sink_rng: ChaCha8Rng::seed_from_u64(master.gen()),
        gen: EventGen::new(clean),
        forced: (!clean && n >= 200).then(|| Forced {
            issues: [
                (n / 7, FieldIssue::ImpossibleDate),
                (3 * n / 7, FieldIssue::SoonTimestamp),
                (5 * n / 7, FieldIssue::MaybeBoolean),
            ],
            conflict: 2 * n / 7,
        }),
        m: SampleManifest {
            seed: opts.seed,
            layout: opts.layout.name().to_string(),
            clean,
            ..SampleManifest::default()
        },
        pending: BTreeMap::new(),
        seq: 0,
        index: 0,
    };
    let has_ndjson = opts.layout != SampleLayout::Files;
    let mut bad_plan = if !clean && has_ndjson {
        bad::plan(&mut g.bad_rng, n, EVENT_DAYS)
    } else {
        Vec::new()
    };
    let mut totals = Totals::default();
    let ndjson = NdjsonSink::new(&opts.out, opts.layout == SampleLayout::Mixed);
    let mut files = FilesSink::new(&opts.out);
    let mut firehose = FirehoseSink::new(&opts.out);
    let mut export = ExportSink::new(&opts.out);
    let counts = day_counts(n);
    let hour_weights = half_hour_weights();
    let mut day = 0u32;
    while day < EVENT_DAYS || !g.pending.is_empty() {
        let mut recs = match counts.get(day as usize) {
            Some(&count) if day < EVENT_DAYS => g.new_events(day, count, &hour_weights)?,
            _ => Vec::new(),
        };
        g.due_repeats(day, &mut recs);
        recs.sort_by_key(|r| (r.time, r.seq));
        let mut nd = NdjsonDay::default();
        for rec in &recs {
            match rec.family {
                Family::Ndjson => nd.lines.push(&rec.body),
                Family::Files => files.write(rec, &mut totals)?,
                Family::Firehose => firehose.push(&mut g.sink_rng, rec, &mut totals)?,
                Family::Export => export.push(rec, &mut totals)?,
            }
        }
        if has_ndjson {
            g.bad_lines(day, &mut bad_plan, &mut nd);
            ndjson.write_day(&mut g.sink_rng, day, nd, &mut totals)?;
        }
        day += 1;
    }
    firehose.flush(&mut totals)?;
    export.close(&mut totals)?;
    if !clean && has_ndjson {
        ndjson.write_empty(&mut totals)?;
    }
    g.m.files = totals.files;
    g.m.bytes = totals.bytes;
    Ok(g.m)
}

/// The state of one generation: random streams, pending repeat deliveries
/// and the manifest being tallied.
struct Generator<'a> {
    opts: &'a SampleOptions,
    time_rng: ChaCha8Rng,
    ev_rng: ChaCha8Rng,
    bad_rng: ChaCha8Rng,
    sink_rng: ChaCha8Rng,
    gen: EventGen,
    forced: Option<Forced>,
    m: SampleManifest,
    pending: BTreeMap<(i64, u64), Rec>,
    seq: u64,
    index: usize,
}

impl Generator<'_> {
    /// The first deliveries of the `count` events created on `day`, in time
    /// order; their repeats are scheduled.
    fn new_events(&mut self, day: u32, count: usize, weights: &[u32; 48]) -> Result<Vec<Rec>> {
        let mut times: Vec<i64> = (0..count)
            .map(|_| sample_time(&mut self.time_rng, weights, day))
            .collect();
        times.sort_unstable();
        times.into_iter().map(|t| self.new_event(t)).collect()
    }

    fn new_event(&mut self, created_at: i64) -> Result<Rec> {
        let (clean, layout) = (self.opts.clean, self.opts.layout);
        let plan = plan_event(
            &mut self.ev_rng,
            self.index,
            clean,
            layout,
            self.forced.as_ref(),
        );
        self.index += 1;
        let (id, value) = self
            .gen
            .event(&mut self.ev_rng, plan.kind, created_at, plan.issue);
        let m = &mut self.m;
        *m.events_by_type
            .entry(plan.kind.name().to_string())
            .or_default() += 1;
        m.distinct_events += 1;
        m.deliveries += 1;
        if let Some(issue) = plan.issue {
            *m.field_issues_by_problem
                .entry(issue.problem().to_string())
                .or_default() += 1;
            *m.field_issues_by_field
                .entry(issue.field().to_string())
                .or_default() += 1;
        }
        let body = serialize(&value, plan.family)?;
        if plan.repeats {
            self.schedule_repeats(&plan, &id, &value, &body, created_at)?;
        }
        self.seq += 1;
        Ok(Rec {
            time: created_at,
            seq: self.seq,
            family: plan.family,
            event_id: id,
            body,
            retry: None,
        })
    }

    /// Queues the repeat deliveries of one event (the last one changed when
    /// the plan says the retries conflict).
    fn schedule_repeats(
        &mut self,
        plan: &Plan,
        id: &str,
        value: &serde_json::Value,
        body: &[u8],
        created_at: i64,
    ) -> Result<()> {
        let schedule = retry_schedule(&mut self.ev_rng);
        let mut used_days = vec![day_of(created_at)];
        let last = schedule.len().saturating_sub(1);
        for (i, (attempt, offset)) in schedule.into_iter().enumerate() {
            let time = created_at + offset;
            let d = day_of(time);
            let retry = if used_days.contains(&d) {
                Some(attempt)
            } else {
                used_days.push(d);
                None
            };
            let conflicting = plan.conflict && i == last;
            let rbody = if conflicting {
                let copy = self.gen.conflicting_copy(&mut self.ev_rng, value);
                serialize(&copy, plan.family)?
            } else {
                body.to_vec()
            };
            self.seq += 1;
            let rec = Rec {
                time,
                seq: self.seq,
                family: plan.family,
                event_id: id.to_string(),
                body: rbody,
                retry,
            };
            self.pending.insert((time, self.seq), rec);
            self.m.deliveries += 1;
            self.m.duplicate_deliveries += 1;
            self.m.conflicting_duplicates += usize::from(conflicting);
        }
        Ok(())
    }

    /// Moves the repeats due before the end of `day` into `recs`.
    fn due_repeats(&mut self, day: u32, recs: &mut Vec<Rec>) {
        let day_end = BASE_EPOCH + (i64::from(day) + 1) * DAY_SECS;
        while let Some(entry) = self.pending.first_entry() {
            if entry.key().0 >= day_end {
                break;
            }
            recs.push(entry.remove());
        }
    }

    /// The bad lines, BOM and half-written last line of `day`'s NDJSON file.
    fn bad_lines(&mut self, day: u32, bad_plan: &mut [Vec<BadKind>], nd: &mut NdjsonDay<'_>) {
        let clean = self.opts.clean;
        if let Some(kinds) = bad_plan.get_mut(day as usize) {
            for kind in kinds.drain(..) {
                *self
                    .m
                    .rejects_by_reason
                    .entry(kind.reason().to_string())
                    .or_default() += 1;
                nd.bad
                    .push((kind, bad::line(&mut self.bad_rng, &self.gen, kind, day)));
            }
        }
        if !clean && day == BOM_DAY {
            nd.bom = true;
        }
        if !clean && day == HALF_DAY {
            let t = BASE_EPOCH + i64::from(day) * DAY_SECS + DAY_SECS - 60;
            nd.half = Some(bad::truncated(&mut self.bad_rng, &self.gen, t));
            *self
                .m
                .rejects_by_reason
                .entry(BadKind::Truncated.reason().to_string())
                .or_default() += 1;
        }
    }
}

/// Decides type, family, field issue and repeats of the `index`-th event
/// (in creation order).
fn plan_event(
    rng: &mut ChaCha8Rng,
    index: usize,
    clean: bool,
    layout: SampleLayout,
    forced: Option<&Forced>,
) -> Plan {
    let family = match layout {
        SampleLayout::Ndjson => Family::Ndjson,
        SampleLayout::Files => Family::Files,
        SampleLayout::Mixed => [
            Family::Ndjson,
            Family::Firehose,
            Family::Files,
            Family::Export,
        ][weighted(rng, &[40, 30, 15, 15])],
    };
    let roll = rng.gen_range(0..1000);
    let kind = match roll {
        0..=849 => EventKind::Cmb,
        850..=989 => EventKind::Uf,
        _ => EventKind::SurveyV2,
    };
    let mut plan = Plan {
        kind,
        family,
        issue: None,
        conflict: false,
        repeats: false,
    };
    if clean {
        return plan;
    }
    if let Some(f) = forced {
        if let Some((_, issue)) = f.issues.iter().find(|(i, _)| *i == index) {
            plan.kind = EventKind::Cmb;
            plan.issue = Some(*issue);
            return plan;
        }
        if f.conflict == index {
            plan.kind = EventKind::Cmb;
            plan.conflict = true;
            plan.repeats = true;
            return plan;
        }
    }
    if plan.kind == EventKind::Cmb && rng.gen_bool(0.003) {
        plan.issue = Some(FieldIssue::ALL[rng.gen_range(0..FieldIssue::ALL.len())]);
        return plan;
    }
    plan.conflict = plan.kind == EventKind::Cmb && rng.gen_bool(0.0035);
    plan.repeats = plan.conflict || rng.gen_bool(0.08);
    plan
}

fn serialize(value: &serde_json::Value, family: Family) -> Result<Vec<u8>> {
    Ok(if family.pretty() {
        serde_json::to_vec_pretty(value)?
    } else {
        serde_json::to_vec(value)?
    })
}
