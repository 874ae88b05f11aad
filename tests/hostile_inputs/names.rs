//! File names that are not UTF-8: two names differing only in invalid bytes
//! are two files.

use super::common::*;
use super::{assert_outcome, count, event_ids, ids, run_ok};

#[cfg(unix)]
#[test]
fn file_names_differing_only_in_invalid_utf8_are_two_files() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;

    let dir = tempfile::tempdir().unwrap();
    let arc = dir.path().join("archive");
    std::fs::create_dir_all(&arc).unwrap();
    std::fs::write(
        arc.join(OsStr::from_bytes(b"a\xff.ndjson")),
        ndjson(&[cmb_event("ff1", "A", true), cmb_event("ff2", "A", true)]),
    )
    .unwrap();
    std::fs::write(
        arc.join(OsStr::from_bytes(b"a\xfe.ndjson")),
        ndjson(&[cmb_event("fe1", "B", true), cmb_event("fe2", "B", true)]),
    )
    .unwrap();
    let db = dir.path().join("h.duckdb");
    let s = run_ok(&db, &[&arc], &[]);
    assert_eq!(count(&s, "inserted"), 4);
    assert_outcome(&db, &s, &[], &[]);
    assert_eq!(
        event_ids(&db),
        ids(&["fe1", "fe2", "ff1", "ff2"].map(String::from))
    );
    assert_eq!(
        scalar(&db, "SELECT count(DISTINCT path) FROM source_files"),
        2
    );
    assert_eq!(scalar(&db, "SELECT count(*) FROM source_files"), 2);
    assert_eq!(
        scalar(&db, "SELECT count(DISTINCT source_file) FROM events"),
        2
    );
}
