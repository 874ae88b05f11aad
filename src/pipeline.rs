//! The threads of an ingest run: one reader frames files in order, parser
//! threads validate and flatten chunks in parallel, and the caller's thread
//! loads chunks strictly in sequence order, so "first delivery wins" means
//! first in sorted path order and file position, however threads interleave.
//!
//! Channels are bounded, so memory stays flat whatever the file sizes.

use std::collections::{BTreeMap, HashMap};
use std::thread;
use std::time::{Duration, SystemTime};

use crossbeam_channel::{bounded, Receiver, Sender};
use indicatif::ProgressBar;

use crate::decode::{FileDecoder, Frame};
use crate::discover::SourceFile;
use crate::flatten::generic::FlatLimits;
use crate::flatten::parse_record;
use crate::records::{FileDone, FileOutcome, Item, ParsedChunk, PreviousFile, RawChunk, RawItem};

/// A chunk is sent on when it holds this many bytes...
const CHUNK_BYTES: usize = 512 * 1024;
/// ...or this many items.
const CHUNK_ITEMS: usize = 1024;

/// How the reader and parser threads work.
#[derive(Debug, Clone, Copy)]
pub struct PipelineOptions {
    /// Parser threads.
    pub parsers: usize,
    /// Per-event flattening budgets.
    pub limits: FlatLimits,
    /// A plain file changed less than this long ago may still be written
    /// to: its incomplete last record is pending, not rejected.
    pub settle_time: Duration,
}

/// Runs the reader and parsers, handing each parsed chunk to `load` in
/// order. Stops early (and returns the error) when `load` fails.
///
/// At most `2 * parsers + 2` chunks are in flight between the reader and
/// the loader (each a few MB, one record at most 16 MiB), so a slow chunk
/// never lets the reorder window grow.
pub fn run<E>(
    files: &[SourceFile],
    previous: &HashMap<String, PreviousFile>,
    options: PipelineOptions,
    progress: &ProgressBar,
    mut load: impl FnMut(ParsedChunk) -> Result<(), E>,
) -> Result<(), E> {
    let parsers = options.parsers.max(1);
    thread::scope(|scope| {
        let (raw_tx, raw_rx) = bounded::<RawChunk>(parsers);
        let (parsed_tx, parsed_rx) = bounded::<ParsedChunk>(parsers);
        let (permit_tx, permit_rx) = bounded::<()>(2 * parsers + 2);
        let reader = Reader {
            files,
            previous,
            settle_time: options.settle_time,
            now: SystemTime::now(),
        };
        scope.spawn(move || reader.read_files(raw_tx, permit_tx, progress));
        for _ in 0..parsers {
            let (rx, tx) = (raw_rx.clone(), parsed_tx.clone());
            scope.spawn(move || parse_chunks(rx, tx, options.limits));
        }
        drop((raw_rx, parsed_tx));
        let mut waiting = BTreeMap::new();
        let mut next = 0u64;
        for chunk in parsed_rx {
            waiting.insert(chunk.seq, chunk);
            while let Some(chunk) = waiting.remove(&next) {
                load(chunk)?;
                let _ = permit_rx.try_recv();
                next += 1;
            }
        }
        Ok(())
    })
}

/// The reader thread's view of the run.
struct Reader<'a> {
    files: &'a [SourceFile],
    previous: &'a HashMap<String, PreviousFile>,
    settle_time: Duration,
    now: SystemTime,
}

impl Reader<'_> {
    /// True when `file` changed less than the settle time ago.
    fn may_grow(&self, file: &SourceFile) -> bool {
        file.modified
            .and_then(|m| self.now.duration_since(m).ok())
            .is_some_and(|age| age < self.settle_time)
    }

    /// Frames every file in order into chunks; each chunk first takes a
    /// permit, which the loader gives back once it has loaded a chunk.
    fn read_files(&self, tx: Sender<RawChunk>, permits: Sender<()>, progress: &ProgressBar) {
        let mut chunk = RawChunk::default();
        let mut seq = 0u64;
        let mut send = |chunk: &mut RawChunk| -> bool {
            let full = std::mem::take(chunk);
            let ok = permits.send(()).is_ok() && tx.send(RawChunk { seq, ..full }).is_ok();
            seq += 1;
            ok
        };
        for (index, file) in self.files.iter().enumerate() {
            let prev = self.previous.get(&file.display_path());
            let may_grow = self.may_grow(file);
            // a pending tail that has settled is read once more, to reject it
            let unchanged =
                prev.is_some_and(|p| p.is_unchanged(file) && (p.pending_bytes == 0 || may_grow));
            let outcome = if unchanged {
                FileOutcome::Unchanged
            } else {
                let resume = prev.and_then(|p| p.resume_from());
                let mut decoder = FileDecoder::open(&file.path, resume, may_grow);
                let resumed_from = decoder.resumed_at();
                while let Some(frame) = decoder.next_frame(&mut chunk.data) {
                    chunk.items.push(RawItem::Frame { file: index, frame });
                    if (chunk.data.len() >= CHUNK_BYTES || chunk.items.len() >= CHUNK_ITEMS)
                        && !send(&mut chunk)
                    {
                        return;
                    }
                }
                FileOutcome::Read {
                    summary: decoder.finish(&file.path),
                    resumed_from,
                }
            };
            chunk.items.push(RawItem::FileDone(FileDone {
                file: index,
                outcome,
            }));
            progress.inc(file.size);
            if chunk.items.len() >= CHUNK_ITEMS && !send(&mut chunk) {
                return;
            }
        }
        if !chunk.items.is_empty() {
            send(&mut chunk);
        }
    }
}

/// Parser thread: validates and flattens records.
fn parse_chunks(rx: Receiver<RawChunk>, tx: Sender<ParsedChunk>, limits: FlatLimits) {
    for raw in rx {
        if tx.send(parse_chunk(raw, limits)).is_err() {
            return;
        }
    }
}

/// Turns framed records into events or rejects.
pub fn parse_chunk(raw: RawChunk, limits: FlatLimits) -> ParsedChunk {
    let items = raw
        .items
        .into_iter()
        .map(|item| match item {
            RawItem::FileDone(done) => Item::FileDone(done),
            RawItem::Frame {
                file,
                frame:
                    Frame::Reject {
                        location,
                        reason,
                        message,
                        range,
                    },
            } => Item::Reject {
                file,
                location,
                reason,
                message,
                range,
            },
            RawItem::Frame {
                file,
                frame: Frame::Record { location, range },
            } => match parse_record(&raw.data[range.clone()], limits) {
                Ok(event) => Item::Event {
                    file,
                    location,
                    range,
                    event: Box::new(event),
                },
                Err((reason, message)) => Item::Reject {
                    file,
                    location,
                    reason,
                    message,
                    range,
                },
            },
        })
        .collect();
    ParsedChunk {
        seq: raw.seq,
        data: raw.data,
        items,
    }
}
