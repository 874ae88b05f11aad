//! Framing tests over every layout and every kind of broken record.

use super::*;
use std::io::Write;

/// Frames `content` written to a temp file; returns (code, text) per frame,
/// code being "ok" or the reject reason.
fn frames_of(content: &[u8]) -> Vec<(String, String)> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f");
    std::fs::write(&path, content).unwrap();
    frames_at(&path, None).0
}

fn frames_at(
    path: &Path,
    resume: Option<(&ResumePoint, Layout)>,
) -> (Vec<(String, String)>, FileSummary, Vec<Location>) {
    let mut dec = FileDecoder::open(path, resume, false);
    let mut buf = Vec::new();
    let mut out = Vec::new();
    let mut locs = Vec::new();
    while let Some(frame) = dec.next_frame(&mut buf) {
        match frame {
            Frame::Record { location, range } => {
                out.push((
                    "ok".into(),
                    String::from_utf8_lossy(&buf[range]).into_owned(),
                ));
                locs.push(location);
            }
            Frame::Reject {
                location,
                reason,
                range,
                ..
            } => {
                out.push((
                    reason.code().into(),
                    String::from_utf8_lossy(&buf[range]).into_owned(),
                ));
                locs.push(location);
            }
        }
    }
    let summary = dec.finish(path);
    (out, summary, locs)
}

fn ok(s: &str) -> (String, String) {
    ("ok".into(), s.into())
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

const A: &str = r#"{"event_id":"a","event_type":"cmb"}"#;
const B: &str = r#"{"event_id":"b","event_type":"cmb"}"#;

#[test]
fn ndjson_lf_crlf_bom_and_blank_lines() {
    let lf = format!("{A}\n\n{B}\n");
    assert_eq!(frames_of(lf.as_bytes()), vec![ok(A), ok(B)]);
    let crlf = format!("\u{feff}{A}\r\n{B}\r\n");
    assert_eq!(frames_of(crlf.as_bytes()), vec![ok(A), ok(B)]);
}

#[test]
fn empty_and_whitespace_files_have_no_frames() {
    assert!(frames_of(b"").is_empty());
    assert!(frames_of(b"  \n\r\n").is_empty());
    assert!(frames_of(b"\xEF\xBB\xBF").is_empty());
}

#[test]
fn bad_lines_cost_only_themselves() {
    let text = format!(
        "{A}\n{{\"event_id\":\"x\",\"cmb_pay\n<html>502</html>\n[1,2]\n\"hi\"\n42\n{B}\n{{\"event_id\":\"half"
    );
    let got = frames_of(text.as_bytes());
    let codes: Vec<_> = got.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(
        codes,
        vec![
            "ok",
            "truncated",
            "invalid_json",
            "ok",
            "ok",
            "ok",
            "ok",
            "truncated"
        ],
        "{got:?}"
    );
    assert_eq!(got[6], ok(B));
    assert_eq!(got[1].1, "{\"event_id\":\"x\",\"cmb_pay");
    assert_eq!(got[2].1, "<html>502</html>");
}

#[test]
fn a_control_byte_costs_only_its_line() {
    let text = format!("{A}\ngarbage\x00more\n{B}\n{{\"event_id\":\"c\x01\"}}\n{A}\n");
    let got = frames_of(text.as_bytes());
    let codes: Vec<_> = got.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(
        codes,
        ["ok", "invalid_json", "ok", "invalid_json", "ok"],
        "{got:?}"
    );
}

#[test]
fn values_are_a_stream_whatever_the_lines() {
    let pretty =
        serde_json::to_string_pretty(&serde_json::from_str::<serde_json::Value>(B).unwrap())
            .unwrap();
    // NDJSON first, then two per line, then a pretty value, then Firehose
    let text = format!("{A}\n{A}\n{A}{B} {A}\n{pretty}{A}\n{B}");
    let got = frames_of(text.as_bytes());
    assert_eq!(
        got,
        vec![ok(A), ok(A), ok(A), ok(B), ok(A), ok(&pretty), ok(A), ok(B)]
    );
}

#[test]
fn a_broken_line_does_not_swallow_the_next_one() {
    // unbalanced: the next line would otherwise be read as part of it
    let text =
        format!("{{\"event_id\":\"x\",\"a\":[1,2\n{A}\n{{\"event_id\":\"y\",\"b\":\n{B}\n{A}\n");
    let got = frames_of(text.as_bytes());
    let codes: Vec<_> = got.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(
        codes,
        ["truncated", "ok", "truncated", "ok", "ok"],
        "{got:?}"
    );
    assert_eq!(got[3], ok(B));
}

#[test]
fn an_incomplete_tail_of_a_growing_file_is_pending() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("day.ndjson");
    let tail = r#"{"event_id":"p2","crea"#;
    std::fs::write(&path, format!("{A}\n{tail}")).unwrap();
    let mut dec = FileDecoder::open(&path, None, true);
    let mut buf = Vec::new();
    let mut frames = Vec::new();
    while let Some(f) = dec.next_frame(&mut buf) {
        frames.push(f);
    }
    assert_eq!(frames.len(), 1);
    let summary = dec.finish(&path);
    assert_eq!(summary.pending_bytes, tail.len() as u64);
    assert_eq!(summary.resume.unwrap().offset, A.len() as u64);
}

