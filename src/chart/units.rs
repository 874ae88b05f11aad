//! Units a person reads: the header keys `y_unit`, `value_unit`, … name
//! how a column's raw numbers (fractions, seconds, counts) are shown on
//! axes, value labels and tooltips: `percent` (0.543 -> 54.3%), `points`
//! (a difference of fractions in percentage points), `seconds` (drawn in
//! seconds, minutes, hours or days chosen by magnitude), `count`
//! (12,345) and `number` (plain).

use crate::text::group_digits;

/// How a column's values are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Unit {
    /// Plain numbers.
    #[default]
    Number,
    /// Whole counts, with thousands separators.
    Count,
    /// Fractions shown as percentages.
    Percent,
    /// Differences of fractions shown as percentage points.
    Points,
    /// Durations given in seconds.
    Seconds,
}

impl Unit {
    /// The unit a header value names (`percent`, `points`, `seconds`,
    /// `count`, `number`), or why not.
    pub fn parse(text: &str) -> Result<Unit, String> {
        match text.trim() {
            "percent" => Ok(Unit::Percent),
            "points" => Ok(Unit::Points),
            "seconds" => Ok(Unit::Seconds),
            "count" => Ok(Unit::Count),
            "number" | "" => Ok(Unit::Number),
            other => Err(format!(
                "unknown unit `{other}` (percent, points, seconds, count, number)"
            )),
        }
    }
}

/// A unit with the divisor an axis uses (durations pick one magnitude
/// for the whole axis).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    /// The unit.
    pub unit: Unit,
    /// Raw value / divisor = the number written.
    pub divisor: f64,
    /// What the axis title says the numbers are in ("hours"), if anything.
    pub name: &'static str,
}

const DURATIONS: [(f64, &str, &str); 4] = [
    (1.0, "seconds", "s"),
    (60.0, "minutes", "min"),
    (3600.0, "hours", "h"),
    (86400.0, "days", "d"),
];

/// The duration magnitude for `seconds`: seconds below a minute, minutes
/// below an hour, hours below 2 days, days above.
fn duration_of(seconds: f64) -> usize {
    match seconds.abs() {
        s if s < 60.0 => 0,
        s if s < 3600.0 => 1,
        s if s < 172_800.0 => 2,
        _ => 3,
    }
}

impl Scale {
    /// The scale for an axis whose values reach `max_abs`.
    pub fn for_axis(unit: Unit, max_abs: f64) -> Scale {
        let (divisor, name) = match unit {
            Unit::Percent => (0.01, ""),
            Unit::Points => (0.01, "percentage points"),
            Unit::Seconds => {
                // an axis changes unit at twice the unit (up to 119 s)
                let i = match max_abs {
                    s if s < 120.0 => 0,
                    s if s < 7200.0 => 1,
                    s if s < 172_800.0 => 2,
                    _ => 3,
                };
                let (d, name, _) = DURATIONS[i];
                (d, name)
            }
            Unit::Count | Unit::Number => (1.0, ""),
        };
        Scale {
            unit,
            divisor,
            name,
        }
    }

    /// A value label for raw value `v` in this axis' magnitude ("61 s"
    /// on a seconds axis, "38 h" on an hours axis); other units as
    /// [`format`].
    pub fn label(&self, v: f64) -> String {
        if self.unit != Unit::Seconds {
            return format(self.unit, v);
        }
        let short = DURATIONS
            .iter()
            .find(|d| d.0 == self.divisor)
            .map_or("s", |d| d.2);
        let scaled = v / self.divisor;
        let decimals = if scaled.abs() < 10.0 { 1 } else { 0 };
        format!("{} {short}", fixed(scaled, decimals, true))
    }

    /// A tick label for raw value `v` on an axis with ticks `step` apart
    /// (raw units): as many decimals as the step needs, never "-0".
    pub fn tick(&self, v: f64, step: f64) -> String {
        let scaled = v / self.divisor;
        let decimals = decimals_for(step / self.divisor);
        let text = fixed(scaled, decimals, self.unit == Unit::Count || decimals == 0);
        match self.unit {
            Unit::Percent => format!("{text}%"),
            _ => text,
        }
    }
}

/// Decimals needed to tell ticks `step` apart.
fn decimals_for(step: f64) -> usize {
    if !(step.is_finite() && step > 0.0) {
        return 0;
    }
    let mut d = 0;
    while d < 6 && (step * 10f64.powi(d as i32)).fract().abs() > 1e-6 {
        d += 1;
    }
    d
}

/// `v` with `decimals` decimals, thousands separated when `group`, a
/// typographic minus, and no negative zero.
pub fn fixed(v: f64, decimals: usize, group: bool) -> String {
    if !v.is_finite() {
        return "–".to_string();
    }
    let text = format!("{:.*}", decimals, v.abs());
    let zero = text.bytes().all(|b| b == b'0' || b == b'.');
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i.to_string(), format!(".{f}")),
        None => (text.clone(), String::new()),
    };
    let int = if group { group_digits(&int) } else { int };
    let sign = if v < 0.0 && !zero { "−" } else { "" };
    format!("{sign}{int}{frac}")
}

