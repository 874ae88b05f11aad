//! Golden tests over the committed sample archive and fresh generated ones:
//! what `hookstat ingest` loads must agree with what `hookstat sample` says
//! it wrote (its hidden manifest), and a few typed rows are pinned.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;
use serde_json::{json, Value};

fn as_counts(v: &Value) -> BTreeMap<String, i64> {
    v.as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_i64().unwrap_or(-1)))
                .collect()
        })
        .unwrap_or_default()
}

/// Ingests `archive` into `db` and checks summary and tables against the
/// archive's manifest.
fn assert_matches_manifest(archive: &Path, db: &Path, manifest: &Value) {
    // the archive is complete: its cut last line is a reject at once, not
    // a record still being written (the default settle time is 24 hours)
    let (code, s, out) = ingest(db, &[archive], &["--settle-time", "0s"]);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(s["files_seen"], manifest["files"]);
    assert_eq!(s["inserted"], manifest["distinct_events"]);
    assert_eq!(s["duplicates"], manifest["duplicate_deliveries"]);
    assert_eq!(s["conflicts"], manifest["conflicting_duplicates"]);
    assert_eq!(
        s["records"].as_i64().unwrap(),
        manifest["deliveries"].as_i64().unwrap() + s["rejected"].as_i64().unwrap()
    );
    assert_eq!(
        as_counts(&s["rejected_by_reason"]),
        as_counts(&manifest["rejects_by_reason"])
    );
    assert_eq!(
        as_counts(&s["field_issues_by_problem"]),
        as_counts(&manifest["field_issues_by_problem"])
    );
    assert_eq!(
        as_counts(&s["inserted_by_type"]),
        as_counts(&manifest["events_by_type"])
    );
    // event_id is unique (the loader deduplicates; there is no index)
    assert_eq!(
        scalar(db, "SELECT count(*) - count(DISTINCT event_id) FROM events"),
        0
    );
    assert_eq!(
        scalar(
            db,
            "SELECT count(*) - count(DISTINCT event_id) FROM cmb_requests"
        ),
        0
    );
    // the tables say the same as the summary
    assert_eq!(
        counts(
            db,
            "SELECT event_type AS k, count(*) AS n FROM events GROUP BY 1"
        ),
        as_counts(&manifest["events_by_type"])
    );
    assert_eq!(
        counts(
            db,
            "SELECT reason AS k, count(*) AS n FROM rejects GROUP BY 1"
        ),
        as_counts(&manifest["rejects_by_reason"])
    );
    assert_eq!(
        counts(
            db,
            "SELECT field AS k, count(*) AS n FROM field_issues GROUP BY 1"
        ),
        as_counts(&manifest["field_issues_by_field"])
    );
    assert_eq!(
        scalar(db, "SELECT count(*) FROM cmb_requests"),
        manifest["events_by_type"]["cmb"].as_i64().unwrap_or(0)
    );
    assert_eq!(
        scalar(db, "SELECT count(*) FROM duplicate_deliveries"),
        manifest["duplicate_deliveries"].as_i64().unwrap()
    );
}

#[test]
fn committed_sample_data_loads_exactly_as_its_manifest_says() {
    let dir = tempfile::tempdir().unwrap();
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(sample_data().join(".hookstat-sample.json")).unwrap(),
    )
    .unwrap();
    let db = dir.path().join("h.duckdb");
    assert_matches_manifest(&sample_data(), &db, &manifest);

    // a few typed rows, pinned
    let rows = query(
        &db,
        "SELECT event_id, client_account_id, created_at, business_number, feature_set,
                client_number, client_number_available, alternate_number, requested_at,
                requested_date, requested_slot, preferred_from, preferred_to, is_interested,
                cmb_config_name
         FROM cmb_requests ORDER BY event_id LIMIT 2",
    );
    assert_eq!(
        rows[0],
        json!({
            "event_id": "00005204-6a78-44b7-9e79-efefca6ddbb1",
            "client_account_id": "3f6a2c1e-7b4d-4e8a-9c2f-5d1b8e7a6c40",
            "created_at": "2025-08-29T10:06:33",
            "business_number": "911140001234",
            "feature_set": "Personal Loans",
            "client_number": "916269643304",
            "client_number_available": true,
            "alternate_number": null,
            "requested_at": "2025-08-29T10:05:10",
            "requested_date": "2025-08-31",
            "requested_slot": "Sunday",
            "preferred_from": "2025-08-31T08:00:00",
            "preferred_to": "2025-08-31T08:30:00",
            "is_interested": true,
            "cmb_config_name": "CMB Evening Slots"
        })
    );
    assert_eq!(rows[1]["requested_slot"], Value::Null);
    assert_eq!(rows[1]["is_interested"], false);
    let unavailable = query(
        &db,
        "SELECT client_number, alternate_number, client_number_available FROM cmb_requests
         WHERE event_id = (SELECT min(event_id) FROM cmb_requests WHERE NOT client_number_available)",
    );
    assert_eq!(unavailable[0]["client_number"], Value::Null);
    assert!(unavailable[0]["alternate_number"]
        .as_str()
        .unwrap()
        .starts_with("91"));
    // non-ASCII configuration names survive
    let configs = counts(
        &db,
        "SELECT cmb_config_name AS k, count(*) AS n FROM cmb_requests GROUP BY 1",
    );
    assert!(configs.keys().any(|k| k.contains("कॉल")), "{configs:?}");
    assert!(configs.keys().any(|k| k.contains('🎉')), "{configs:?}");
}

#[test]
fn sample_data_is_what_the_generator_writes() {
    let dir = tempfile::tempdir().unwrap();
    let fresh = dir.path().join("s");
    sample(&fresh, 3000, 42, &[]);
    let list = |root: &Path| -> BTreeMap<String, Vec<u8>> {
        walkdir::WalkDir::new(root)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(root).unwrap().display().to_string();
                (rel, std::fs::read(e.path()).unwrap())
            })
            .collect()
    };
    let (want, got) = (list(&sample_data()), list(&fresh));
    assert_eq!(
        want.keys().collect::<Vec<_>>(),
        got.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &want {
        assert!(
            bytes == &got[name],
            "{name} differs: regenerate sample_data (see README)"
        );
    }
}

#[test]
fn fresh_mixed_and_clean_archives_load_as_their_manifests_say() {
    let dir = tempfile::tempdir().unwrap();
    for (i, extra) in [&[][..], &["--clean"][..], &["--layout", "files"][..]]
        .into_iter()
        .enumerate()
    {
        let arc = dir.path().join(format!("arc{i}"));
        let manifest = sample(&arc, 4000, 100 + i as u64, extra);
        assert_matches_manifest(&arc, &dir.path().join(format!("db{i}.duckdb")), &manifest);
    }
}