#[test]
fn line_numbers_are_reported_for_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.ndjson");
    std::fs::write(&path, format!("{A}\n\n{B}\n")).unwrap();
    let (_, _, locs) = frames_at(&path, None);
    assert_eq!(
        locs.iter().map(|l| l.to_string()).collect::<Vec<_>>(),
        ["line 1", "line 3"]
    );
}

#[test]
fn pretty_and_concatenated_objects() {
    let pretty =
        serde_json::to_string_pretty(&serde_json::from_str::<serde_json::Value>(A).unwrap())
            .unwrap();
    let got = frames_of(pretty.as_bytes());
    assert_eq!(got, vec![ok(&pretty)]);
    let firehose = format!("{A}{B}{A}");
    assert_eq!(frames_of(firehose.as_bytes()), vec![ok(A), ok(B), ok(A)]);
    let two_pretty = format!("{pretty}\n{pretty}\n");
    assert_eq!(frames_of(two_pretty.as_bytes()).len(), 2);
}

#[test]
fn braces_inside_strings_do_not_confuse_framing() {
    let tricky = r#"{"event_id":"c","note":"} { [ \" ]"}"#;
    let firehose = format!("{tricky}{A}");
    assert_eq!(frames_of(firehose.as_bytes()), vec![ok(tricky), ok(A)]);
}

#[test]
fn arrays_yield_their_elements() {
    let arr = format!("[\n  {A},\n  {B}, 7\n]\n");
    assert_eq!(frames_of(arr.as_bytes()), vec![ok(A), ok(B), ok("7")]);
    let compact = format!("[{A},{B}]");
    assert_eq!(frames_of(compact.as_bytes()), vec![ok(A), ok(B)]);
    let cut = format!("[{A},{{\"event_id\":\"z\",");
    let got = frames_of(cut.as_bytes());
    assert_eq!(got[0], ok(A));
    assert_eq!(got[1].0, "truncated");
}

#[test]
fn firehose_resyncs_after_a_cut_record() {
    let broken = r#"{"event_id":"x","cmb_payload":{"a":"tru"#;
    let stream = format!("{A}{broken}{B}{A}");
    let got = frames_of(stream.as_bytes());
    assert_eq!(got.len(), 4, "{got:?}");
    assert_eq!(got[0], ok(A));
    assert_eq!(got[1], ("truncated".into(), broken.into()));
    assert_eq!(got[2], ok(B));
    assert_eq!(got[3], ok(A));
}

