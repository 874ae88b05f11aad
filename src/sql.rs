//! SQL text shared by every stage: identifier and string quoting, and
//! templates from `sql/` filled in one pass, so a value that happens to
//! contain `{name}` is never substituted again.

use std::path::Path;

use duckdb::core::DataChunkHandle;
use duckdb::ffi::duckdb_string_t;
use duckdb::types::DuckString;

/// Quotes an SQL identifier.
pub fn quote(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

/// A string literal (for the few places DuckDB takes no parameter, such as
/// a `COPY` target).
pub fn string_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// A path as a string literal.
pub fn path_literal(path: &Path) -> String {
    string_literal(&path.display().to_string())
}

/// Fills `{name}` placeholders of `template` with `values` in one pass.
/// Placeholders without a value are left as they are.
pub fn render(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let filled = after.find('}').and_then(|close| {
            let name = &after[..close];
            values
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v, close))
        });
        match filled {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// In a DuckDB scalar function: calls `f` on every input string of the
/// first argument (None for NULL); `f` writes row `i`.
pub fn each_string(input: &mut DataChunkHandle, mut f: impl FnMut(usize, Option<&str>)) {
    let len = input.len();
    let vector = input.flat_vector(0);
    let values = unsafe { vector.as_slice_with_len::<duckdb_string_t>(len) };
    for (i, raw) in values.iter().enumerate() {
        if vector.row_is_null(i as u64) {
            f(i, None);
        } else {
            let mut raw = *raw;
            let bytes = DuckString::new(&mut raw).as_bytes();
            // valid UTF-8 (the rule) is borrowed; anything else replaced
            match std::str::from_utf8(bytes) {
                Ok(text) => f(i, Some(text)),
                Err(_) => f(i, Some(&String::from_utf8_lossy(bytes))),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_pass_substitution() {
        let sql = render(
            "ALTER TABLE {table} ADD COLUMN {column} {type}",
            &[
                ("table", "\"t{column}\""),
                ("column", "\"c\""),
                ("type", "BIGINT"),
            ],
        );
        assert_eq!(sql, "ALTER TABLE \"t{column}\" ADD COLUMN \"c\" BIGINT");
        assert_eq!(render("{a} {b} {", &[("a", "1")]), "1 {b} {");
        assert_eq!(quote("we\"ird"), "\"we\"\"ird\"");
        assert_eq!(string_literal("it's"), "'it''s'");
    }
}
