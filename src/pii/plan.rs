//! Numbering plans: which digit runs are valid phone numbers of some
//! country, and their E.164 form. The plans are libphonenumber's metadata
//! as the `phonenumber` crate ships it (per region: the possible lengths,
//! the pattern of valid national numbers, the national prefix). The
//! crate's own parser costs about 20 µs a number and serialises every
//! pattern match through one mutex-guarded regex cache, so hookstat
//! matches the same patterns with regexes of its own, compiled per
//! calling code on first use (`plan_agrees_with_libphonenumber` checks
//! that both give the same answers).

use std::collections::HashMap;
use std::sync::OnceLock;

use phonenumber::metadata::{Metadata, DATABASE};
use regex::Regex;

/// One region's plan.
struct Region {
    /// Possible lengths of a national significant number (empty: any).
    lengths: Vec<u16>,
    /// Valid national significant numbers, anchored at both ends.
    valid: Regex,
    /// The national (trunk) prefix to strip, anchored at the start, and
    /// what replaces it (`$1`…) where the plan says.
    trunk: Option<(Regex, Option<String>)>,
}

impl Region {
    fn of(meta: &Metadata) -> Option<Region> {
        let general = meta.descriptors().general();
        let valid = Regex::new(&format!("^(?:{})$", general.national_number().as_str())).ok()?;
        let trunk = match (meta.national_prefix_for_parsing(), meta.national_prefix()) {
            (Some(p), _) => Regex::new(&format!("^(?:{})", p.as_str()))
                .ok()
                .map(|r| (r, meta.national_prefix_transform_rule().map(str::to_string))),
            (None, Some(p)) => Regex::new(&format!("^{}", regex::escape(p)))
                .ok()
                .map(|r| (r, None)),
            (None, None) => None,
        };
        Some(Region {
            lengths: general.possible_length().to_vec(),
            valid,
            trunk,
        })
    }

    fn is_valid(&self, national: &str) -> bool {
        (self.lengths.is_empty() || self.lengths.contains(&(national.len() as u16)))
            && self.valid.is_match(national)
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
    fn plan_agrees_with_libphonenumber() {
        let cases: &[(&str, Id, &[&str])] = &[
            (
                "91",
                Id::IN,
                &[
                    "9876543210",
                    "09876543210",
                    "919876543210",
                    "1753945760",
                    "1700000000",
                    "12345",
                    "2026112510",
                ],
            ),
            (
                "971",
                Id::AE,
                &["0501234567", "501234567", "971501234567", "1753945760"],
            ),
            ("966", Id::SA, &["0551234567", "551234567"]),
            ("234", Id::NG, &["08031234567", "8031234567"]),
            ("972", Id::IL, &["0502345678", "0521234567"]),
            ("962", Id::JO, &["0791234567"]),
            ("98", Id::IR, &["09123456789"]),
            ("20", Id::EG, &["01012345678"]),
            ("254", Id::KE, &["0712345678"]),
            ("92", Id::PK, &["03001234567"]),
            ("62", Id::ID, &["081234567890", "81234567890"]),
            ("1", Id::US, &["4155552671", "14155552671", "1753945760"]),
            ("44", Id::GB, &["07911123456", "1753945760", "07700900123"]),
        ];
        for (code, region, numbers) in cases {
            let plan = Plan::new(code).unwrap();
            for n in *numbers {
                assert_eq!(plan.national(n), library(Some(*region), n), "{code} {n}");
            }
        }
        for n in [
            "971501234567",
            "966551234567",
            "2348031234567",
            "989123456789",
            "6281234567890",
            "14155552671",
            "447911123456",
            "1753945760123",
            "946684800000",
            "12345678",
        ] {
            assert_eq!(
                Plan::international(n),
                library(None, &format!("+{n}")),
                "{n}"
            );
        }
    }

    #[test]
    fn unknown_calling_codes_are_refused() {
        assert!(Plan::new("999").is_err());
        assert!(Plan::new("0").is_err());
        assert!(Plan::new("x").is_err());
        assert_eq!(Plan::new("44").unwrap().home(), 44);
    }
}
