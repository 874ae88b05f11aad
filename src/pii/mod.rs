//! Personal data (users' phone numbers) in everything that leaves the
//! database: the Parquet export and the reports. One [`Protector`] decides
//! how a phone number is written (`--pii hash|mask|drop|keep`); phone
//! columns are found by name and by content ([`detect`]); phone numbers
//! inside free text are replaced where they stand.
//!
//! `hash` is HMAC-SHA256 under a secret key kept in a key file outside the
//! database and the export ([`key`]), over the number's normal form
//! ([`phone`]: E.164 digits, decided by numbering plans ([`plan`]) and
//! read in every digit script ([`digits`])), so one number gives one hash
//! in every format, script, night and export. A phone column's value that
//! is no number is hashed (or masked) whole, never written raw.

pub mod batches;
pub mod detect;
pub mod digits;
pub mod key;
pub mod phone;
pub mod plan;
pub mod udf;

use std::borrow::Cow;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use phone::Times;
use plan::Plan;

pub use key::PiiKey;

/// What happens to personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PiiPolicy {
    /// Keyed hash (HMAC-SHA256, hex) of the normalised number: stable across
    /// nights and formats, so joins and distinct counts work.
    Hash,
    /// Keep the last 4 digits of the normalised number, the rest `*`.
    Mask,
    /// Leave phone columns out (numbers inside text are masked).
    Drop,
    /// Export raw values (explicit opt-out; also exports `events.payload`).
    Keep,
}

impl PiiPolicy {
    /// Every policy, in the order the help lists them.
    pub const ALL: [PiiPolicy; 4] = [
        PiiPolicy::Hash,
        PiiPolicy::Mask,
        PiiPolicy::Drop,
        PiiPolicy::Keep,
    ];

    /// Parses a policy name (`hash`, `mask`, `drop`, `keep`; any case): the
    /// one parser of the flag and the configuration file.
    pub fn parse(text: &str) -> Result<PiiPolicy, String> {
        let t = text.trim();
        PiiPolicy::ALL
            .into_iter()
            .find(|p| p.name().eq_ignore_ascii_case(t))
            .ok_or_else(|| format!("expected hash, mask, drop or keep, got {text:?}"))
    }

    /// Name used in the export state and manifest.
    pub fn name(self) -> &'static str {
        match self {
            PiiPolicy::Hash => "hash",
            PiiPolicy::Mask => "mask",
            PiiPolicy::Drop => "drop",
            PiiPolicy::Keep => "keep",
        }
    }
}

/// Version of the detection rules: a partition exported under other
/// rules is written again.
pub const RULES_VERSION: u32 = 3;

/// Default calling code of national numbers (the home of the plan).
pub const DEFAULT_COUNTRY_CODE: &str = "91";

/// Builds the protector: loads (or creates) the key file for `hash`
/// (`key_file`, else [`key::default_key_file`]); `country_code` defaults
/// to [`DEFAULT_COUNTRY_CODE`].
pub fn protector(
    policy: PiiPolicy,
    key_file: Option<&std::path::Path>,
    country_code: Option<&str>,
) -> anyhow::Result<Protector> {
    let country_code = country_code
        .unwrap_or(DEFAULT_COUNTRY_CODE)
        .trim_start_matches('+');
    let plan = Plan::new(country_code)
        .map_err(|e| anyhow::anyhow!("the country code must be a calling code: {e}"))?;
    let key = match policy {
        PiiPolicy::Hash => {
            let path = key_file.map_or_else(key::default_key_file, std::path::Path::to_path_buf);
            Some(PiiKey::load_or_create(&path)?)
        }
        _ => None,
    };
    Ok(Protector::new(policy, key, plan))
}

/// Protects phone numbers under one policy and key.
#[derive(Debug, Clone)]
pub struct Protector {
    /// The policy.
    pub policy: PiiPolicy,
    /// The key (needed for `hash`).
    pub key: Option<PiiKey>,
    /// The numbering plans, with the home of national numbers.
    pub plan: Plan,
    /// Evidence for times where a value comes without its event's time
    /// (the reports): the span of the data.
    pub times: Times,
    /// Phone-column values protected whole (no number in them).
    whole: Arc<AtomicU64>,
}

impl Protector {
    /// A protector without time evidence.
    pub fn new(policy: PiiPolicy, key: Option<PiiKey>, plan: Plan) -> Protector {
        Protector {
            policy,
            key,
            plan,
            times: Times::NONE,
            whole: Arc::default(),
        }
    }

