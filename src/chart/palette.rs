//! One colour per Call Me Back configuration in every chart: a
//! [`Palette`] is built from all configuration names in a stable global
//! order and maps a series or category name to the same colour wherever it
//! appears; names it does not know get the colours after its own, in order
//! of appearance.

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
    /// palette colour, the others take the following colours in order.
    pub fn colors_for(palette: Option<&Palette>, names: &[String]) -> Vec<String> {
        let known = palette.map_or(0, |p| p.names.len());
        let mut next = known;
        let mut unknown: Vec<&String> = Vec::new();
        names
            .iter()
            .map(|name| {
                if let Some(c) = palette.and_then(|p| p.color(name)) {
                    return c.to_string();
                }
                let i = match unknown.iter().position(|u| *u == name) {
                    Some(i) => known + i,
                    None => {
                        unknown.push(name);
                        next += 1;
                        next - 1
                    }
                };
                COLORS[i % COLORS.len()].to_string()
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
        // unknown names follow the palette's colours
        let mixed = Palette::colors_for(Some(&p), &names(&["x", "Festive 🎉", "y", "x"]));
        assert_eq!(mixed, ["#76b7b2", "#f28e2b", "#59a14f", "#76b7b2"]);
        // no palette: order of appearance
        let none = Palette::colors_for(None, &names(&["b", "a"]));
        assert_eq!(none, ["#4e79a7", "#f28e2b"]);
    }
}
