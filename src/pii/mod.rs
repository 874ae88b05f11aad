//! Personal data (users' phone numbers) in everything that leaves the
//! database: the Parquet export and the reports. One [`Protector`] decides
//! how a phone number is written (`--pii hash|mask|drop|keep`); phone
//! columns are found by name and by content ([`detect`]); phone numbers
//! inside free text are replaced where they stand.
//!
//! `hash` is HMAC-SHA256 under a secret key kept in a key file outside the
//! database and the export ([`key`]), over the number's normal form
//! ([`phone`]), so one number gives one hash in every format, night and
//! export.

pub mod batches;
pub mod detect;
pub mod key;
pub mod phone;
pub mod udf;

use std::borrow::Cow;

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

/// Default country code for national numbers (10 digits without one).
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
    if country_code.is_empty()
        || country_code.len() > 3
        || !country_code.bytes().all(|b| b.is_ascii_digit())
    {
        anyhow::bail!("the country code must be 1 to 3 digits, got {country_code:?}");
    }
    let key = match policy {
        PiiPolicy::Hash => {
            let path = key_file.map_or_else(key::default_key_file, std::path::Path::to_path_buf);
            Some(PiiKey::load_or_create(&path)?)
        }
        _ => None,
    };
    Ok(Protector {
        policy,
        key,
        country_code: country_code.to_string(),
    })
}

/// Protects phone numbers under one policy and key.
#[derive(Debug, Clone)]
pub struct Protector {
    /// The policy.
    pub policy: PiiPolicy,
    /// The key (needed for `hash`).
    pub key: Option<PiiKey>,
    /// Country code that completes national numbers.
    pub country_code: String,
}

impl Protector {
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

    /// The value of a phone column: a phone number becomes its protected
    /// form; anything else ("N/A") keeps its text with numbers inside it
    /// protected.
    pub fn value(&self, text: &str) -> String {
        if self.policy == PiiPolicy::Keep {
            return text.to_string();
        }
        match phone::normalize(text, &self.country_code) {
            Some(normal) => self.protect_number(&normal, false),
            None => self.text(text).into_owned(),
        }
    }

    /// JSON text (the `_overflow` column) with every phone number in it
    /// protected and the result still JSON: strings are protected as text,
    /// a number that is a phone number becomes the string of its protected
    /// form. Text that is not JSON is protected as plain text.
    pub fn json(&self, text: &str) -> String {
        if self.policy == PiiPolicy::Keep {
            return text.to_string();
        }
        match serde_json::from_str::<serde_json::Value>(text) {
            Ok(mut value) => {
                self.protect_json(&mut value);
                value.to_string()
            }
            Err(_) => self.text(text).into_owned(),
        }
    }

    fn protect_json(&self, value: &mut serde_json::Value) {
        use serde_json::Value;
        match value {
            Value::String(s) => {
                if let Cow::Owned(p) = self.text(s) {
                    *s = p;
                }
            }
            Value::Number(n) => {
                if let Some(normal) = phone::normalize(&n.to_string(), &self.country_code) {
                    *value = Value::String(self.protect_number(&normal, true));
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| self.protect_json(v)),
            Value::Object(map) => map.values_mut().for_each(|v| self.protect_json(v)),
            Value::Bool(_) | Value::Null => {}
        }
    }

    /// Free text with every phone number inside it protected.
    pub fn text<'t>(&self, text: &'t str) -> Cow<'t, str> {
        // a phone number has at least 10 digits: most text is passed over
        // after one cheap count, identifiers after a look at their shape
        if self.policy == PiiPolicy::Keep || phone::is_uuid(text) {
            return Cow::Borrowed(text);
        }
        let digits = text.bytes().filter(u8::is_ascii_digit).count();
        if digits < phone::MIN_DIGITS {
            return Cow::Borrowed(text);
        }
        let found = phone::find_in_text(text);
        if found.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len() + 16);
        let mut at = 0;
        for range in found {
            out.push_str(&text[at..range.start]);
            match phone::normalize(&text[range.clone()], &self.country_code) {
                Some(normal) => out.push_str(&self.protect_number(&normal, true)),
                None => out.push_str(&text[range.clone()]),
            }
            at = range.end;
        }
        out.push_str(&text[at..]);
        Cow::Owned(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn protector(policy: PiiPolicy) -> Protector {
        Protector {
            policy,
            key: Some(PiiKey::for_tests()),
            country_code: "91".into(),
        }
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
        assert_eq!(p.value("N/A"), "N/A");
        let json: serde_json::Value = serde_json::from_str(
            &p.json(r#"{"$.a": 919876543210, "$.b": "call 9876543210", "$.c": 7}"#),
        )
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
}
