//! The case corpus is what it claims, judged by serde_json alone (not
//! hookstat).

use serde_json::Value;

use super::checks::report;
use super::{all_cases, Case};

/// How many numbers in `v` no double holds.
fn beyond_double(v: &Value) -> usize {
    match v {
        Value::Number(n) => usize::from(n.as_f64().is_none()),
        Value::Array(items) => items.iter().map(beyond_double).sum(),
        Value::Object(map) => map.values().map(beyond_double).sum(),
        _ => 0,
    }
}

/// The corpus is what it claims, judged by serde_json alone (not hookstat).
#[test]
fn case_corpus_is_what_it_claims() {
    let (valid, invalid) = all_cases();
    let mut failures = Vec::new();
    for c in &valid {
        if c.out_of_range_numbers() > 0 {
            // serde_json keeps each number's text: it parses, no double holds it
            match serde_json::from_slice::<Value>(&c.bytes) {
                Ok(v) if beyond_double(&v) == c.out_of_range_numbers() => {}
                other => failures.push(format!("{}: 1e999 case is {other:?}", c.stem)),
            }
            let tame = String::from_utf8(c.bytes.clone())
                .unwrap()
                .replace("1e999", "0");
            match serde_json::from_str::<Value>(&tame) {
                Ok(v) if beyond_double(&v) == 0 => {}
                other => failures.push(format!("{}: apart from 1e999: {other:?}", c.stem)),
            }
            continue;
        }
        if let Err(e) = serde_json::from_slice::<Value>(&c.bytes) {
            failures.push(format!("valid/{}: does not parse: {e}", c.stem));
        }
        match serde_json::from_slice::<Value>(&c.event()) {
            Ok(Value::Object(o)) if o["event_id"] == c.id().as_str() => {}
            other => failures.push(format!("valid/{}: event is {other:?}", c.stem)),
        }
    }
    for c in &invalid {
        if serde_json::from_slice::<Value>(&c.bytes).is_ok() {
            failures.push(format!("invalid/{}: parses", c.stem));
        }
        if serde_json::from_slice::<Value>(&c.event()).is_ok() {
            failures.push(format!("invalid/{}: its event parses", c.stem));
        }
        // an envelope start inside a broken case would make resynchronising
        // on it legitimate: keep the corpus free of that ambiguity
        if c.bytes.windows(11).any(|w| w == b"{\"event_id\"") {
            failures.push(format!("invalid/{}: contains an envelope start", c.stem));
        }
    }
    // every escape of RFC 8259 section 7 and the other required forms occur
    let all_valid: Vec<u8> = valid.iter().flat_map(|c| c.bytes.clone()).collect();
    let has = |needle: &[u8]| all_valid.windows(needle.len()).any(|w| w == needle);
    for needle in [
        &br#"\""#[..],
        br"\\",
        br"\/",
        br"\b",
        br"\f",
        br"\n",
        br"\r",
        br"\t",
        br"\u00e9",
        br"\ud83d\ude00",
        b"-0",
        b"1.5e10",
        b"1E-7",
        b"123456789012345678901234567890",
        b"1e999",
        b"{}",
        b"[]",
        "😀".as_bytes(),
        "कॉल".as_bytes(),
        b"\t",
        b"\r",
        b"\n",
        b" ",
    ] {
        if !has(needle) {
            failures.push(format!(
                "no valid case contains {}",
                String::from_utf8_lossy(needle)
            ));
        }
    }
    let depth = |c: &Case| {
        let (mut d, mut max) = (0i32, 0i32);
        for &b in &c.bytes {
            match b {
                b'[' | b'{' => {
                    d += 1;
                    max = max.max(d);
                }
                b']' | b'}' => d -= 1,
                _ => {}
            }
        }
        max
    };
    assert!(
        valid.iter().any(|c| depth(c) >= 20),
        "no case nests 20 deep"
    );
    report("corpus", failures);
}
