//! One colour per Call Me Back configuration in every chart: a
//! [`Palette`] is built from all configuration names in a stable global
//! order and maps a series or category name to the same colour wherever it
//! appears; names it does not know get the colours the chart leaves free,
//! in order of appearance.

/// Qualitative colours (Tableau 10), distinguishable side by side and
/// readable on white.
pub const COLORS: [&str; 10] = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac",
];

/// Names in a stable order, each with its colour.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Palette {
    names: Vec<String>,
}

impl Palette {
    /// A palette over `names` in the given order (duplicates keep their
    /// first place).
    pub fn new<I, S>(names: I) -> Palette
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut out: Vec<String> = Vec::new();
        for name in names {
            let name = name.into();
            if !out.contains(&name) {
                out.push(name);
            }
        }
        Palette { names: out }
    }

    /// The colour of `name`, if the palette knows it.
    pub fn color(&self, name: &str) -> Option<&'static str> {
        self.names
            .iter()
            .position(|n| n == name)
            .map(|i| COLORS[i % COLORS.len()])
    }

    /// Colours for `names` as drawn in one chart: known names keep their
    /// palette colour; the others take, in order of appearance, the colours
    /// no known name of this chart uses — so a chart of other series (e.g.
    /// inserted, duplicates, rejected) keeps its colours when configurations
    /// are added.
    pub fn colors_for(palette: Option<&Palette>, names: &[String]) -> Vec<String> {
        let known: Vec<Option<&'static str>> = names
            .iter()
            .map(|n| palette.and_then(|p| p.color(n)))
            .collect();
        let free: Vec<&'static str> = COLORS
            .iter()
            .copied()
            .filter(|c| !known.contains(&Some(*c)))
            .chain(COLORS)
            .collect();
        let mut unknown: Vec<&String> = Vec::new();
        names
            .iter()
            .zip(&known)
            .map(|(name, known)| {
                if let Some(c) = known {
                    return c.to_string();
                }
                let i = unknown.iter().position(|u| *u == name).unwrap_or_else(|| {
                    unknown.push(name);
                    unknown.len() - 1
                });
                free[i % free.len()].to_string()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_name_has_one_colour_whatever_else_a_chart_shows() {
        let p = Palette::new(["CMB Default", "Festive 🎉", "ऑफ़र"]);
        let one = Palette::colors_for(Some(&p), &names(&["ऑफ़र", "CMB Default"]));
        let other = Palette::colors_for(Some(&p), &names(&["CMB Default", "ऑफ़र"]));
        assert_eq!(one, ["#e15759", "#4e79a7"]);
        assert_eq!(other, ["#4e79a7", "#e15759"]);
        // unknown names take the colours the chart's known names leave free
        let mixed = Palette::colors_for(Some(&p), &names(&["x", "Festive 🎉", "y", "x"]));
        assert_eq!(mixed, ["#4e79a7", "#f28e2b", "#e15759", "#4e79a7"]);
        // and do not move when the palette grows
        let bigger = Palette::new(["CMB Default", "Festive 🎉", "ऑफ़र", "New"]);
        let series = names(&["inserted", "duplicates"]);
        assert_eq!(
            Palette::colors_for(Some(&p), &series),
            Palette::colors_for(Some(&bigger), &series)
        );
        // no palette: order of appearance
        let none = Palette::colors_for(None, &names(&["b", "a"]));
        assert_eq!(none, ["#4e79a7", "#f28e2b"]);
    }
}
