//! Numbering plans: which digit runs are valid phone numbers of some
//! country, and their E.164 form. The plans are libphonenumber's metadata
//! as the `phonenumber` crate ships it (per region: the pattern and the
//! lengths of each kind of number, the national prefix). The crate's own
//! parser costs about 20 µs a number, serialises every pattern match
//! through one mutex-guarded regex cache and matches the patterns as
//! prefixes only, so hookstat matches the same patterns, whole, as
//! libphonenumber does, with regexes of its own compiled per calling code
//! on first use (`plan_accepts_what_libphonenumber_calls_valid` compares
//! the two).

use std::collections::HashMap;
use std::sync::OnceLock;

use phonenumber::metadata::{Metadata, DATABASE};
use regex::Regex;

/// One region's plan.
struct Region {
    /// The pattern every number of the region matches (libphonenumber's
    /// general description), anchored at both ends.
    general: Regex,
    /// Each kind of number (mobile, fixed line, toll free, ...): its
    /// possible lengths (empty: any) and its pattern, anchored.
    kinds: Vec<(Vec<u16>, Regex)>,
    /// The national (trunk) prefix to strip, anchored at the start, and
    /// what replaces it (`$1`…) where the plan says.
    trunk: Option<(Regex, Option<String>)>,
}

/// A pattern of the metadata (written with insignificant whitespace),
/// anchored at the start and, when `whole`, at the end.
fn pattern(text: &str, whole: bool) -> Option<Regex> {
    let end = if whole { "$" } else { "" };
    Regex::new(&format!("(?x)^(?:{text}){end}")).ok()
}

impl Region {
    fn of(meta: &Metadata) -> Option<Region> {
        let d = meta.descriptors();
        let general = pattern(d.general().national_number().as_str(), true)?;
        let kinds = [
            d.premium_rate(),
            d.toll_free(),
            d.shared_cost(),
            d.voip(),
            d.personal_number(),
            d.pager(),
            d.uan(),
            d.voicemail(),
            d.fixed_line(),
            d.mobile(),
        ]
        .into_iter()
        .flatten()
        .filter_map(|k| {
            let valid = pattern(k.national_number().as_str(), true)?;
            Some((k.possible_length().to_vec(), valid))
        })
        .collect();
        let trunk = match (meta.national_prefix_for_parsing(), meta.national_prefix()) {
            (Some(p), _) => pattern(p.as_str(), false)
                .map(|r| (r, meta.national_prefix_transform_rule().map(str::to_string))),
            (None, Some(p)) => pattern(&regex::escape(p), false).map(|r| (r, None)),
            (None, None) => None,
        };
        Some(Region {
            general,
            kinds,
            trunk,
        })
    }

    /// A valid national significant number: of the general pattern and
    /// of some kind (mobile, fixed line, ...), at a length of that kind.
    fn is_valid(&self, national: &str) -> bool {
        self.general.is_match(national)
            && self.kinds.iter().any(|(lengths, valid)| {
                (lengths.is_empty() || lengths.contains(&(national.len() as u16)))
                    && valid.is_match(national)
            })
    }

    /// The national significant number of `digits` written nationally
    /// with the trunk prefix, when that is valid.
    fn without_trunk(&self, digits: &str) -> Option<String> {
        let (prefix, rule) = self.trunk.as_ref()?;
        let found = prefix.captures(digits)?;
        let whole = found.get(0)?;
        let rest = &digits[whole.end()..];
        let national = match rule {
            Some(rule) => {
                let mut head = String::new();
                found.expand(rule, &mut head);
                format!("{head}{rest}")
            }
            None if whole.is_empty() => return None,
            None => rest.to_string(),
        };
        self.is_valid(&national).then_some(national)
    }
}

/// The regions of every calling code, compiled on first use of the code.
fn regions(code: u16) -> Option<&'static [Region]> {
    static CODES: OnceLock<HashMap<u16, OnceLock<Vec<Region>>>> = OnceLock::new();
    let codes = CODES.get_or_init(|| {
        DATABASE
            .iter()
            .map(|m| (m.country_code(), OnceLock::new()))
            .collect()
    });
    let cell = codes.get(&code)?;
    let list = cell.get_or_init(|| {
        DATABASE
            .by_code(&code)
            .unwrap_or_default()
            .into_iter()
            .filter_map(Region::of)
            .collect()
    });
    Some(list.as_slice())
}

/// The numbering plans, with one home calling code for national numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    home: u16,
}

impl Plan {
    /// The plans with `code` (1 to 3 digits, e.g. `91`) as the home of
    /// national numbers; an error when no country has that code.
    pub fn new(code: &str) -> Result<Plan, String> {
        let home = code
            .parse::<u16>()
            .ok()
            .filter(|c| code.len() <= 3 && regions(*c).is_some_and(|r| !r.is_empty()))
            .ok_or_else(|| format!("no country has the calling code {code:?}"))?;
        Ok(Plan { home })
    }