    /// The same protector with `times` as the evidence for times.
    pub fn with_times(mut self, times: Times) -> Protector {
        self.times = times;
        self
    }

    /// The calling code of national numbers.
    pub fn country_code(&self) -> String {
        self.plan.home().to_string()
    }

    /// Phone-column values that held no number and were protected whole,
    /// by this protector and its clones.
    pub fn protected_whole(&self) -> u64 {
        self.whole.load(Ordering::Relaxed)
    }

    /// The protected form of one phone number (already normalised).
    fn protect_number(&self, normal: &str, in_text: bool) -> String {
        match (self.policy, &self.key) {
            (PiiPolicy::Keep, _) => normal.to_string(),
            (PiiPolicy::Hash, Some(key)) if in_text => {
                format!("[phone:{}]", &key.hmac_hex(normal)[..16])
            }
            (PiiPolicy::Hash, Some(key)) => key.hmac_hex(normal),
            _ => {
                let keep = normal.len().saturating_sub(4);
                format!("{}{}", "*".repeat(keep), &normal[keep..])
            }
        }
    }

    /// True when the whole of `text` is a phone number; `times` is the
    /// evidence for epoch times.
    pub fn is_phone(&self, text: &str, times: Times) -> bool {
        phone::normalize(text, &self.plan, times).is_some()
    }

    /// The value of a phone column, never raw: a phone number becomes its
    /// protected form; anything else that is not empty is hashed (or
    /// masked) whole, of its trimmed text, and counted.
    pub fn value(&self, text: &str) -> String {
        let t = text.trim();
        if self.policy == PiiPolicy::Keep || t.is_empty() {
            return text.to_string();
        }
        if let Some(normal) = phone::normalize(t, &self.plan, Times::NONE) {
            return self.protect_number(&normal, false);
        }
        if let Some(digits) = phone::digits_only(t) {
            // digits no plan knows: still one hash in every format
            return self.protect_number(&digits, false);
        }
        self.whole.fetch_add(1, Ordering::Relaxed);
        match (self.policy, &self.key) {
            (PiiPolicy::Hash, Some(key)) => key.hmac_hex(t),
            _ => "*".repeat(t.chars().count()),
        }
    }

    /// JSON text (the `_overflow` column) with every phone number in it,
    /// in values and in keys, protected and the result still JSON: strings
    /// are protected as text, a number that is a phone number becomes the
    /// string of its protected form. Text that is not JSON is protected as
    /// plain text.
    pub fn json(&self, text: &str, times: Times) -> String {
        if self.policy == PiiPolicy::Keep {
            return text.to_string();
        }
        match serde_json::from_str::<serde_json::Value>(text) {
            Ok(mut value) => {
                self.protect_json(&mut value, times);
                value.to_string()
            }
            Err(_) => self.text_at(text, times).into_owned(),
        }
    }

