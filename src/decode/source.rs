//! Opening an archive file: content fingerprinting, gzip detection by magic
//! bytes (not by extension), and resuming a file that only grew.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use flate2::read::MultiGzDecoder;
use xxhash_rust::xxh3::Xxh3;

/// Reads a file while hashing every byte, so the fingerprint costs no
/// second pass.
pub struct HashingReader {
    file: File,
    hasher: Box<Xxh3>,
    bytes: u64,
}

impl HashingReader {
    fn new(file: File) -> Self {
        HashingReader {
            file,
            hasher: Box::new(Xxh3::new()),
            bytes: 0,
        }
    }

    /// Hex fingerprint of everything read so far.
    pub fn fingerprint(&self) -> String {
        format!("{:032x}", self.hasher.digest128())
    }

    /// Reads (and hashes) the rest of the file, returning the fingerprint of
    /// the whole content and its size in bytes.
    pub fn finish(mut self) -> io::Result<(String, u64)> {
        io::copy(&mut self, &mut io::sink())?;
        Ok((self.fingerprint(), self.bytes))
    }
}

impl Read for HashingReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

/// The decoded byte stream of one file.
pub enum Decoded {
    /// An uncompressed file; decoded offsets are file offsets.
    Plain(HashingReader),
    /// A gzip file (one or more members).
    Gzip(Box<MultiGzDecoder<BufReader<HashingReader>>>),
}

impl Decoded {
    /// True for gzip input.
    pub fn is_compressed(&self) -> bool {
        matches!(self, Decoded::Gzip(_))
    }

    /// Gives back the raw file reader to finish fingerprinting.
    pub fn into_raw(self) -> HashingReader {
        match self {
            Decoded::Plain(r) => r,
            Decoded::Gzip(d) => d.into_inner().into_inner(),
        }
    }
}

impl Read for Decoded {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Decoded::Plain(r) => r.read(buf),
            Decoded::Gzip(d) => d.read(buf),
        }
    }
}

/// Where to start reading a file that was read before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResumePoint {
    /// Bytes already consumed by earlier runs.
    pub offset: u64,
    /// Line number at that offset.
    pub line: u64,
    /// Fingerprint of the first `offset` bytes.
    pub fingerprint: String,
}

/// An opened file, positioned where decoding starts.
pub struct Opened {
    /// The decoded stream.
    pub stream: Decoded,
    /// Decoded offset and line where reading starts (non-zero when resumed).
    pub start_offset: u64,
    /// Line number at `start_offset`.
    pub start_line: u64,
}

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Opens `path`, sniffs gzip, and skips the already-read prefix when
/// `resume` is given, the file is uncompressed and the prefix is unchanged.
pub fn open(path: &Path, resume: Option<&ResumePoint>) -> io::Result<Opened> {
    let mut file = File::open(path)?;
    let mut magic = [0u8; 2];
    let got = read_up_to(&mut file, &mut magic)?;
    file.seek(SeekFrom::Start(0))?;
    if got == 2 && magic == GZIP_MAGIC {
        let raw = BufReader::with_capacity(128 * 1024, HashingReader::new(file));
        return Ok(Opened {
            stream: Decoded::Gzip(Box::new(MultiGzDecoder::new(raw))),
            start_offset: 0,
            start_line: 1,
        });
    }
    let mut reader = HashingReader::new(file);
    if let Some(point) = resume.filter(|p| p.offset > 0) {
        let skipped = io::copy(&mut (&mut reader).take(point.offset), &mut io::sink())?;
        if skipped == point.offset && reader.fingerprint() == point.fingerprint {
            return Ok(Opened {
                stream: Decoded::Plain(reader),
                start_offset: point.offset,
                start_line: point.line,
            });
        }
        let mut file = reader.file;
        file.seek(SeekFrom::Start(0))?;
        reader = HashingReader::new(file);
    }
    Ok(Opened {
        stream: Decoded::Plain(reader),
        start_offset: 0,
        start_line: 1,
    })
}

fn read_up_to(file: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Fingerprint of the first `len` bytes of a byte slice, as [`open`] computes
/// it (used by tests and by the resume bookkeeping).
pub fn fingerprint_of(bytes: &[u8]) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
}
