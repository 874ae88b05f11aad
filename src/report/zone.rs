//! The reports' time zone: the one asked for (`--tz`, `tz` in the
//! configuration), or else the zone of the businesses' country, inferred
//! from the calling code of their `business_number`s when they all agree
//! and the country has one zone; otherwise UTC. The page says which.

use chrono_tz::Tz;
use duckdb::Connection;

use crate::pii::phone;

const BUSINESS_NUMBERS: &str = include_str!("../../sql/report/business_numbers.sql");

/// Country calling codes of single-zone countries and their zone. Codes of
/// countries spanning several zones (1, 7, 52, 55, 61, 62, …) are absent:
/// their zone cannot be told from the number.
const SINGLE_ZONE_CODES: &[(&str, Tz)] = &[
    ("20", Tz::Africa__Cairo),
    ("27", Tz::Africa__Johannesburg),
    ("30", Tz::Europe__Athens),
    ("31", Tz::Europe__Amsterdam),
    ("32", Tz::Europe__Brussels),
    ("33", Tz::Europe__Paris),
    ("34", Tz::Europe__Madrid),
    ("39", Tz::Europe__Rome),
    ("41", Tz::Europe__Zurich),
    ("44", Tz::Europe__London),
    ("46", Tz::Europe__Stockholm),
    ("47", Tz::Europe__Oslo),
    ("48", Tz::Europe__Warsaw),
    ("49", Tz::Europe__Berlin),
    ("60", Tz::Asia__Kuala_Lumpur),
    ("63", Tz::Asia__Manila),
    ("64", Tz::Pacific__Auckland),
    ("65", Tz::Asia__Singapore),
    ("66", Tz::Asia__Bangkok),
    ("81", Tz::Asia__Tokyo),
    ("82", Tz::Asia__Seoul),
    ("84", Tz::Asia__Ho_Chi_Minh),
    ("86", Tz::Asia__Shanghai),
    ("90", Tz::Europe__Istanbul),
    ("91", Tz::Asia__Kolkata),
    ("92", Tz::Asia__Karachi),
    ("94", Tz::Asia__Colombo),
    ("234", Tz::Africa__Lagos),
    ("254", Tz::Africa__Nairobi),
    ("255", Tz::Africa__Dar_es_Salaam),
    ("256", Tz::Africa__Kampala),
    ("880", Tz::Asia__Dhaka),
    ("965", Tz::Asia__Kuwait),
    ("966", Tz::Asia__Riyadh),
    ("968", Tz::Asia__Muscat),
    ("971", Tz::Asia__Dubai),
    ("973", Tz::Asia__Bahrain),
    ("974", Tz::Asia__Qatar),
    ("977", Tz::Asia__Kathmandu),
];

/// Calling codes of countries with several zones (the number does not
/// tell which).
const MULTI_ZONE_CODES: &[&str] = &["1", "7", "52", "55", "61", "62"];

/// The zone the reports use and how it was chosen.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportZone {
    /// The zone.
    pub tz: Tz,
    /// How it was chosen, for the page: "set", "inferred from …", or why
    /// UTC.
    pub how: String,
    /// True when inferred from the businesses' numbers.
    pub inferred: bool,
}

/// The calling code of an international number's digits and its zone
/// (None: unknown code or several zones).
pub fn zone_of_number(digits: &str) -> Option<(&'static str, Option<Tz>)> {
    if let Some(code) = MULTI_ZONE_CODES.iter().find(|c| digits.starts_with(**c)) {
        return Some((code, None));
    }
    SINGLE_ZONE_CODES
        .iter()
        .find(|(code, _)| digits.starts_with(code))
        .map(|(code, tz)| (*code, Some(*tz)))
}

/// Infers the zone from business numbers (as stored): the one zone when
/// every number with a country code maps to the same single-zone country.
pub fn infer<'a>(numbers: impl IntoIterator<Item = &'a str>) -> ReportZone {
    let mut codes: Vec<&'static str> = Vec::new();
    let mut zones: Vec<Option<Tz>> = Vec::new();
    for text in numbers {
        // national numbers (10 digits or fewer) carry no country
        let Some(digits) = phone::digits_only(text).filter(|d| d.len() > 10 && !d.starts_with('0'))
        else {
            continue;
        };
        let (code, zone) = zone_of_number(&digits).unwrap_or(("?", None));
        if !codes.contains(&code) {
            codes.push(code);
            zones.push(zone);
        }
    }
    let utc = |how: String| ReportZone {
        tz: chrono_tz::UTC,
        how,
        inferred: false,
    };
    match (codes.as_slice(), zones.as_slice()) {
        ([], _) => utc("UTC: no business number carries a country code; set tz to choose".into()),
        ([code], [Some(tz)]) => ReportZone {
            tz: *tz,
            how: format!(
                "inferred from the businesses' country calling code +{code}; set tz to change"
            ),
            inferred: true,
        },
        ([code], [None]) => utc(format!(
            "UTC: calling code +{code} spans several zones; set tz to choose"
        )),
        _ => {
            let list: Vec<String> = codes.iter().map(|c| format!("+{c}")).collect();
            utc(format!(
                "UTC: businesses in several countries ({}); set tz to choose",
                list.join(", ")
            ))
        }
    }
}

/// The zone of a report run: `given` when set, else inferred from the
/// database's business numbers.
pub fn resolve(conn: &Connection, given: Option<Tz>) -> duckdb::Result<ReportZone> {
    if let Some(tz) = given {
        return Ok(ReportZone {
            tz,
            how: "set with --tz or tz in the configuration".into(),
            inferred: false,
        });
    }
    let mut stmt = conn.prepare(BUSINESS_NUMBERS)?;
    let numbers: Vec<String> = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<duckdb::Result<_>>()?;
    Ok(infer(numbers.iter().map(String::as_str)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indian_businesses_give_kolkata() {
        let z = infer(["910987654321", "+91 98765 43210", "9876543210"]);
        assert_eq!(z.tz, Tz::Asia__Kolkata);
        assert!(z.inferred && z.how.contains("+91"), "{z:?}");
    }

    #[test]
    fn several_countries_or_zones_or_none_give_utc() {
        let z = infer(["910987654321", "447911123456"]);
        assert_eq!(z.tz, chrono_tz::UTC);
        assert!(z.how.contains("+91, +44"), "{z:?}");
        let us = infer(["+1 415 555 0100"]);
        assert_eq!(us.tz, chrono_tz::UTC);
        assert!(us.how.contains("several zones"), "{us:?}");
        let national = infer(["9876543210", "not a number"]);
        assert_eq!(national.tz, chrono_tz::UTC);
        assert!(!national.inferred);
    }

    #[test]
    fn three_digit_codes_win_over_shorter_lookalikes() {
        // 971 (UAE) must not be read as 97x or 9x
        assert_eq!(
            zone_of_number("971501234567"),
            Some(("971", Some(Tz::Asia__Dubai)))
        );
        assert_eq!(
            zone_of_number("919876543210"),
            Some(("91", Some(Tz::Asia__Kolkata)))
        );
    }
}
