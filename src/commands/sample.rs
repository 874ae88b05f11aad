//! `hookstat sample`: write a synthetic archive.

use anyhow::Result;

use super::Outcome;
use crate::cli::{SampleArgs, SampleLayoutArg};
use crate::sample::{write_sample, SampleLayout, SampleOptions};
use crate::summary::thousands;

/// Writes the archive and prints what it contains.
pub fn run(args: &SampleArgs) -> Result<Outcome> {
    if std::fs::read_dir(&args.out).is_ok_and(|mut d| d.next().is_some()) {
        anyhow::bail!(
            "{} is not empty; write the sample into a new folder so it is not mixed with other files",
            args.out.display()
        );
    }
    let layout = match args.layout {
        SampleLayoutArg::Mixed => SampleLayout::Mixed,
        SampleLayoutArg::Ndjson => SampleLayout::Ndjson,
        SampleLayoutArg::Files => SampleLayout::Files,
    };
    let manifest = write_sample(&SampleOptions {
        out: args.out.clone(),
        events: args.events,
        seed: args.seed,
        layout,
        clean: args.clean,
    })?;
    let bad: usize = manifest.rejects_by_reason.values().sum();
    println!(
        "wrote {} files ({:.1} MB) to {}: {} events, {} deliveries ({} duplicates), {} bad records",
        thousands(manifest.files as u64),
        manifest.bytes as f64 / 1e6,
        args.out.display(),
        thousands(manifest.distinct_events as u64),
        thousands(manifest.deliveries as u64),
        thousands(manifest.duplicate_deliveries as u64),
        thousands(bad as u64),
    );
    Ok(Outcome::Done)
}
