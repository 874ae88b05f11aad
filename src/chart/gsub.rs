//! The glyphs shaping may substitute for a set of glyphs: the closure of
//! a font's `GSUB` table (single, multiple, alternate, ligature and
//! reverse-chaining substitutions, also inside extension lookups). Context
//! is not checked, so the closure is never too small: every rule whose
//! input glyphs are all in the set adds its output, until nothing changes.

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// A table at `offset` from `base` (empty when out of bounds).
fn sub(base: &[u8], offset: Option<u16>) -> &[u8] {
    offset
        .and_then(|o| base.get(usize::from(o)..))
        .unwrap_or(&[])
}

/// The glyphs of a coverage table, in coverage-index order.
fn coverage(t: &[u8]) -> Vec<u16> {
    let count = usize::from(u16_at(t, 2).unwrap_or(0));
    match u16_at(t, 0) {
        Some(1) => (0..count).filter_map(|i| u16_at(t, 4 + 2 * i)).collect(),
        Some(2) => (0..count)
            .filter_map(|i| Some((u16_at(t, 4 + 6 * i)?, u16_at(t, 6 + 6 * i)?)))
            .flat_map(|(a, b)| a..=b)
            .collect(),
        _ => Vec::new(),
    }
}

/// (inputs, outputs) of every rule of one subtable of `kind`.
fn rules(kind: u16, t: &[u8]) -> Vec<(Vec<u16>, Vec<u16>)> {
    let cov = coverage(sub(t, u16_at(t, 2)));
    let array = |t: &[u8], at: usize| -> Vec<u16> {
        let n = usize::from(u16_at(t, at).unwrap_or(0));
        (0..n).filter_map(|i| u16_at(t, at + 2 + 2 * i)).collect()
    };
    let mut out = Vec::new();
    match (kind, u16_at(t, 0)) {
        (1, Some(1)) => {
            let delta = u16_at(t, 4).unwrap_or(0);
            out.extend(cov.iter().map(|&g| (vec![g], vec![g.wrapping_add(delta)])));
        }
        (1, Some(2)) => {
            let subs = array(t, 4);
            out.extend(cov.iter().zip(subs).map(|(&g, s)| (vec![g], vec![s])));
        }
        (2 | 3, Some(1)) => {
            for (i, &g) in cov.iter().enumerate() {
                let seq = sub(t, u16_at(t, 6 + 2 * i));
                out.push((vec![g], array(seq, 0)));
            }
        }
        (4, Some(1)) => {
            for (i, &g) in cov.iter().enumerate() {
                let set = sub(t, u16_at(t, 6 + 2 * i));
                for j in 0..usize::from(u16_at(set, 0).unwrap_or(0)) {
                    let lig = sub(set, u16_at(set, 2 + 2 * j));
                    let Some(glyph) = u16_at(lig, 0) else {
                        continue;
                    };
                    let n = usize::from(u16_at(lig, 2).unwrap_or(1)).max(1);
                    let mut inputs = vec![g];
                    inputs.extend((0..n - 1).filter_map(|k| u16_at(lig, 4 + 2 * k)));
                    out.push((inputs, vec![glyph]));
                }
            }
        }
        (8, Some(1)) => {
            let back = usize::from(u16_at(t, 4).unwrap_or(0));
            let ahead_at = 6 + 2 * back;
            let ahead = usize::from(u16_at(t, ahead_at).unwrap_or(0));
            let subs = array(t, ahead_at + 2 + 2 * ahead);
            out.extend(cov.iter().zip(subs).map(|(&g, s)| (vec![g], vec![s])));
        }
        _ => {}
    }
    out
}

/// Every substitution rule of the `GSUB` table `gsub`.
fn all_rules(gsub: &[u8]) -> Vec<(Vec<u16>, Vec<u16>)> {
    let list = sub(gsub, u16_at(gsub, 8));
    let mut out = Vec::new();
    for i in 0..usize::from(u16_at(list, 0).unwrap_or(0)) {
        let lookup = sub(list, u16_at(list, 2 + 2 * i));
        let kind = u16_at(lookup, 0).unwrap_or(0);
        for j in 0..usize::from(u16_at(lookup, 4).unwrap_or(0)) {
            let t = sub(lookup, u16_at(lookup, 6 + 2 * j));
            if kind == 7 {
                let inner = u16_at(t, 2).unwrap_or(0);
                let at = u32_at(t, 4).and_then(|o| t.get(o as usize..));
                out.extend(rules(inner, at.unwrap_or(&[])));
            } else {
                out.extend(rules(kind, t));
            }
        }
    }
    out
}

/// Marks in `keep` every glyph substitution can reach from the marked ones.
pub fn close(gsub: &[u8], keep: &mut [bool]) {
    let rules = all_rules(gsub);
    let has = |keep: &[bool], g: u16| keep.get(usize::from(g)).copied().unwrap_or(false);
    loop {
        let mut changed = false;
        for (inputs, outputs) in &rules {
            if inputs.iter().all(|&g| has(keep, g)) {
                for &g in outputs {
                    if let Some(k) = keep.get_mut(usize::from(g)) {
                        if !*k {
                            *k = true;
                            changed = true;
                        }
                    }
                }
            }
        }
        if !changed {
            return;
        }
    }
}
