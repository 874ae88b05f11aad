//! The key: the test's HMAC against RFC 4231, the key file private and
//! written nowhere else, hashes stable across nights and folders, and a new
//! key or policy rewriting every affected partition.

use crate::common::pii::{hmac_hex, read_key_file, KEY_ENV};
use crate::expected::{assert_no_failures, assert_no_number, check_cells, Policy};
use crate::planted::{night2, AFFECTED_TABLES};
use crate::read::{dump, files_under, manifest, partitions, rows, summary_count};
use crate::setup::Setup;

#[test]
fn hmac_helper_matches_rfc_4231() {
    // test case 2: key "Jefe", data "what do ya want for nothing?"
    assert_eq!(
        hmac_hex(b"Jefe", "what do ya want for nothing?"),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
}

#[test]
fn key_file_is_private_and_its_key_is_written_nowhere_else() {
    let s = Setup::night1();
    let key_file = s.path("pii.key");
    assert!(!key_file.exists());
    let out = s.path("parquet");
    s.export(&out, &key_file, &[]);
    let reports = s.path("reports-out");
    s.report(&reports, &key_file, &[]);
    let key = read_key_file(&key_file).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "key file mode {:o}", mode & 0o777);
    }
    // the same key is used again, not replaced
    s.export(&s.path("parquet2"), &key_file, &[]);
    assert_eq!(read_key_file(&key_file).unwrap().hex, key.hex);
    let upper = key.hex.to_ascii_uppercase();
    let mut files = files_under(&out, &[]);
    files.extend(files_under(&reports, &[]));
    files.extend(files_under(&s.path("parquet2"), &[]));
    files.extend(
        std::fs::read_dir(&s.root)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().contains("h.duckdb") && p.is_file()),
    );
    assert!(files.iter().any(|f| f.ends_with("h.duckdb")));
    assert!(files.iter().any(|f| f.ends_with("_hookstat_pii.json")));
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        for needle in [key.hex.as_bytes(), upper.as_bytes(), &key.bytes[..]] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle),
                "the key appears in {}",
                file.display()
            );
        }
    }
}

#[test]
fn hashes_stay_across_nights_and_exports_and_follow_the_key_and_policy() {
    let mut s = Setup::night1();
    let key1 = s.path("key1");
    let out = s.path("parquet");
    let first = s.export(&out, &key1, &[]);
    assert_eq!(summary_count(&first, "partitions_written"), 17, "{first}");
    let k1 = read_key_file(&key1).unwrap();
    // night 2: the same numbers in new events on new days
    let lines = night2(&mut s.cells);
    s.ingest("night2.ndjson", &lines);
    let second = s.export(&out, &key1, &[]);
    assert_eq!(summary_count(&second, "partitions_written"), 11, "{second}");
    assert_eq!(
        summary_count(&second, "partitions_unchanged"),
        17,
        "{second}"
    );
    let exported = rows(&s.db, &out);
    assert_no_failures(
        "two nights, one key",
        &check_cells(&s.cells, &exported, Policy::Hash, &k1.bytes),
    );
    // a fresh folder with the same key (given by the environment this time)
    // holds exactly the same values
    let fresh = s.path("fresh");
    Setup::json(s.export_cmd(&fresh, &[]).env(KEY_ENV, &key1));
    assert_eq!(read_key_file(&key1).unwrap().hex, k1.hex);
    let (a, b) = (dump(&s.db, &out), dump(&s.db, &fresh));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (table, content) in &a {
        assert_eq!(content, &b[table], "{table}: the two exports differ");
    }

    // a new key rewrites every affected partition and changes every
    // protected value
    let total = partitions(&out);
    assert_eq!(total.len(), 28);
    let affected: Vec<&String> = total
        .keys()
        .filter(|p| AFFECTED_TABLES.contains(&p.split('/').next().unwrap()))
        .collect();
    assert_eq!(affected.len(), 18);
    let key2 = s.path("key2");
    // the turn is named and exits 1; the files are still written
    let o = s
        .export_cmd(&out, &[])
        .arg("--pii-key-file")
        .arg(&key2)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let turned: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(turned["key_changed"].is_string(), "{turned}");
    let k2 = read_key_file(&key2).unwrap();
    assert_ne!(k2.hex, k1.hex);
    assert_ne!(k2.id, k1.id);
    assert_eq!(manifest(&out)["key_id"], k2.id.as_str());
    let written = summary_count(&turned, "partitions_written");
    assert!(written >= affected.len(), "{turned}");
    assert_eq!(
        written + summary_count(&turned, "partitions_unchanged"),
        total.len(),
        "{turned}"
    );
    let after = partitions(&out);
    for p in &affected {
        assert_ne!(total[*p], after[*p], "{p} not rewritten after a new key");
    }
    let exported = rows(&s.db, &out);
    assert_no_failures(
        "new key",
        &check_cells(&s.cells, &exported, Policy::Hash, &k2.bytes),
    );
    for (table, content) in dump(&s.db, &out) {
        assert_no_number(&format!("{table} after a new key"), &content);
    }

    // so does a new policy
    let masked_run = s.export(&out, &key2, &["--pii", "mask"]);
    let written = summary_count(&masked_run, "partitions_written");
    assert!(written >= affected.len(), "{masked_run}");
    let last = partitions(&out);
    for p in &affected {
        assert_ne!(after[*p], last[*p], "{p} not rewritten after --pii mask");
    }
    assert_eq!(manifest(&out)["policy"], "mask");
    let exported = rows(&s.db, &out);
    assert_no_failures(
        "mask after hash",
        &check_cells(&s.cells, &exported, Policy::Mask, &k2.bytes),
    );
}