    /// The home calling code.
    pub fn home(&self) -> u16 {
        self.home
    }

    /// E.164 digits (without `+`) of `digits` read as a national number
    /// of the home country: as it is, without its trunk prefix, or
    /// starting with the home calling code; None when the plan says no.
    pub fn national(&self, digits: &str) -> Option<String> {
        let home = regions(self.home)?;
        let code = self.home.to_string();
        let with_code = |n: &str| format!("{code}{n}");
        if home.iter().any(|r| r.is_valid(digits)) {
            return Some(with_code(digits));
        }
        if let Some(n) = home.iter().find_map(|r| r.without_trunk(digits)) {
            return Some(with_code(&n));
        }
        let rest = digits.strip_prefix(code.as_str())?;
        home.iter()
            .any(|r| r.is_valid(rest))
            .then(|| with_code(rest))
    }

    /// E.164 digits of `digits` read as an international number (calling
    /// code first, no `+`), when valid in its country's plan.
    pub fn international(digits: &str) -> Option<String> {
        // calling codes are 1 to 3 digits, and none is a prefix of another
        (1..=3).find_map(|k| {
            let code: u16 = digits.get(..k)?.parse().ok()?;
            let rest = &digits[k..];
            regions(code)?
                .iter()
                .any(|r| r.is_valid(rest))
                .then(|| digits.to_string())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use phonenumber::country::Id;

    /// The library's own parser and validator on the same input.
    fn library(region: Option<Id>, text: &str) -> Option<String> {
        let n = phonenumber::parse(region, text).ok()?;
        phonenumber::is_valid(&n).then(|| {
            n.format()
                .mode(phonenumber::Mode::E164)
                .to_string()
                .trim_start_matches('+')
                .to_string()
        })
    }

    #[test]
    fn plan_accepts_what_libphonenumber_calls_valid() {
        let cases: &[(&str, Id, &[&str])] = &[
            (
                "91",
                Id::IN,
                &["9876543210", "09876543210", "919876543210", "1753945760"],
            ),
            ("971", Id::AE, &["0501234567", "501234567", "971501234567"]),
            ("966", Id::SA, &["0551234567", "551234567"]),
            ("234", Id::NG, &["08031234567", "8031234567"]),
            ("972", Id::IL, &["0502345678", "0522345678"]),
            ("962", Id::JO, &["0791234567"]),
            ("98", Id::IR, &["09123456789"]),
            ("20", Id::EG, &["01012345678"]),
            ("254", Id::KE, &["0712345678"]),
            ("92", Id::PK, &["03001234567"]),
            ("62", Id::ID, &["081234567890", "81234567890"]),
            ("1", Id::US, &["4155552671", "14155552671"]),
            ("44", Id::GB, &["07400123456", "07912345678"]),
        ];
        for (code, region, numbers) in cases {
            let plan = Plan::new(code).unwrap();
            for n in *numbers {
                let library = library(Some(*region), n);
                assert!(library.is_some(), "{code} {n}: a valid number");
                assert_eq!(plan.national(n), library, "{code} {n}");
            }
        }
        for n in [
            "971501234567",
            "966551234567",
            "2348031234567",
            "989123456789",
            "6281234567890",
            "14155552671",
            "447400123456",
        ] {
            let library = library(None, &format!("+{n}"));
            assert!(library.is_some(), "+{n}: a valid number");
            assert_eq!(Plan::international(n), library, "{n}");
        }
    }

    #[test]
    fn plan_refuses_what_no_country_allows() {
        let india = Plan::new("91").unwrap();
        // too short, too long, a leading digit India never uses
        for n in ["12345", "98765432", "987654321012", "0123456789"] {
            assert_eq!(india.national(n), None, "{n}");
        }
        // any mobile of India's 6-9 series is valid
        assert_eq!(
            india.national("9090909091").as_deref(),
            Some("919090909091")
        );
        // 13-digit millisecond epochs of this decade, 12-digit ones of 2000
        for n in ["1753945760123", "1764547200000", "12345678", "999999999999"] {
            assert_eq!(Plan::international(n), None, "{n}");
        }
        // 1 + a US area code can not start with 0 or 1
        assert_eq!(Plan::international("10123456789"), None);
    }

    #[test]
    fn unknown_calling_codes_are_refused() {
        assert!(Plan::new("999").is_err());
        assert!(Plan::new("0").is_err());
        assert!(Plan::new("x").is_err());
        assert_eq!(Plan::new("44").unwrap().home(), 44);
    }
}
