//! Like for like, through the binary: two businesses where configuration
//! "Evening" is 5 to 10 points better at each, but "Default" ran mostly at the
//! business whose users are more interested anyway, so pooled it looks
//! far better (Simpson's paradox). The report must never name Default the
//! leader; per business it names Evening or nobody. A configuration that
//! never ran on the same days as the others is named apart.

mod common;

use common::*;
use serde_json::json;

/// 2026-11-02 00:00 UTC, a Monday.
const START: u64 = 1_793_577_600;

/// `answered` requests of `config` at `business` on day `day`, the first
/// `interested` of them interested.
fn events(business: &str, config: &str, day: u64, answered: u64, interested: u64) -> Vec<String> {
    (0..answered)
        .map(|i| {
            let at = (START + day * 86_400 + 36_000 + i * 10).to_string();
            json!({
                "event_id": format!("{business}-{config}-{day}-{i}"),
                "client_account_id": business,
                "event_type": "cmb",
                "created_at": at,
                "cmb_payload": {
                    "business_number": "910987654321",
                    "client_number": "911234567890",
                    "requested_at": at,
                    "is_interested": i < interested,
                    "cmb_config_name": config
                }
            })
            .to_string()
        })
        .collect()
}

#[test]
fn the_pooled_winner_is_not_named_and_like_is_compared_with_like() {
    let dir = tempfile::tempdir().unwrap();
    let night = dir.path().join("n");
    std::fs::create_dir_all(&night).unwrap();
    let mut lines = Vec::new();
    // 14 days; per day: keen business: Default 60 answers at 60%, Evening
    // 10 at 70%; cool business: Default 10 at 20%, Evening 60 at 25%
    for day in 0..14 {
        lines.extend(events("keen", "Default", day, 60, 36));
        lines.extend(events("keen", "Evening", day, 10, 7));
        lines.extend(events("cool", "Default", day, 10, 2));
        lines.extend(events("cool", "Evening", day, 60, 15));
    }
    // a configuration of the keen business that ran later, alone
    for day in 20..27 {
        lines.extend(events("keen", "Later", day, 20, 19));
    }
    std::fs::write(night.join("a.ndjson"), ndjson(&lines)).unwrap();
    // pooled, by plain arithmetic: Default (36 + 2) / 70 = 54%, Evening
    // (7 + 15) / 70 = 31%: Default "wins" by 23 points
    let db = dir.path().join("h.duckdb");
    ingest_ok(&db, &[&night]);
    let out = dir.path().join("out");
    let o = report(&db, &out, &["--tz", "UTC"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let csv = std::fs::read_to_string(out.join("latest/config_decision.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    for business in ["keen", "cool"] {
        let mine: Vec<&csv::StringRecord> = rows.iter().filter(|r| &r[0] == business).collect();
        // the leader by rate in each business is Evening, over 14 shared days
        assert_eq!(&mine[0][col("config")], "Evening", "{business}: {mine:?}");
        let want = if business == "keen" {
            (98, 140)
        } else {
            (210, 840)
        };
        assert_eq!(&mine[0][col("interested")], want.0.to_string().as_str());
        assert_eq!(&mine[0][col("answered")], want.1.to_string().as_str());
        for r in &mine {
            assert!(
                &r[col("config")] != "Default" || &r[col("leads")] == "false",
                "{business}: Default leads"
            );
        }
    }
    // Later never shared a day with the others: not ranked
    assert!(!rows.iter().any(|r| &r[1] == "Later"), "{rows:?}");
    let page = std::fs::read_to_string(out.join("latest/index.html")).unwrap();
    assert!(!page.contains("Default leads"), "the pooled winner named");
    assert!(page.contains("Evening leads"));
    // across businesses, weighed by precision: Evening ahead of Default
    let across = &page[page
        .find("<h3>Across businesses</h3>")
        .expect("a combined view")..];
    assert!(
        across.contains("<tr><td>Evening</td><td class=\"t\">Default</td><td>2</td>"),
        "{}",
        &across[..across.len().min(600)]
    );
    assert!(
        page.contains("Not comparable, never running on enough of the same days: Later (2026-11-22 to 2026-11-28)"),
        "Later is named apart with its dates"
    );
}
