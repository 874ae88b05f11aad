//! The threads of an ingest run: one reader frames files in order, parser
//! threads validate and flatten chunks in parallel, and the caller's thread
//! loads chunks strictly in sequence order, so "first delivery wins" means
//! first in sorted path order and file position, however threads interleave.
//!
//! Channels are bounded, so memory stays flat whatever the file sizes.

use std::collections::{BTreeMap, HashMap};
use std::thread;

use crossbeam_channel::{bounded, Receiver, Sender};
use indicatif::ProgressBar;

use crate::decode::{FileDecoder, Frame};
use crate::discover::SourceFile;
use crate::flatten::cmb::{cmb_row, KNOWN_KEYS};
use crate::flatten::generic::flatten;
use crate::flatten::{payload_key, ENVELOPE_KEYS};
use crate::load::state::PreviousFile;
use crate::records::{FileDone, FileOutcome, Item, ParsedChunk, ParsedEvent, RawChunk, RawItem};
use crate::validate::validate;

/// A chunk is sent on when it holds this many bytes...
const CHUNK_BYTES: usize = 2 * 1024 * 1024;
/// ...or this many items.
const CHUNK_ITEMS: usize = 4096;

/// Runs the reader and parsers, handing each parsed chunk to `load` in
/// order. Stops early (and returns the error) when `load` fails.
pub fn run<E>(
    files: &[SourceFile],
    previous: &HashMap<String, PreviousFile>,
    parsers: usize,
    progress: &ProgressBar,
    mut load: impl FnMut(ParsedChunk) -> Result<(), E>,
) -> Result<(), E> {
    thread::scope(|scope| {
        let (raw_tx, raw_rx) = bounded::<RawChunk>(parsers * 2);
        let (parsed_tx, parsed_rx) = bounded::<ParsedChunk>(parsers * 2);
        scope.spawn(move || read_files(files, previous, raw_tx, progress));
        for _ in 0..parsers.max(1) {
            let (rx, tx) = (raw_rx.clone(), parsed_tx.clone());
            scope.spawn(move || parse_chunks(rx, tx));
        }
        drop((raw_rx, parsed_tx));
        let mut waiting = BTreeMap::new();
        let mut next = 0u64;
        for chunk in parsed_rx {
            waiting.insert(chunk.seq, chunk);
            while let Some(chunk) = waiting.remove(&next) {
                load(chunk)?;
                next += 1;
            }
        }
        Ok(())
    })
}

/// Reader thread: frames every file in order into chunks.
fn read_files(
    files: &[SourceFile],
    previous: &HashMap<String, PreviousFile>,
    tx: Sender<RawChunk>,
    progress: &ProgressBar,
) {
    let mut chunk = RawChunk::default();
    let mut seq = 0u64;
    let mut send = |chunk: &mut RawChunk| -> bool {
        let full = std::mem::take(chunk);
        let ok = tx.send(RawChunk { seq, ..full }).is_ok();
        seq += 1;
        ok
    };
    for (index, file) in files.iter().enumerate() {
        let prev = previous.get(&file.display_path());
        let unchanged = prev.is_some_and(|p| p.is_unchanged(file));
        let outcome = if unchanged {
            FileOutcome::Unchanged
        } else {
            let mut decoder = FileDecoder::open(&file.path, prev.and_then(|p| p.resume_from()));
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

/// Parser thread: validates and flattens records.
fn parse_chunks(rx: Receiver<RawChunk>, tx: Sender<ParsedChunk>) {
    for raw in rx {
        if tx.send(parse_chunk(raw)).is_err() {
            return;
        }
    }
}

/// Turns framed records into events or rejects.
pub fn parse_chunk(raw: RawChunk) -> ParsedChunk {
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
            } => match validate(&raw.data[range.clone()]) {
                Ok(valid) => {
                    let mut issues = valid.issues;
                    let is_cmb = valid.envelope.event_type == "cmb";
                    let cmb = is_cmb.then(|| cmb_row(&valid.object, &mut issues));
                    let flat = flatten(
                        &valid.object,
                        ENVELOPE_KEYS,
                        &payload_key(&valid.envelope.event_type),
                        if is_cmb { KNOWN_KEYS } else { &[] },
                    );
                    Item::Event {
                        file,
                        location,
                        range,
                        event: Box::new(ParsedEvent {
                            envelope: valid.envelope,
                            cmb,
                            issues,
                            flat,
                        }),
                    }
                }
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
