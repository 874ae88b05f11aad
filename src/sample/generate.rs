//! The day-by-day generation loop of the sample archive: plans each event
//! (type, layout family, field issue, repeat deliveries), schedules repeats,
//! hands every day's deliveries to the layout writers in time order, and
//! tallies the manifest.

use std::collections::BTreeMap;

use anyhow::Result;
use chrono::{Datelike, Days, NaiveDate, Weekday};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::bad::{self, BadKind};
use super::events::{EventGen, EventKind, FieldIssue};
use super::layouts::{
    day_of, ExportSink, Family, FilesSink, FirehoseSink, NdjsonDay, NdjsonSink, Rec, Totals,
};
use super::util::{weighted, BASE_EPOCH, DAY_SECS, IST_OFFSET};
use super::{SampleLayout, SampleManifest, SampleOptions};

/// Days over which events are created (2025-08-01 .. 2025-08-30).
const EVENT_DAYS: u32 = 30;
/// Day whose NDJSON file starts with a UTF-8 BOM (a plain `.ndjson` day).
const BOM_DAY: u32 = 4;
/// Day whose NDJSON file ends with a half-written line (a plain `.ndjson` day).
const HALF_DAY: u32 = 12;
/// Delay before each retry attempt, seconds: 2 min, 6 min, 30 min, 1 h, 5 h,
/// 1 day, 2 days.
const RETRY_DELAYS: [i64; 7] = [120, 360, 1_800, 3_600, 18_000, 86_400, 172_800];
/// How likely each attempt is to have been archived as a repeat.
const RETRY_WEIGHTS: [u32; 7] = [30, 20, 15, 12, 10, 8, 5];
/// Relative volume per IST hour of day (Indian business hours are busiest).
const IST_HOUR_WEIGHTS: [u32; 24] = [
    1, 1, 1, 1, 1, 1, 2, 4, 8, 14, 18, 20, 20, 19, 18, 18, 17, 16, 15, 14, 12, 9, 5, 2,
];

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
    let mut time_rng = ChaCha8Rng::seed_from_u64(master.gen());
    let mut ev_rng = ChaCha8Rng::seed_from_u64(master.gen());
    let mut bad_rng = ChaCha8Rng::seed_from_u64(master.gen());
    let mut sink_rng = ChaCha8Rng::seed_from_u64(master.gen());
    let gen = EventGen::new(clean);
    let has_ndjson = opts.layout != SampleLayout::Files;
    let forced = (!clean && n >= 200).then(|| Forced {
        issues: [
            (n / 7, FieldIssue::ImpossibleDate),
            (3 * n / 7, FieldIssue::SoonTimestamp),
            (5 * n / 7, FieldIssue::MaybeBoolean),
        ],
        conflict: 2 * n / 7,
    });
    let mut bad_plan = if !clean && has_ndjson {
        bad::plan(&mut bad_rng, n, EVENT_DAYS)
    } else {
        Vec::new()
    };

    let mut m = SampleManifest {
        seed: opts.seed,
        layout: opts.layout.name().to_string(),
        clean,
        ..SampleManifest::default()
    };
    let mut totals = Totals::default();
    let ndjson = NdjsonSink::new(&opts.out, opts.layout == SampleLayout::Mixed);
    let mut files = FilesSink::new(&opts.out);
    let mut firehose = FirehoseSink::new(&opts.out);
    let mut export = ExportSink::new(&opts.out);
    let counts = day_counts(n);
    let hour_weights = half_hour_weights();
    let mut pending: BTreeMap<(i64, u64), Rec> = BTreeMap::new();
    let (mut seq, mut index) = (0u64, 0usize);

    let mut day = 0u32;
    while day < EVENT_DAYS || !pending.is_empty() {
        let mut recs: Vec<Rec> = Vec::new();
        if day < EVENT_DAYS {
            let mut times: Vec<i64> = (0..counts[day as usize])
                .map(|_| sample_time(&mut time_rng, &hour_weights, day))
                .collect();
            times.sort_unstable();
            for created_at in times {
                let plan = plan_event(&mut ev_rng, index, clean, opts.layout, forced.as_ref());
                index += 1;
                let (id, value) = gen.event(&mut ev_rng, plan.kind, created_at, plan.issue);
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
                    let schedule = retry_schedule(&mut ev_rng);
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
                            serialize(&gen.conflicting_copy(&mut ev_rng, &value), plan.family)?
                        } else {
                            body.clone()
                        };
                        seq += 1;
                        let rec = Rec {
                            time,
                            seq,
                            family: plan.family,
                            event_id: id.clone(),
                            body: rbody,
                            retry,
                        };
                        pending.insert((time, seq), rec);
                        m.deliveries += 1;
                        m.duplicate_deliveries += 1;
                        m.conflicting_duplicates += usize::from(conflicting);
                    }
                }
                seq += 1;
                recs.push(Rec {
                    time: created_at,
                    seq,
                    family: plan.family,
                    event_id: id,
                    body,
                    retry: None,
                });
            }
        }
        let day_end = BASE_EPOCH + (i64::from(day) + 1) * DAY_SECS;
        while let Some(entry) = pending.first_entry() {
            if entry.key().0 >= day_end {
                break;
            }
            recs.push(entry.remove());
        }
        recs.sort_by_key(|r| (r.time, r.seq));

        let mut nd = NdjsonDay::default();
        for rec in &recs {
            match rec.family {
                Family::Ndjson => nd.lines.push(&rec.body),
                Family::Files => files.write(rec, &mut totals)?,
                Family::Firehose => firehose.push(&mut sink_rng, rec, &mut totals)?,
                Family::Export => export.push(rec, &mut totals)?,
            }
        }
        if has_ndjson {
            if let Some(kinds) = bad_plan.get_mut(day as usize) {
                for kind in kinds.drain(..) {
                    *m.rejects_by_reason
                        .entry(kind.reason().to_string())
                        .or_default() += 1;
                    nd.bad
                        .push((kind, bad::line(&mut bad_rng, &gen, kind, day)));
                }
            }
            if !clean && day == BOM_DAY {
                nd.bom = true;
            }
            if !clean && day == HALF_DAY {
                let t = BASE_EPOCH + i64::from(day) * DAY_SECS + DAY_SECS - 60;
                nd.half = Some(bad::truncated(&mut bad_rng, &gen, t));
                *m.rejects_by_reason
                    .entry(BadKind::Truncated.reason().to_string())
                    .or_default() += 1;
            }
            ndjson.write_day(&mut sink_rng, day, nd, &mut totals)?;
        }
        day += 1;
    }
    firehose.flush(&mut totals)?;
    export.close(&mut totals)?;
    if !clean && has_ndjson {
        ndjson.write_empty(&mut totals)?;
    }
    m.files = totals.files;
    m.bytes = totals.bytes;
    Ok(m)
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

