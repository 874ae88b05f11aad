//! The digest mail over TLS, through the binary and the tests' smtps
//! server on 127.0.0.1 (`common::smtp_tls`, with the certificate of
//! `tests/fixtures/tls` that a test CA signed): with that CA in
//! `[mail] ca_file` the message arrives over TLS, whole; without it, or
//! with an unrelated CA, the certificate is refused, the night stands and
//! the `.eml` is kept; a missing or garbage `ca_file` stops the night
//! before it changes anything. STARTTLS is not tested here: `smtp://` to
//! this machine is plain SMTP by design (a local relay), and the test
//! server can only listen on this machine.

mod common;

use std::path::{Path, PathBuf};

use common::mail_night::*;
use common::smtp::{self, Log};
use common::*;
use serde_json::Value;

/// Runs the second night through the smtps server (`refuse`: 554 on
/// DATA) with `extra` lines in `[mail]`, after ingesting the first night;
/// returns the run's exit code, summary and stderr, and the server's log.
fn night(dir: &Path, extra: &str) -> (i32, Value, String, Log) {
    let (night1, night2) = archives(dir);
    let server = smtp_tls::start(false);
    let url = format!("smtps://localhost:{}", server.port);
    let config = config_for(dir, &url, extra);
    ingest_ok(&dir.join("night.duckdb"), &[&night1]);
    let (code, summary, err) = run(&config, &night2, &[]);
    (code, summary, err, server.finish_log())
}

/// `names` of `tests/fixtures/tls` in one PEM file in `dir`.
fn roots(dir: &Path, file: &str, names: &[&str]) {
    let pem: String = names
        .iter()
        .map(|n| std::fs::read_to_string(smtp_tls::fixture(n)).unwrap())
        .collect();
    std::fs::write(dir.join(file), pem).unwrap();
}

#[test]
fn with_the_private_ca_the_digest_arrives_over_tls() {
    let dir = tempfile::tempdir().unwrap();
    // two CAs in one file, relative to the configuration file
    roots(dir.path(), "relay-ca.pem", &["other-ca.pem", "ca.pem"]);
    let (code, summary, err, log) = night(dir.path(), "ca_file = \"relay-ca.pem\"\n");
    assert_eq!(code, 0, "{err}");
    assert!(log.failures.is_empty(), "{:?}", log.failures);
    assert_eq!(log.received.len(), 1, "one message: {err}");
    let got = &log.received[0];
    let tls = got.tls.as_ref().expect("the session was over TLS");
    assert!(tls.version.starts_with("TLSv1_"), "{tls:?}");
    assert_eq!(tls.server_name.as_deref(), Some("localhost"));
    assert_envelope(got);
    assert_eq!(summary["mail"]["sent"], true);
    // the message came through whole: its subject, both alternatives
    let raw = String::from_utf8(got.data.clone()).expect("7-bit or UTF-8 message");
    no_raw_phone(&raw);
    let message = smtp::parse(&raw);
    let subject = message.header("subject").expect("a subject").to_string();
    assert!(expected_subjects().contains(&subject), "{subject}");
    assert_eq!(summary["mail"]["subject"], subject.as_str());
    assert_eq!(message.content_type(), "multipart/alternative");
    let [plain, related] = &message.parts[..] else {
        panic!("two alternatives: {:?}", message.parts.len())
    };
    assert_eq!(plain.content_type(), "text/plain");
    assert!(plain.text().contains("Evening Slots ahead +20.0 pts"));
    assert_eq!(related.content_type(), "multipart/related");
    let html = &related.parts[0];
    assert_eq!(html.content_type(), "text/html");
    assert!(html.text().contains("Evening Slots ahead +20.0 pts"));
    let images = &related.parts[1..];
    assert!(!images.is_empty());
    for image in images {
        assert!(image.body.starts_with(b"\x89PNG\r\n\x1a\n"));
    }
}

