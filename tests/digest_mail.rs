//! The morning digest by mail, through the binary and a real SMTP server
//! on 127.0.0.1 started by the test (`common::smtp`): headers, the
//! plain-text and HTML parts, inline charts referenced by `cid:`, no raw
//! phone number, and the subject's figures recomputed from the archive the
//! test builds; a refused message leaves the night and its `.eml`; a dry
//! run writes the `.eml` only.

mod common;

use common::mail_night::*;
use common::smtp::{self, Part};
use common::*;

#[test]
fn the_digest_is_sent_to_a_real_smtp_server() {
    let dir = tempfile::tempdir().unwrap();
    let (night1, night2) = archives(dir.path());
    let server = smtp::start(false);
    let config = config(dir.path(), server.port);
    ingest_ok(&dir.path().join("night.duckdb"), &[&night1]);
    let (code, summary, err) = run(&config, &night2, &[]);
    let received = server.finish();
    assert_eq!(code, 0, "{err}");
    assert_eq!(received.len(), 1, "one message: {err}");
    let got = &received[0];
    // smtp:// to this machine: plain SMTP, no TLS
    assert!(got.tls.is_none(), "{:?}", got.tls);
    assert_envelope(got);
    let raw = String::from_utf8(got.data.clone()).expect("7-bit or UTF-8 message");
    no_raw_phone(&raw);
    let message = smtp::parse(&raw);
    let subject = message.header("subject").expect("a subject").to_string();
    assert!(expected_subjects().contains(&subject), "{subject}");
    assert_eq!(summary["mail"]["subject"], subject.as_str());
    assert_eq!(summary["mail"]["sent"], true);
    assert_eq!(
        message.header("from"),
        Some("hookstat <reports@example.com>")
    );
    assert_eq!(
        message.header("to"),
        Some("marketing@example.com, ops@example.com")
    );
    assert!(message.header("date").is_some() && message.header("message-id").is_some());
    assert_eq!(message.header("auto-submitted"), Some("auto-generated"));
    assert_eq!(message.content_type(), "multipart/alternative");
    // a plain-text part, then the HTML with its pictures
    let [plain, related] = &message.parts[..] else {
        panic!("two alternatives: {:?}", message.parts.len())
    };
    assert_eq!(plain.content_type(), "text/plain");
    assert_eq!(related.content_type(), "multipart/related");
    let text = plain.text();
    let html_part = &related.parts[0];
    assert_eq!(html_part.content_type(), "text/html");
    let html = html_part.text();
    for body in [&text, &html] {
        no_raw_phone(body);
        assert!(body.contains("80"), "tonight's requests");
        assert!(body.contains("Evening Slots ahead +20.0 pts, not yet clear"));
        // the new column is named, its first value protected
        assert!(body.contains("cmb_requests.callback_number"), "{body}");
    }
    assert!(!html.to_ascii_lowercase().contains("<script"));
    assert!(!html.contains("http://") && !html.contains("https://"));
    let images: Vec<&Part> = related.parts[1..].iter().collect();
    assert!(images.len() >= 3, "charts: {}", images.len());
    for image in &images {
        assert_eq!(image.content_type(), "image/png");
        assert!(image.body.starts_with(b"\x89PNG\r\n\x1a\n"));
        let cid = image.header("content-id").expect("a Content-ID");
        let cid = cid.trim_start_matches('<').trim_end_matches('>');
        assert!(html.contains(&format!("src=\"cid:{cid}\"")), "{cid}");
        assert!(image
            .header("content-disposition")
            .is_some_and(|d| d.starts_with("inline")));
    }
    assert_eq!(html.matches("src=\"cid:").count(), images.len());
    // the same message is kept beside the reports
    let eml = dir.path().join("reports/latest/digest.eml");
    let saved = std::fs::read_to_string(&eml).unwrap();
    assert_eq!(
        smtp::parse(&saved).header("subject"),
        Some(subject.as_str())
    );
    // run --json lists the change
    let columns = summary["changes"]["new_columns"].as_array().unwrap();
    let cb = columns
        .iter()
        .find(|c| c["column"] == "callback_number")
        .expect("callback_number is new");
    assert_eq!(cb["table"], "cmb_requests");
    let first = cb["first_value"].as_str().unwrap();
    assert_ne!(first, phone(200));
    assert_eq!(first.len(), 64, "an HMAC in hex: {first}");
}

#[test]
fn a_refused_message_leaves_the_night_and_its_eml() {
    let dir = tempfile::tempdir().unwrap();
    let (night1, night2) = archives(dir.path());
    let server = smtp::start(true);
    let config = config(dir.path(), server.port);
    ingest_ok(&dir.path().join("night.duckdb"), &[&night1]);
    let (code, summary, err) = run(&config, &night2, &[]);
    let received = server.finish();
    assert!(received.is_empty());
    assert_eq!(code, 1, "{err}");
    let problem = summary["problems"][0].as_str().unwrap();
    assert!(
        problem.starts_with("mail stage failed") && problem.contains("554"),
        "{problem}"
    );
    assert!(err.contains("mail stage failed"), "{err}");
    // the data and the reports stand
    assert_eq!(summary["ingest"]["inserted"], 80);
    let db = dir.path().join("night.duckdb");
    assert_eq!(scalar(&db, "SELECT count(*) FROM cmb_requests"), 90);
    let latest = dir.path().join("reports/latest");
    assert!(latest.join("index.html").exists());
    let saved = std::fs::read_to_string(latest.join("digest.eml")).unwrap();
    let subject = smtp::parse(&saved).header("subject").unwrap().to_string();
    assert!(expected_subjects().contains(&subject), "{subject}");
    assert!(problem.contains("digest.eml"), "{problem}");
}

#[test]
fn a_dry_run_writes_the_eml_and_sends_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (night1, night2) = archives(dir.path());
    let server = smtp::start(false);
    let config = config(dir.path(), server.port);
    ingest_ok(&dir.path().join("night.duckdb"), &[&night1]);
    // the dry run checks the section as sending would: a missing password
    // file stops the night before it changes anything
    let password = dir.path().join("smtp.password");
    let kept = std::fs::read(&password).unwrap();
    std::fs::remove_file(&password).unwrap();
    let (code, _, err) = run(&config, &night2, &["--mail-dry-run"]);
    assert_eq!(code, 2);
    assert!(err.contains("password_file"), "{err}");
    assert!(!dir.path().join("reports").exists());
    std::fs::write(&password, kept).unwrap();
    let (code, summary, err) = run(&config, &night2, &["--mail-dry-run"]);
    assert!(server.finish().is_empty());
    assert_eq!(code, 0, "{err}");
    assert_eq!(summary["mail"]["sent"], false);
    let eml = dir.path().join("reports/latest/digest.eml");
    assert!(eml.exists());
}