/// 1-3 repeat deliveries: (attempt number 1-7, seconds after the first
/// delivery), in increasing time order.
fn retry_schedule(rng: &mut ChaCha8Rng) -> Vec<(u8, i64)> {
    let repeats = weighted(rng, &[75, 20, 5]) + 1;
    let mut weights = RETRY_WEIGHTS;
    let mut attempts: Vec<usize> = Vec::with_capacity(repeats);
    for _ in 0..repeats {
        let a = weighted(rng, &weights);
        weights[a] = 0;
        attempts.push(a);
    }
    attempts.sort_unstable();
    attempts
        .into_iter()
        .map(|a| {
            let cumulative: i64 = RETRY_DELAYS[..=a].iter().sum();
            // Each earlier attempt may have waited up to the 20 s timeout.
            let jitter = rng.gen_range(0..=20 * (a as i64 + 1));
            // `a` < 7, so the attempt number fits in a u8.
            ((a + 1) as u8, cumulative + jitter)
        })
        .collect()
}

/// Splits `n` events over the event days (weekends quieter, Independence Day
/// quieter, slow growth), exactly, by largest remainder.
fn day_counts(n: usize) -> Vec<usize> {
    let start = NaiveDate::from_ymd_opt(2025, 8, 1).unwrap_or_default();
    let weights: Vec<f64> = (0..EVENT_DAYS)
        .map(|d| {
            let date = start
                .checked_add_days(Days::new(u64::from(d)))
                .unwrap_or(start);
            let w = match date.weekday() {
                Weekday::Sat => 0.8,
                Weekday::Sun => 0.6,
                _ => 1.0,
            };
            let holiday = if date.month() == 8 && date.day() == 15 {
                0.7
            } else {
                1.0
            };
            w * holiday * (1.0 + f64::from(d) * 0.01)
        })
        .collect();
    let total: f64 = weights.iter().sum();
    let exact: Vec<f64> = weights.iter().map(|w| w / total * n as f64).collect();
    // Floors of non-negative finite values no larger than n.
    let mut counts: Vec<usize> = exact.iter().map(|x| x.floor() as usize).collect();
    let mut rest = n - counts.iter().sum::<usize>();
    let mut order: Vec<usize> = (0..counts.len()).collect();
    order.sort_by(|a, b| {
        (exact[*b] - exact[*b].floor())
            .total_cmp(&(exact[*a] - exact[*a].floor()))
            .then(a.cmp(b))
    });
    for i in order.into_iter().cycle() {
        if rest == 0 {
            break;
        }
        counts[i] += 1;
        rest -= 1;
    }
    counts
}

/// Weight of each UTC half-hour of the day, from the IST hour it falls in.
fn half_hour_weights() -> [u32; 48] {
    let mut weights = [0u32; 48];
    for (b, w) in weights.iter_mut().enumerate() {
        // UTC half-hour b is IST half-hour (b + 11) mod 48 (+05:30).
        *w = IST_HOUR_WEIGHTS[((b + (IST_OFFSET / 1_800) as usize) % 48) / 2];
    }
    weights
}

/// A creation time within UTC day `day`, weighted by IST hour of day.
fn sample_time(rng: &mut ChaCha8Rng, weights: &[u32; 48], day: u32) -> i64 {
    let bucket = weighted(rng, weights) as i64;
    BASE_EPOCH + i64::from(day) * DAY_SECS + bucket * 1_800 + rng.gen_range(0..1_800)
}

fn serialize(value: &serde_json::Value, family: Family) -> Result<Vec<u8>> {
    Ok(if family.pretty() {
        serde_json::to_vec_pretty(value)?
    } else {
        serde_json::to_vec(value)?
    })
}
