//! Helpers of the phone-number tests: the key file as the tests read it
//! (independently of hookstat's own reader), HMAC-SHA256 for expected
//! hashes, JSON values as a CSV cell shows them, and commands isolated
//! from the user's home and PII settings.

use std::path::Path;

use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

/// The key file's setting.
pub const KEY_ENV: &str = "HOOKSTAT_PII_KEY_FILE";

/// A key file's contents: the 32 key bytes, their hex and the key id.
pub struct Key {
    pub bytes: Vec<u8>,
    pub hex: String,
    pub id: String,
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Reads a key file (lines `key=<64 hex>` and `id=<hex>`); Err naming
/// what differs.
pub fn read_key_file(path: &Path) -> Result<Key, String> {
    let content = std::fs::read_to_string(path)
        .map_err(|e| format!("key file {} not created: {e}", path.display()))?;
    let field = |name: &str| {
        content.lines().find_map(|l| {
            let rest = l.trim().strip_prefix(name)?.trim_start();
            rest.strip_prefix('=').map(|v| v.trim().to_string())
        })
    };
    let shape: Vec<String> = content
        .lines()
        .map(|l| l.chars().take(6).collect())
        .collect();
    let hex = field("key").ok_or_else(|| {
        format!("key file format differs from `key=<64 hex>` / `id=<hex>`: lines start {shape:?}")
    })?;
    let bytes = unhex(&hex)
        .filter(|b| b.len() == 32)
        .ok_or_else(|| format!("key= is not 64 hex digits (32 bytes): {} chars", hex.len()))?;
    let id =
        field("id").ok_or_else(|| format!("key file has no id= line: lines start {shape:?}"))?;
    Ok(Key {
        bytes,
        hex: hex.to_ascii_lowercase(),
        id,
    })
}

/// HMAC-SHA256 of `message` under `key`, 64 lowercase hex digits.
pub fn hmac_hex(key: &[u8], message: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap();
    mac.update(message.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A JSON value as the text a CSV cell or a VARCHAR column shows.
pub fn cell_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Number(x) => {
            if let Some(i) = x.as_i64() {
                i.to_string()
            } else if let Some(f) = x.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 1e15) {
                format!("{}", f as i64)
            } else {
                x.to_string()
            }
        }
        other => other.to_string(),
    }
}

/// A `hookstat` command run in `root`, with HOME and the XDG folders in
/// `root/home` and no PII environment.
pub fn isolated(root: &Path) -> assert_cmd::Command {
    let home = root.join("home");
    let mut c = super::hookstat();
    c.env_remove(KEY_ENV)
        .env_remove("HOOKSTAT_PII_SALT")
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .current_dir(root);
    c
}
