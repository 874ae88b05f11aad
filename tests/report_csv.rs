//! Report CSVs are safe to open in a spreadsheet (the OWASP rule): a text
//! cell that would start a formula gets a leading `'`, numbers (also
//! negative ones) are written as they are, and the database keeps the raw
//! value.

mod common;

use std::path::Path;

use common::*;

const FORMULA: &str = r#"=HYPERLINK("http://x","y")"#;
const CONFIGS: [&str; 4] = [FORMULA, "@SUM(1+1)", "-2+3", "Plain"];

/// True when a spreadsheet would read `cell` as a formula: it starts with
/// one of `= + - @`, tab or carriage return and is not a plain number.
fn starts_formula(cell: &str) -> bool {
    let number = cell
        .trim_start_matches(['+', '-'])
        .split(['e', 'E'])
        .enumerate()
        .all(|(i, part)| {
            let part = if i == 1 {
                part.trim_start_matches(['+', '-'])
            } else {
                part
            };
            let digits = part.replace('.', "");
            !digits.is_empty()
                && digits.bytes().all(|b| b.is_ascii_digit())
                && part.matches('.').count() <= usize::from(i == 0)
        });
    cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && !number
}

#[test]
fn text_cells_that_start_a_formula_are_quoted_and_numbers_are_not() {
    let dir = tempfile::tempdir().unwrap();
    // 40 answers per configuration, interest 1/4, 2/4, 3/4, 4/4 of them:
    // differences between configurations are negative in one direction
    let lines: Vec<String> = CONFIGS
        .iter()
        .enumerate()
        .flat_map(|(c, config)| {
            (0..40).map(move |i| cmb_event(&format!("e{c}-{i}"), config, i % 4 <= c))
        })
        .collect();
    let (db, latest) = ingest_and_report(dir.path(), &lines, "UTC");

    let mut quoted = Vec::new();
    let mut negative_numbers = 0;
    for entry in std::fs::read_dir(&latest).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "csv") {
            continue;
        }
        let (header, rows) = read_csv(&path);
        for cell in header.iter().chain(rows.iter().flatten()) {
            assert!(!starts_formula(cell), "{}: {cell:?}", name(&path));
            negative_numbers += usize::from(cell.starts_with('-') && !starts_formula(cell));
            if let Some(raw) = cell.strip_prefix('\'') {
                assert!(
                    starts_formula(raw),
                    "{}: quoted for nothing: {cell:?}",
                    name(&path)
                );
                quoted.push(raw.to_string());
            }
        }
    }
    for config in &CONFIGS[..3] {
        assert!(
            quoted.iter().any(|q| q == config),
            "{config} not quoted: {quoted:?}"
        );
    }
    assert!(!quoted.iter().any(|q| q == "Plain"));
    assert!(negative_numbers > 0, "no negative number was written");
    // the database keeps the raw names
    let raw = query(
        &db,
        "SELECT DISTINCT cmb_config_name AS k FROM cmb_requests ORDER BY k",
    );
    let mut want: Vec<&str> = CONFIGS.to_vec();
    want.sort();
    assert_eq!(
        raw.iter()
            .map(|r| r["k"].as_str().unwrap())
            .collect::<Vec<_>>(),
        want
    );
}

fn name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}
