//! What the charts of `hookstat report` show, read from the SVG: the
//! interest-rate bars (one per configuration, lengths in proportion to the
//! rates the test put in its archive, labels and tooltips naming the
//! configuration and its rate), the popular-slots heatmap (one cell per
//! weekday and hour, each tooltip holding the count the test made, darker
//! for more), and every PNG is exactly the raster of its SVG.

mod common;

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Timelike};
use common::*;
use hookstat::chart::raster::{pixmap, PNG_SCALE};
use serde_json::Value;

/// Configurations and how many of their 40 answers are interested.
const CONFIGS: [(&str, usize); 3] = [("Alpha", 10), ("Beta <b>", 20), ("Gamma कॉल 🎉", 30)];

/// `name="value"` attributes of one start tag's inside.
fn attributes(tag: &str) -> BTreeMap<String, String> {
    tag.trim_end_matches('/')
        .split("\" ")
        .filter_map(|a| a.split_once("=\""))
        .map(|(k, v)| (k.trim().to_string(), v.trim_end_matches('"').to_string()))
        .collect()
}

/// Attributes and content of every `<element …>content</element>`
/// (`content` up to the next tag).
fn elements(svg: &str, element: &str) -> Vec<(BTreeMap<String, String>, String)> {
    svg.split(&format!("<{element} "))
        .skip(1)
        .filter_map(|part| {
            let (tag, rest) = part.split_once('>')?;
            // the text content, without inner markup such as `<tspan>`
            let content = rest.split(&format!("</{element}>")).next()?;
            let text = content
                .split('<')
                .enumerate()
                .map(|(i, p)| {
                    if i == 0 {
                        p
                    } else {
                        p.split_once('>').map_or("", |x| x.1)
                    }
                })
                .collect::<String>();
            Some((attributes(tag), text))
        })
        .collect()
}

/// Attributes and tooltip of every `<rect>` that has a tooltip.
fn marks(svg: &str) -> Vec<(BTreeMap<String, String>, String)> {
    svg.split("<rect ")
        .skip(1)
        .filter_map(|part| {
            let (tag, rest) = part.split_once('>')?;
            let title = rest.strip_prefix("<title>")?.split("</title>").next()?;
            Some((attributes(tag), title.to_string()))
        })
        .collect()
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Relative luminance of `#rrggbb` (0 black .. 1 white).
fn luminance(fill: &str) -> f64 {
    let c = |i: usize| f64::from(u8::from_str_radix(&fill[i..i + 2], 16).unwrap()) / 255.0;
    0.2126 * c(1) + 0.7152 * c(3) + 0.0722 * c(5)
}

#[test]
fn bars_cells_labels_and_pngs_show_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = Vec::new();
    let mut slots: BTreeMap<(usize, u32), usize> = BTreeMap::new();
    for (c, (config, interested)) in CONFIGS.iter().enumerate() {
        for i in 0..40 {
            let mut event: Value =
                serde_json::from_str(&cmb_event(&format!("e{c}-{i}"), config, i < *interested))
                    .unwrap();
            // preferred times: a few weekdays and hours, counts known here
            let from = 1_754_116_200 + ((i * 7 + c * 3) % 11) as i64 * 86_400 / 4;
            event["cmb_payload"]["preferred_from_time"] = from.to_string().into();
            let t = DateTime::from_timestamp(from, 0).unwrap();
            let day = t.weekday().num_days_from_monday() as usize;
            *slots.entry((day, t.hour())).or_default() += 1;
            lines.push(event.to_string());
        }
    }
    let (_, latest) = ingest_and_report(dir.path(), &lines, "UTC");
    let read = |name: &str| std::fs::read_to_string(latest.join(name)).unwrap();

    // interest_rate: one filled bar per configuration, length ∝ rate
    let svg = read("interest_rate.svg");
    let labels: Vec<String> = elements(&svg, "text").into_iter().map(|t| t.1).collect();
    let bars: Vec<_> = marks(&svg)
        .into_iter()
        .filter(|(a, _)| a.get("fill-opacity").is_none_or(|o| o != "0"))
        .collect();
    assert_eq!(bars.len(), CONFIGS.len(), "{bars:?}");
    let mut per_rate = Vec::new();
    for (config, interested) in CONFIGS {
        let rate = interested as f64 / 40.0;
        let name = xml(config);
        let want = format!("{name}: {:.1}%", rate * 100.0);
        let (attrs, title) = bars
            .iter()
            .find(|(_, t)| t.starts_with(&want))
            .unwrap_or_else(|| panic!("no bar titled {want:?}: {bars:?}"));
        assert!(title.contains("n = 40 requests"), "{title}");
        assert!(labels.contains(&name), "no label {name:?}: {labels:?}");
        per_rate.push(attrs["width"].parse::<f64>().unwrap() / rate);
    }
    let (lo, hi) = per_rate
        .iter()
        .fold((f64::MAX, f64::MIN), |(l, h), &w| (l.min(w), h.max(w)));
    assert!(
        hi - lo < 4.0,
        "bar length per unit of rate varies: {per_rate:?}"
    );
    // the axis: each percent tick where a bar of that rate would end
    let (x0, unit) = (bars[0].0["x"].parse::<f64>().unwrap(), (lo + hi) / 2.0);
    let ticks: Vec<(f64, f64)> = elements(&svg, "text")
        .into_iter()
        .filter(|(a, _)| a.get("text-anchor").is_some_and(|t| t == "middle"))
        .filter_map(|(a, t)| {
            let percent = t.strip_suffix('%')?.parse::<f64>().ok()?;
            Some((percent, a["x"].parse::<f64>().unwrap()))
        })
        .collect();
    assert!(ticks.len() >= 3, "{ticks:?}");
    for (percent, x) in &ticks {
        let want = x0 + percent / 100.0 * unit;
        assert!(
            (x - want).abs() < 2.0,
            "tick {percent}% at {x}, bars say {want}"
        );
    }

    // popular_slots: 7 × 24 cells, each with the count made here
    let svg = read("popular_slots.svg");
    let cells = marks(&svg);
    assert_eq!(cells.len(), 7 * 24);
    let mut by_count: Vec<(usize, f64)> = Vec::new();
    for (d, day) in WEEKDAYS.iter().enumerate() {
        for h in 0..24u32 {
            let n = slots.get(&(d, h)).copied().unwrap_or(0);
            let want = format!("{day}, hour of preferred callback (UTC) {h}: {n}");
            let (attrs, _) = cells
                .iter()
                .find(|(_, t)| *t == want)
                .unwrap_or_else(|| panic!("no cell {want:?}"));
            by_count.push((n, luminance(&attrs["fill"])));
        }
    }
    by_count.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
    assert!(
        by_count.windows(2).all(|w| w[0].1 >= w[1].1),
        "a cell with more requests is lighter: {by_count:?}"
    );
    assert!(by_count.last().unwrap().1 < by_count[0].1, "no shading");

    // every PNG is the SVG rasterised (not only a file of some size)
    for entry in std::fs::read_dir(&latest).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "svg") {
            continue;
        }
        let svg = std::fs::read_to_string(&path).unwrap();
        let png = std::fs::read(path.with_extension("png")).unwrap();
        let decoded = resvg::tiny_skia::Pixmap::decode_png(&png).unwrap();
        let drawn = pixmap(&svg, PNG_SCALE).unwrap();
        assert_eq!(
            (decoded.width(), decoded.height()),
            (drawn.width(), drawn.height())
        );
        assert!(decoded.data() == drawn.data(), "{}", path.display());
    }
}
