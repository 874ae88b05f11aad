//! A small SVG writer for charts: shapes, text and per-shape `<title>`
//! tooltips, with every piece of text XML-escaped. The root element is
//! accessible (`role="img"`, a `<title>` and `<desc>` it is labelled by).

use std::fmt::Write;

use super::fonts::{devanagari_runs, DEVANAGARI_FAMILY, FONT_STACK};
use crate::text::html_escape as escape;

/// Where text sits relative to its point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// Text starts at the point.
    Start,
    /// Text is centred on the point.
    Middle,
    /// Text ends at the point.
    End,
}

/// Text style: size in px, colour, anchor, rotation.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Font size in px.
    pub size: f64,
    /// Fill colour.
    pub color: &'static str,
    /// Horizontal anchor.
    pub anchor: Anchor,
    /// Rotated by -90° (reads bottom to top).
    pub vertical: bool,
}

impl Style {
    /// Dark text of `size` px anchored at `anchor`.
    pub fn new(size: f64, anchor: Anchor) -> Style {
        Style {
            size,
            color: "#222",
            anchor,
            vertical: false,
        }
    }

    /// The same in `color`.
    pub fn color(mut self, color: &'static str) -> Style {
        self.color = color;
        self
    }

    /// The same rotated to read upwards.
    pub fn vertical(mut self) -> Style {
        self.vertical = true;
        self
    }
}

/// An SVG document being written.
pub struct Svg {
    out: String,
}

fn n(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

fn tip(tooltip: Option<&str>) -> String {
    tooltip.map_or(String::new(), |t| format!("<title>{}</title>", escape(t)))
}

impl Svg {
    /// Starts a `width`×`height` document; `id` makes element ids unique
    /// on a page with several charts.
    pub fn new(width: f64, height: f64, id: &str, title: &str, desc: &str) -> Svg {
        let id = escape(id);
        let mut out = String::new();
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" font-family=\"{FONT_STACK}\">\
<title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>\
<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>",
            escape(title),
            escape(desc),
            w = n(width),
            h = n(height),
        );
        Svg { out }
    }

    /// Raw markup (already escaped by the caller).
    pub fn raw(&mut self, markup: &str) {
        self.out.push_str(markup);
    }

    /// A filled rectangle, with a tooltip if given.
    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &str, tooltip: Option<&str>) {
        let (x, w) = if w < 0.0 { (x + w, -w) } else { (x, w) };
        let (y, h) = if h < 0.0 { (y + h, -h) } else { (y, h) };
        let body = tip(tooltip);
        let _ = write!(
            self.out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"",
            n(x),
            n(y),
            n(w),
            n(h),
            escape(fill)
        );
        if body.is_empty() {
            self.out.push_str("/>");
        } else {
            let _ = write!(self.out, ">{body}</rect>");
        }
    }

    /// A transparent rectangle that only carries a tooltip (a hit area).
    pub fn hit(&mut self, x: f64, y: f64, w: f64, h: f64, tooltip: &str) {
        let _ = write!(
            self.out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#fff\" fill-opacity=\"0\">{}</rect>",
            n(x),
            n(y),
            n(w.abs()),
            n(h.abs()),
            tip(Some(tooltip))
        );
    }

    /// A straight line; `dash` draws it dashed.
    pub fn line(&mut self, from: (f64, f64), to: (f64, f64), stroke: &str, width: f64, dash: bool) {
        let _ = write!(
            self.out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"{}\"{}/>",
            n(from.0),
            n(from.1),
            n(to.0),
            n(to.1),
            escape(stroke),
            n(width),
            if dash {
                " stroke-dasharray=\"5 4\""
            } else {
                ""
            }
        );
    }

    /// A polyline through `points`.
    pub fn polyline(&mut self, points: &[(f64, f64)], stroke: &str, width: f64) {
        let pts: Vec<String> = points
            .iter()
            .map(|(x, y)| format!("{},{}", n(*x), n(*y)))
            .collect();
        let _ = write!(
            self.out,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\" stroke-linejoin=\"round\"/>",
            pts.join(" "),
            escape(stroke),
            n(width)
        );
    }

    /// A filled circle with a tooltip.
    pub fn circle(&mut self, at: (f64, f64), r: f64, fill: &str, tooltip: Option<&str>) {
        let _ = write!(
            self.out,
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\" stroke=\"#fff\" stroke-width=\"1\">{}</circle>",
            n(at.0),
            n(at.1),
            n(r),
            escape(fill),
            tip(tooltip)
        );
    }

    /// Text at `at`; `at.1` is the vertical centre of the text.
    pub fn text(&mut self, at: (f64, f64), text: &str, style: Style) {
        let anchor = match style.anchor {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        };
        // centre on `at` without relying on dominant-baseline support
        let shift = style.size * 0.35;
        let (x, y, transform) = if style.vertical {
            (
                at.0 + shift,
                at.1,
                format!(" transform=\"rotate(-90 {} {})\"", n(at.0 + shift), n(at.1)),
            )
        } else {
            (at.0, at.1 + shift, String::new())
        };
        let _ = write!(
            self.out,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"{}\" text-anchor=\"{anchor}\"{transform}>{}</text>",
            n(x),
            n(y),
            n(style.size),
            style.color,
            text_content(text)
        );
    }

    /// The finished document.
    pub fn finish(mut self) -> String {
        self.out.push_str("</svg>\n");
        self.out
    }
}

/// The escaped content of a `<text>`: a text mixing Devanagari with other
/// scripts names the Devanagari font for its Devanagari runs, so that the
/// PNG draws them (see `fonts::devanagari_runs`); other texts as they are.
fn text_content(text: &str) -> String {
    let runs = devanagari_runs(text);
    if runs.len() < 2 {
        return escape(text);
    }
    let mut out = String::new();
    for (devanagari, run) in runs {
        if devanagari {
            let _ = write!(
                out,
                "<tspan font-family=\"'{DEVANAGARI_FAMILY}', {FONT_STACK}\">{}</tspan>",
                escape(run)
            );
        } else {
            out.push_str(&escape(run));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_tooltips_are_escaped_and_the_root_is_accessible() {
        assert_eq!(
            escape("<b> & \"q\" 'a'"),
            "&lt;b&gt; &amp; &quot;q&quot; &#39;a&#39;"
        );
        let mut svg = Svg::new(100.0, 50.0, "r", "Rates <all>", "a & b");
        svg.rect(
            1.0,
            2.0,
            3.0,
            -4.0,
            "#123456",
            Some("<script>x</script> & 54%"),
        );
        svg.text(
            (5.0, 5.0),
            "A \"config\" <&>",
            Style::new(12.0, Anchor::Start),
        );
        let out = svg.finish();
        assert!(out.starts_with("<svg "), "{out}");
        assert!(out.contains("role=\"img\""));
        assert!(out.contains("<title id=\"r-title\">Rates &lt;all&gt;</title>"));
        assert!(out.contains("<desc id=\"r-desc\">a &amp; b</desc>"));
        assert!(out.contains("y=\"-2\" width=\"3\" height=\"4\""), "{out}");
        assert!(out.contains("<title>&lt;script&gt;x&lt;/script&gt; &amp; 54%</title>"));
        assert!(out.contains(">A &quot;config&quot; &lt;&amp;&gt;</text>"));
        assert!(!out.contains("<script>"));
    }
}