#[test]
fn gzip_is_detected_by_content() {
    let text = format!("{A}\n{B}\n");
    assert_eq!(frames_of(&gzip(text.as_bytes())), vec![ok(A), ok(B)]);
    let mut two_members = gzip(A.as_bytes());
    two_members.extend(gzip(B.as_bytes()));
    assert_eq!(frames_of(&two_members), vec![ok(A), ok(B)]);
}

#[test]
fn corrupt_gzip_keeps_what_was_read() {
    let mut text = String::new();
    for _ in 0..2000 {
        text.push_str(A);
        text.push('\n');
    }
    let mut gz = gzip(text.as_bytes());
    let cut = gz.len() / 2;
    gz.truncate(cut);
    let got = frames_of(&gz);
    let last = got.last().unwrap();
    assert!(
        last.0 == "read_error" || last.0 == "truncated",
        "last frame {last:?}"
    );
    assert!(got.iter().filter(|(c, _)| c == "ok").count() > 10);
}

#[test]
fn oversized_records_are_one_reject_in_every_layout() {
    let big = format!("{{\"event_id\":\"{}\"}}", "x".repeat(MAX_RECORD_BYTES + 10));
    for text in [
        format!("{A}\n{big}\n{B}\n"),
        format!("{A}{big}{B}"),
        format!("[{A},\n{big},\n{B}]"),
    ] {
        let got = frames_of(text.as_bytes());
        assert_eq!(got.len(), 3);
        assert_eq!(got[1].0, "too_large");
        assert!(got[1].1.len() <= crate::reject::RAW_PREFIX_BYTES);
        assert_eq!(got[2], ok(B));
    }
}

#[test]
fn resume_reads_only_appended_records() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("day.ndjson");
    std::fs::write(&path, format!("{A}\n{{\"event_id\":\"half")).unwrap();
    let (first, summary, _) = frames_at(&path, None);
    assert_eq!(first[0], ok(A));
    assert_eq!(first[1].0, "truncated");
    let point = summary.resume.clone().unwrap();
    assert_eq!(point.offset, A.len() as u64);
    assert_eq!(point.line, 1);
    // the writer finishes the half line and appends another
    std::fs::write(&path, format!("{A}\n{{\"event_id\":\"half\"}}\n{B}\n")).unwrap();
    let (second, _, locs) = frames_at(&path, Some((&point, Layout::Lines)));
    assert_eq!(second, vec![ok(r#"{"event_id":"half"}"#), ok(B)]);
    assert_eq!(locs[0].to_string(), "line 2");
    // a rewritten prefix is read from the start again
    std::fs::write(&path, format!("{B}\n{A}\n")).unwrap();
    let (third, _, _) = frames_at(&path, Some((&point, Layout::Lines)));
    assert_eq!(third, vec![ok(B), ok(A)]);
}

#[test]
fn unreadable_file_is_one_reject() {
    let got = frames_at(Path::new("/no/such/file.json"), None).0;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].0, "read_error");
}

#[test]
fn binary_and_foreign_formats_are_one_reject() {
    for content in [
        &b"BZh91AY&SY\x00\x01"[..],
        &b"\x28\xb5\x2f\xfd\x00\x00"[..],
        &b"\x7fELF\x02\x01\x01\x00"[..],
        &b"{\"a\":\x00\x00\x00}"[..],
    ] {
        let got = frames_of(content);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, "unsupported_format");
    }
    // gzip inside gzip is named as such
    let double = gzip(&gzip(A.as_bytes()));
    assert_eq!(frames_of(&double)[0].0, "unsupported_format");
}

#[test]
fn a_read_error_inside_a_record_is_reported_once() {
    let mut text = String::new();
    for _ in 0..3000 {
        text.push_str(A);
        text.push('\n');
    }
    let mut gz = gzip(text.as_bytes());
    gz.truncate(gz.len() * 2 / 3);
    let got = frames_of(&gz);
    let bad: Vec<_> = got.iter().filter(|(c, _)| c != "ok").collect();
    assert_eq!(bad.len(), 1, "{bad:?}");
    assert_eq!(bad[0].0, "read_error");
}