    fn protect_json(&self, value: &mut serde_json::Value, times: Times) {
        use serde_json::Value;
        match value {
            Value::String(s) => {
                if let Cow::Owned(p) = self.text_at(s, times) {
                    *s = p;
                }
            }
            Value::Number(n) => {
                if let Some(normal) = phone::normalize(&n.to_string(), &self.plan, times) {
                    *value = Value::String(self.protect_number(&normal, true));
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| self.protect_json(v, times)),
            Value::Object(map) => {
                let entries = std::mem::take(map);
                for (k, mut v) in entries {
                    self.protect_json(&mut v, times);
                    map.insert(self.text_at(&k, times).into_owned(), v);
                }
            }
            Value::Bool(_) | Value::Null => {}
        }
    }

    /// Free text with every phone number inside it protected, with the
    /// protector's own evidence for times.
    pub fn text<'t>(&self, text: &'t str) -> Cow<'t, str> {
        self.text_at(text, self.times)
    }

    /// Free text with every phone number inside it protected; the rest
    /// of the text is kept as written. `times` is the evidence for epoch
    /// times (around the event's `created_at`).
    pub fn text_at<'t>(&self, text: &'t str, times: Times) -> Cow<'t, str> {
        // a phone number has at least 8 digits: most text is passed over
        // after one cheap count, identifiers after a look at their shape
        if self.policy == PiiPolicy::Keep
            || phone::is_uuid(text)
            || digits::count(text) < phone::MIN_INTERNATIONAL
        {
            return Cow::Borrowed(text);
        }
        let found = phone::find_in_text(text, &self.plan, times);
        if found.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len() + 16);
        let mut at = 0;
        for (range, normal) in found {
            out.push_str(&text[at..range.start]);
            out.push_str(&self.protect_number(&normal, true));
            at = range.end;
        }
        out.push_str(&text[at..]);
        Cow::Owned(out)
    }

    /// A name (column, table, file) with every phone number in it
    /// replaced by `phone_` and 16 hex digits of its hash (or its masked
    /// digits): `_` separates words as a space would.
    pub fn name<'t>(&self, name: &'t str) -> Cow<'t, str> {
        if self.policy == PiiPolicy::Keep || digits::count(name) < phone::MIN_INTERNATIONAL {
            return Cow::Borrowed(name);
        }
        let spaced = name.replace('_', " ");
        let found = phone::find_in_text(&spaced, &self.plan, Times::NONE);
        if found.is_empty() {
            return Cow::Borrowed(name);
        }
        let mut out = String::with_capacity(name.len() + 16);
        let mut at = 0;
        for (range, normal) in found {
            out.push_str(&name[at..range.start]);
            out.push_str("phone_");
            match (self.policy, &self.key) {
                (PiiPolicy::Hash, Some(key)) => out.push_str(&key.hmac_hex(&normal)[..16]),
                _ => {
                    let keep = normal.len().saturating_sub(4);
                    out.push_str(&"x".repeat(keep));
                    out.push_str(&normal[keep..]);
                }
            }
            at = range.end;
        }
        out.push_str(&name[at..]);
        Cow::Owned(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn protector(policy: PiiPolicy) -> Protector {
        Protector::new(policy, Some(PiiKey::for_tests()), Plan::new("91").unwrap())
    }

    #[test]
    fn one_number_one_hash_in_every_format() {
        let p = protector(PiiPolicy::Hash);
        let want = PiiKey::for_tests().hmac_hex("919876543210");
        for text in [
            "+91 98765 43210",
            "0091-98765-43210",
            "919876543210",
            "9876543210",
        ] {
            assert_eq!(p.value(text), want, "{text}");
        }
        // no number in a phone column: hashed whole, never raw
        assert_eq!(p.value("N/A"), PiiKey::for_tests().hmac_hex("N/A"));
        assert_eq!(p.protected_whole(), 1);
        assert_eq!(p.value("  "), "  ");
        let json: serde_json::Value = serde_json::from_str(&p.json(
            r#"{"$.a": 919876543210, "$.b": "call 9876543210", "$.c": 7}"#,
            Times::NONE,
        ))
        .unwrap();
        let token = format!("[phone:{}]", &want[..16]);
        assert_eq!(
            json,
            serde_json::json!({"$.a": token, "$.b": format!("call {token}"), "$.c": 7})
        );
        let t = p.text("call +91 98765 43210 after 6pm");
        assert_eq!(t, format!("call [phone:{}] after 6pm", &want[..16]));
    }

    #[test]
    fn masks_keep_the_last_four_digits() {
        let p = protector(PiiPolicy::Mask);
        assert_eq!(p.value("+91 98765 43210"), "********3210");
        assert_eq!(p.text("on 9876543210."), "on ********3210.");
        assert_eq!(
            protector(PiiPolicy::Keep).value("+91 98765 43210"),
            "+91 98765 43210"
        );
    }

    #[test]
    fn keys_and_names_are_protected() {
        let p = protector(PiiPolicy::Hash);
        let hash = PiiKey::for_tests().hmac_hex("971501234567");
        let json: serde_json::Value = serde_json::from_str(&p.json(
            r#"{"$.call_log[\"971501234567\"]": "answered", "n": "٩٧١٥٠١٢٣٤٥٦٧"}"#,
            Times::NONE,
        ))
        .unwrap();
        let token = format!("[phone:{}]", &hash[..16]);
        assert_eq!(
            json,
            serde_json::json!({format!("$.call_log[\"{token}\"]"): "answered", "n": token})
        );
        assert_eq!(
            p.name("call_log__f_971501234567"),
            format!("call_log__f_phone_{}", &hash[..16])
        );
        assert_eq!(p.name("answer__q1"), "answer__q1");
        // a date in a name is no number
        assert_eq!(p.name("slot_2026_11_25"), "slot_2026_11_25");
    }
}
