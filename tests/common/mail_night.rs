//! The two nights the digest mail tests run (`digest_mail.rs`,
//! `mail_tls.rs`): a first night ingested before, a second one run with
//! the mail stage; the configuration file with its `[mail]` section; the
//! subject the test expects from its own counts.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::{hookstat, ndjson};

/// The business account of every event.
pub const ACCOUNT: &str = "91c173bb-28d8-4030-9722-8663ff9589f3";
/// The login's password.
pub const PASSWORD: &str = "s3cret-pw";

/// A Call Me Back event whose user's number is `phone`.
pub fn event(id: &str, config: &str, interested: bool, phone: &str, extra: Option<&str>) -> String {
    let mut payload = json!({
        "business_number": "910987654321",
        "feature_set": "Fresh Flower Delivery",
        "client_number": phone,
        "requested_at": "1759053600",
        "requested_date": "2025-09-29",
        "requested_slot": "Monday",
        "is_interested": interested,
        "alternate_number": "",
        "cmb_config_name": config
    });
    if let Some(callback) = extra {
        payload["callback_number"] = json!(callback);
    }
    json!({
        "event_id": id,
        "client_account_id": ACCOUNT,
        "event_type": "cmb",
        "created_at": "1759053600",
        "cmb_payload": payload
    })
    .to_string()
}

/// The phone number of the `i`th user.
pub fn phone(i: usize) -> String {
    format!("9198765{:05}", 10_000 + i)
}

/// Night 1: 10 "Evening Slots" requests, 5 interested. Night 2: 40
/// "Evening Slots" (30 interested) and 40 "Morning Slots" (20), each with
/// a new `callback_number` field holding a phone number.
pub fn archives(dir: &Path) -> (PathBuf, PathBuf) {
    let (a, b) = (dir.join("night1"), dir.join("night2"));
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    let night1: Vec<String> = (0..10)
        .map(|i| event(&format!("n1-{i}"), "Evening Slots", i < 5, &phone(i), None))
        .collect();
    std::fs::write(a.join("events.ndjson"), ndjson(&night1)).unwrap();
    let mut night2 = Vec::new();
    for i in 0..40 {
        let p = phone(100 + i);
        let cb = phone(200 + i);
        night2.push(event(
            &format!("e-{i}"),
            "Evening Slots",
            i < 30,
            &p,
            Some(&cb),
        ));
        night2.push(event(
            &format!("m-{i}"),
            "Morning Slots",
            i < 20,
            &p,
            Some(&cb),
        ));
    }
    std::fs::write(b.join("events.ndjson"), ndjson(&night2)).unwrap();
    (a, b)
}

/// `dir/hookstat.toml` for the two nights, mailing through
/// `smtp://127.0.0.1:port` with a login whose password is in
/// `dir/smtp.password`.
pub fn config(dir: &Path, port: u16) -> PathBuf {
    config_for(dir, &format!("smtp://127.0.0.1:{port}"), "")
}

/// `dir/hookstat.toml` as [`config`], mailing through `server`, with
/// `extra` lines at the end of `[mail]`.
pub fn config_for(dir: &Path, server: &str, extra: &str) -> PathBuf {
    std::fs::write(dir.join("smtp.password"), format!("{PASSWORD}\n")).unwrap();
    let path = dir.join("hookstat.toml");
    std::fs::write(
        &path,
        format!(
            "database = \"night.duckdb\"\nreports_out = \"reports\"\ntz = \"UTC\"\n\n[mail]\nserver = \"{server}\"\nfrom = \"hookstat <reports@example.com>\"\nto = [\"marketing@example.com\", \"ops@example.com\"]\nuser = \"reports@example.com\"\npassword_file = \"smtp.password\"\ntimeout = \"20s\"\n{extra}"
        ),
    )
    .unwrap();
    path
}

/// Runs `run --config config --json extra archive`: (exit code, the
/// summary or Null, stderr).
pub fn run(config: &Path, archive: &Path, extra: &[&str]) -> (i32, Value, String) {
    let o = hookstat()
        .arg("run")
        .arg("--config")
        .arg(config)
        .arg("--json")
        .args(extra)
        .arg(archive)
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        serde_json::from_slice(&o.stdout).unwrap_or(Value::Null),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// The subject the test expects, from its own counts: night 2's 80
/// requests; Evening Slots (35 of 50) is ahead of Morning Slots (20 of
/// 40), not yet clear: every request is of one day, and a verdict needs a
/// week of days both ran.
pub fn expected_subjects() -> Vec<String> {
    let lead = (35.0 / 50.0 - 20.0 / 40.0) * 100.0;
    // the date is the day the digest was made (UTC here): either side of
    // a midnight during the test
    let today = chrono::Utc::now().date_naive();
    [today - chrono::Duration::days(1), today]
        .iter()
        .map(|d| {
            format!(
                "hookstat {}: {} requests, Evening Slots ahead +{lead:.1} pts, not yet clear",
                d.format("%-d %b"),
                80
            )
        })
        .collect()
}

/// Asserts `text` holds none of the test's phone numbers.
pub fn no_raw_phone(text: &str) {
    for i in (0..10).chain(100..140).chain(200..240) {
        let p = phone(i);
        assert!(!text.contains(&p[2..]), "raw phone number {p} in the mail");
    }
}

/// The envelope of [`config_for`]'s mail: its login, sender and recipients.
pub fn assert_envelope(got: &super::smtp::Received) {
    assert_eq!(
        got.auth,
        Some(("reports@example.com".into(), PASSWORD.into()))
    );
    assert_eq!(got.mail_from, "<reports@example.com>");
    assert_eq!(
        got.rcpt_to,
        ["<marketing@example.com>", "<ops@example.com>"]
    );
}