/// A value label for raw value `v` in `unit`, for bars and tooltips:
/// "54.3%", "−4.1 pp", "1.5 h", "12,345".
pub fn format(unit: Unit, v: f64) -> String {
    match unit {
        Unit::Percent => format!("{}%", fixed(v * 100.0, 1, false)),
        Unit::Points => {
            let sign = if (v * 1000.0).round() > 0.0 { "+" } else { "" };
            format!("{sign}{} pp", fixed(v * 100.0, 1, false))
        }
        Unit::Seconds => {
            let (d, _, short) = DURATIONS[duration_of(v)];
            let scaled = v / d;
            let decimals = if scaled.abs() < 10.0 { 1 } else { 0 };
            format!("{} {short}", fixed(scaled, decimals, true))
        }
        Unit::Count => fixed(v, 0, true),
        Unit::Number => {
            let decimals = match v.abs() {
                a if a >= 100.0 || a == a.trunc() => 0,
                a if a >= 1.0 => 2,
                _ => 3,
            };
            fixed(v, decimals, true)
        }
    }
}

/// About `target` evenly spaced round ticks (1, 2, 5 × 10^k in the
/// scale's units) covering `lo..=hi` (raw units); always includes 0 when
/// the range does.
pub fn ticks(scale: &Scale, lo: f64, hi: f64, target: usize) -> (Vec<f64>, f64) {
    let (lo_s, hi_s) = (lo / scale.divisor, hi / scale.divisor);
    let span = (hi_s - lo_s).abs().max(1e-9);
    let raw = span / target.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let mut step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    if matches!(scale.unit, Unit::Count) {
        step = step.max(1.0);
    }
    let first = (lo_s / step).ceil() as i64;
    let last = (hi_s / step + 1e-9).floor() as i64;
    let ticks = (first..=last)
        .map(|i| i as f64 * step * scale.divisor)
        .collect();
    (ticks, step * scale.divisor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_as_a_person_writes_them() {
        assert_eq!(format(Unit::Percent, 0.5432), "54.3%");
        assert_eq!(format(Unit::Percent, 0.0), "0.0%");
        assert_eq!(format(Unit::Points, -0.0412), "−4.1 pp");
        assert_eq!(format(Unit::Points, 0.0), "0.0 pp");
        assert_eq!(format(Unit::Points, -0.00001), "0.0 pp");
        assert_eq!(format(Unit::Points, 0.123), "+12.3 pp");
        assert_eq!(format(Unit::Seconds, 5400.0), "1.5 h");
        assert_eq!(format(Unit::Seconds, 45.0), "45 s");
        assert_eq!(format(Unit::Seconds, 90.0), "1.5 min");
        assert_eq!(format(Unit::Seconds, 160_000.0), "44 h");
        assert_eq!(format(Unit::Seconds, 285_120.0), "3.3 d");
        assert_eq!(format(Unit::Count, 12345.0), "12,345");
        assert_eq!(format(Unit::Count, 1234567.0), "1,234,567");
        assert_eq!(format(Unit::Count, 999.0), "999");
        assert_eq!(format(Unit::Number, 2.5), "2.50");
        assert_eq!(Unit::parse("percent"), Ok(Unit::Percent));
        assert!(Unit::parse("furlongs").unwrap_err().contains("furlongs"));
    }

    #[test]
    fn ticks_are_round_in_the_axis_unit_and_never_negative_zero() {
        let hours = Scale::for_axis(Unit::Seconds, 160_000.0);
        assert_eq!(hours.name, "hours");
        let (t, step) = ticks(&hours, 0.0, 160_000.0, 5);
        let labels: Vec<String> = t.iter().map(|v| hours.tick(*v, step)).collect();
        assert_eq!(labels, ["0", "10", "20", "30", "40"]);
        let pct = Scale::for_axis(Unit::Percent, 0.6);
        let (t, step) = ticks(&pct, 0.0, 0.6, 6);
        let labels: Vec<String> = t.iter().map(|v| pct.tick(*v, step)).collect();
        assert_eq!(labels, ["0%", "10%", "20%", "30%", "40%", "50%", "60%"]);
        let pp = Scale::for_axis(Unit::Points, 0.2);
        let (t, step) = ticks(&pp, -0.2, 1e-17, 4);
        let labels: Vec<String> = t.iter().map(|v| pp.tick(*v, step)).collect();
        assert_eq!(labels, ["−20", "−15", "−10", "−5", "0"]);
        let n = Scale::for_axis(Unit::Count, 160_000.0);
        let (t, step) = ticks(&n, 0.0, 160_000.0, 4);
        let labels: Vec<String> = t.iter().map(|v| n.tick(*v, step)).collect();
        assert_eq!(labels, ["0", "50,000", "100,000", "150,000"]);
        assert_eq!(fixed(-0.04, 1, false), "0.0");
        let secs = Scale::for_axis(Unit::Seconds, 61.3);
        assert_eq!(
            (secs.name, secs.label(61.3), secs.label(59.0)),
            ("seconds", "61 s".into(), "59 s".into())
        );
        assert_eq!(hours.label(5400.0), "1.5 h");
        let minutes = Scale::for_axis(Unit::Seconds, 5400.0);
        assert_eq!(minutes.label(5400.0), "90 min");
    }
}