/// The `.eml` path a mail-stage problem names ("… the message is saved as
/// PATH: …").
fn saved_as(problem: &str) -> PathBuf {
    let rest = problem
        .split_once("saved as ")
        .unwrap_or_else(|| panic!("no saved message in {problem:?}"))
        .1;
    let end = rest.find(".eml").expect("an .eml path") + ".eml".len();
    PathBuf::from(&rest[..end])
}

#[test]
fn without_the_ca_the_certificate_is_refused_and_the_night_stands() {
    // no ca_file (the built-in roots only), then a CA that signed nothing
    for extra in ["", "ca_file = \"other-ca.pem\"\n"] {
        let dir = tempfile::tempdir().unwrap();
        roots(dir.path(), "other-ca.pem", &["other-ca.pem"]);
        let (code, summary, err, log) = night(dir.path(), extra);
        assert!(log.received.is_empty(), "{extra}: {:?}", log.received);
        // the client broke the handshake off: it knows no such issuer
        assert!(!log.failures.is_empty(), "{extra}: no connection: {err}");
        for failure in &log.failures {
            assert!(failure.contains("UnknownCA"), "{extra}: {failure}");
        }
        assert_eq!(code, 1, "{extra}: {err}");
        let problem = summary["problems"][0].as_str().unwrap();
        assert!(problem.starts_with("mail stage failed"), "{problem}");
        assert!(problem.contains("UnknownIssuer"), "{problem}");
        assert!(err.contains("mail stage failed"), "{err}");
        // the data and the reports stand
        assert_eq!(summary["ingest"]["inserted"], 80);
        let db = dir.path().join("night.duckdb");
        assert_eq!(scalar(&db, "SELECT count(*) FROM cmb_requests"), 90);
        let reports = dir.path().join("reports");
        let latest = reports.join("latest");
        assert!(latest.join("index.html").exists());
        // the message is kept in the night's dated report folder
        let eml = saved_as(problem);
        let folder = eml.parent().unwrap();
        assert_eq!(eml.file_name().unwrap(), "digest.eml");
        assert_eq!(folder.parent(), Some(reports.as_path()), "{problem}");
        assert_ne!(folder.file_name().unwrap(), "latest");
        let saved = std::fs::read_to_string(&eml).unwrap();
        assert_eq!(
            saved,
            std::fs::read_to_string(latest.join("digest.eml")).unwrap()
        );
        let subject = smtp::parse(&saved).header("subject").unwrap().to_string();
        assert!(expected_subjects().contains(&subject), "{subject}");
    }
}

#[test]
fn a_missing_or_garbage_ca_file_stops_before_anything_changes() {
    let dir = tempfile::tempdir().unwrap();
    let (night1, night2) = archives(dir.path());
    let db = dir.path().join("night.duckdb");
    ingest_ok(&db, &[&night1]);
    // `run`: a missing file, named with the key and its path
    let config = config_for(
        dir.path(),
        "smtps://localhost:1",
        "ca_file = \"missing.pem\"\n",
    );
    let (code, _, err) = run(&config, &night2, &[]);
    assert_eq!(code, 2, "{err}");
    let path = dir.path().join("missing.pem");
    assert!(
        err.contains(&format!("[mail] ca_file {}", path.display())),
        "{err}"
    );
    assert_eq!(scalar(&db, "SELECT count(*) FROM cmb_requests"), 10);
    assert!(!dir.path().join("reports").exists());
    // `report --settings`: a file with no certificate in it
    std::fs::write(dir.path().join("garbage.pem"), "not a certificate\n").unwrap();
    let settings = config_for(
        dir.path(),
        "smtps://localhost:1",
        "ca_file = \"garbage.pem\"\n",
    );
    let out = dir.path().join("reports-again");
    let o = report(&db, &out, &["--settings", settings.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    let path = dir.path().join("garbage.pem");
    assert!(
        err.contains(&format!(
            "[mail] ca_file {}: no certificate",
            path.display()
        )),
        "{err}"
    );
    assert!(!out.exists());
}
