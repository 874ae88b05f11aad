//! The built-in reports recomputed here, in Rust, from the raw payloads: an
//! oracle that shares nothing with the report SQL but its documented
//! definitions (README "Reports", reports/*.sql): each Call Me Back event's
//! facts, tallies, the Wilson interval, the two-proportion p-value, and
//! comparisons of CSV cells with computed numbers.

/// Asia/Kolkata is UTC+5:30 all year (no daylight saving time since 1945).
const KOLKATA_OFFSET_S: i64 = 5 * 3600 + 30 * 60;
/// The 97.5% quantile of the standard normal distribution (95% two-sided).
const Z_95: f64 = 1.959_963_984_540_054;

/// What one Call Me Back event contributes to the reports.
pub struct CmbFacts {
    /// `cmb_config_name`, or `(none)` when it is absent, null or empty.
    pub config: String,
    /// `is_interested`; None when absent, null or not a boolean spelling.
    pub interested: Option<bool>,
    /// Local day (Asia/Kolkata) of `requested_at`, else of `created_at`.
    pub local_day: String,
    /// UTC day of the same instant (to show the zone matters).
    pub utc_day: String,
}

/// Epoch seconds of a timestamp field: seconds (or milliseconds from 1e11)
/// as a JSON number or a numeric string, or RFC 3339 text; None when
/// missing, unreadable or outside 2000..2100 (NULL in the database).
fn epoch_seconds(v: Option<&serde_json::Value>) -> Option<f64> {
    use serde_json::Value;
    let secs = match v? {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => {
            let t = s.trim();
            if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
                t.parse::<f64>().ok()?
            } else {
                chrono::DateTime::parse_from_rfc3339(t).ok()?.timestamp() as f64
            }
        }
        _ => return None,
    };
    let secs = if secs.abs() >= 1e11 {
        secs / 1000.0
    } else {
        secs
    };
    // 2000-01-01T00:00:00Z ..< 2100-01-01T00:00:00Z
    (946_684_800.0..4_102_444_800.0)
        .contains(&secs)
        .then_some(secs)
}

/// `YYYY-MM-DD` of the day that holds `secs` after shifting by `offset`.
fn day_of(secs: f64, offset: i64) -> String {
    let days = (secs.floor() as i64 + offset).div_euclid(86_400);
    let date =
        chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap() + chrono::Days::new(days as u64);
    date.format("%Y-%m-%d").to_string()
}

pub fn cmb_facts(event: &serde_json::Value) -> CmbFacts {
    use serde_json::Value;
    let p = &event["cmb_payload"];
    let config = match p.get("cmb_config_name") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => "(none)".to_string(),
    };
    let interested = match p.get("is_interested") {
        Some(Value::Bool(b)) => Some(*b),
        Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "y" | "1" => Some(true),
            "false" | "no" | "n" | "0" => Some(false),
            _ => None,
        },
        Some(Value::Number(n)) => match n.as_i64() {
            Some(1) => Some(true),
            Some(0) => Some(false),
            _ => None,
        },
        _ => None,
    };
    let at = epoch_seconds(p.get("requested_at"))
        .or_else(|| epoch_seconds(event.get("created_at")))
        .unwrap_or_else(|| panic!("no request time in {event}"));
    CmbFacts {
        config,
        interested,
        local_day: day_of(at, KOLKATA_OFFSET_S),
        utc_day: day_of(at, 0),
    }
}

/// Request counts of one group.
#[derive(Default, Clone, Copy, Debug)]
pub struct Tally {
    pub requests: u64,
    pub interested: u64,
    pub not_interested: u64,
}

impl Tally {
    pub fn add(&mut self, interested: Option<bool>) {
        self.requests += 1;
        match interested {
            Some(true) => self.interested += 1,
            Some(false) => self.not_interested += 1,
            None => {}
        }
    }
    pub fn answered(&self) -> u64 {
        self.interested + self.not_interested
    }
    pub fn unknown(&self) -> u64 {
        self.requests - self.answered()
    }
    /// interested / (interested + not_interested); None without answers.
    pub fn rate(&self) -> Option<f64> {
        (self.answered() > 0).then(|| self.interested as f64 / self.answered() as f64)
    }
}

/// 95% Wilson score interval of `x` successes in `n` trials.
pub fn wilson(x: u64, n: u64) -> (f64, f64) {
    let (x, n) = (x as f64, n as f64);
    let p = x / n;
    let z2 = Z_95 * Z_95;
    let denominator = 1.0 + z2 / n;
    let center = (p + z2 / (2.0 * n)) / denominator;
    let half = Z_95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denominator;
    ((center - half).max(0.0), (center + half).min(1.0))
}

/// erfc(x) with fractional error below 1.2e-7 everywhere (Numerical
/// Recipes' Chebyshev fit `erfcc`).
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let r = t * poly.exp();
    if x >= 0.0 {
        r
    } else {
        2.0 - r
    }
}

/// Two-sided p-value of the pooled two-proportion z-test of x1/n1 against
/// x2/n2: 2 (1 - Phi(|z|)) = erfc(|z| / sqrt 2); None when undefined.
pub fn two_proportion_p(x1: u64, n1: u64, x2: u64, n2: u64) -> Option<f64> {
    if n1 == 0 || n2 == 0 || x1 + x2 == 0 || x1 + x2 == n1 + n2 {
        return None;
    }
    let (x1, n1, x2, n2) = (x1 as f64, n1 as f64, x2 as f64, n2 as f64);
    let pooled = (x1 + x2) / (n1 + n2);
    let se = (pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)).sqrt();
    let z = (x1 / n1 - x2 / n2) / se;
    Some(erfc(z.abs() / std::f64::consts::SQRT_2))
}

/// A CSV cell as a number; None for an empty (NULL) cell.
pub fn number(cell: &str) -> Option<f64> {
    (!cell.is_empty()).then(|| {
        cell.parse()
            .unwrap_or_else(|_| panic!("not a number: {cell:?}"))
    })
}

#[track_caller]
pub fn assert_close(got: &str, want: Option<f64>, tolerance: f64, what: &str) {
    match (number(got), want) {
        (None, None) => {}
        (Some(g), Some(w)) if (g - w).abs() <= tolerance => {}
        (g, w) => panic!("{what}: report has {g:?}, computed {w:?}"),
    }
}

#[track_caller]
pub fn assert_count(got: &str, want: u64, what: &str) {
    assert_eq!(
        got.parse::<u64>().ok(),
        Some(want),
        "{what}: report has {got:?}"
    );
}
