//! Subsets a TrueType (`glyf`) font for a web page by emptying the
//! outlines of the glyphs the page cannot use. Glyph ids are kept, so
//! `cmap`, `hmtx`, `GSUB`, `GPOS` and `GDEF` stay valid as they are (a
//! browser shapes Devanagari with the font's own rules); only `glyf` and
//! `loca` shrink, `post` loses its glyph names, `DSIG` (no longer true)
//! and the vertical metrics are dropped, and so is `GSUB` when no
//! substitution can reach a kept glyph.
//!
//! Kept: `.notdef`, the glyphs of the characters asked for, every glyph
//! shaping may substitute for them (the `GSUB` closure, `gsub.rs`:
//! conjuncts, half forms, matra variants, emoji sequences), and the
//! components of composite glyphs.
//!
//! Why not a crate: `subsetter` writes fonts for PDF only (it drops
//! `cmap`), and the general subsetter of the fontations project brings
//! proc-macros that would rebuild DuckDB's build script.

use std::collections::BTreeSet;

use ab_glyph::{Font, FontRef};

use super::gsub;

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// The font's tables as (tag, bytes), in directory order.
fn tables(font: &[u8]) -> Option<Vec<([u8; 4], &[u8])>> {
    let n = usize::from(u16_at(font, 4)?);
    (0..n)
        .map(|i| {
            let rec = 12 + 16 * i;
            let tag: [u8; 4] = font.get(rec..rec + 4)?.try_into().ok()?;
            let offset = u32_at(font, rec + 8)? as usize;
            let len = u32_at(font, rec + 12)? as usize;
            Some((tag, font.get(offset..offset + len)?))
        })
        .collect()
}

fn find<'a>(tables: &[([u8; 4], &'a [u8])], tag: &[u8; 4]) -> Option<&'a [u8]> {
    tables.iter().find(|(t, _)| t == tag).map(|(_, b)| *b)
}

/// Glyph offsets into `glyf` (numGlyphs + 1 of them).
fn offsets(loca: &[u8], long: bool, glyphs: usize) -> Option<Vec<usize>> {
    (0..=glyphs)
        .map(|i| {
            if long {
                u32_at(loca, 4 * i).map(|o| o as usize)
            } else {
                u16_at(loca, 2 * i).map(|o| 2 * usize::from(o))
            }
        })
        .collect()
}

/// The glyphs a composite glyph is built from.
fn components(glyph: &[u8]) -> Vec<u16> {
    let mut out = Vec::new();
    if glyph.len() < 10 || i16::from_be_bytes([glyph[0], glyph[1]]) >= 0 {
        return out;
    }
    let mut at = 10;
    while let (Some(flags), Some(id)) = (u16_at(glyph, at), u16_at(glyph, at + 2)) {
        out.push(id);
        at += 4 + if flags & 0x0001 != 0 { 4 } else { 2 };
        at += match flags {
            f if f & 0x0008 != 0 => 2,
            f if f & 0x0040 != 0 => 4,
            f if f & 0x0080 != 0 => 8,
            _ => 0,
        };
        if flags & 0x0020 == 0 {
            break;
        }
    }
    out
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, c| {
        let mut w = [0u8; 4];
        w[..c.len()].copy_from_slice(c);
        sum.wrapping_add(u32::from_be_bytes(w))
    })
}

/// The font with only what `chars` need (see the module documentation);
/// None when it is not a TrueType font this understands.
pub fn subset(font: &[u8], chars: &BTreeSet<char>) -> Option<Vec<u8>> {
    let parsed = FontRef::try_from_slice(font).ok()?;
    let tables = tables(font)?;
    let head = find(&tables, b"head")?;
    let glyf = find(&tables, b"glyf")?;
    let glyphs = usize::from(u16_at(find(&tables, b"maxp")?, 4)?);
    let long = u16_at(head, 50)? == 1;
    let offsets = offsets(find(&tables, b"loca")?, long, glyphs)?;
    let mut keep = vec![false; glyphs];
    keep[0] = true;
    for &c in chars {
        let id = usize::from(parsed.glyph_id(c).0);
        if let Some(k) = keep.get_mut(id) {
            *k = true;
        }
    }
    let asked = keep.iter().filter(|k| **k).count();
    if let Some(table) = find(&tables, b"GSUB") {
        gsub::close(table, &mut keep);
    }
    // no rule can reach a kept glyph: the substitutions are dead weight
    let substitutes = keep.iter().filter(|k| **k).count() > asked;
    let outline = |i: usize| glyf.get(offsets[i]..offsets[i + 1]).unwrap_or(&[]);
    // composites name their parts: keep those too (parts may be composite)
    let mut stack: Vec<usize> = (0..glyphs).filter(|&i| keep[i]).collect();
    while let Some(i) = stack.pop() {
        for part in components(outline(i)) {
            let p = usize::from(part);
            if p < glyphs && !keep[p] {
                keep[p] = true;
                stack.push(p);
            }
        }
    }
    let mut new_glyf = Vec::new();
    let mut new_loca = Vec::with_capacity(4 * (glyphs + 1));
    for (i, &k) in keep.iter().enumerate() {
        new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
        if k {
            new_glyf.extend_from_slice(outline(i));
            new_glyf.resize(new_glyf.len().next_multiple_of(4), 0);
        }
    }
    new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
    let mut new_head = head.to_vec();
    new_head[8..12].fill(0);
    new_head[50..52].copy_from_slice(&1u16.to_be_bytes());
    let mut post = find(&tables, b"post")?.get(..32)?.to_vec();
    post[..4].copy_from_slice(&0x0003_0000u32.to_be_bytes());
    let out: Vec<([u8; 4], Vec<u8>)> = tables
        .iter()
        .filter(|(tag, _)| !matches!(tag, b"DSIG" | b"vhea" | b"vmtx"))
        .filter(|(tag, _)| substitutes || tag != b"GSUB")
        .map(|(tag, data)| {
            let data = match tag {
                b"glyf" => new_glyf.clone(),
                b"loca" => new_loca.clone(),
                b"head" => new_head.clone(),
                b"post" => post.clone(),
                _ => data.to_vec(),
            };
            (*tag, data)
        })
        .collect();
    Some(assemble(font, &out))
}

/// A font file from its tables, checksums and `head.checkSumAdjustment`
/// computed.
fn assemble(original: &[u8], tables: &[([u8; 4], Vec<u8>)]) -> Vec<u8> {
    let n = tables.len();
    let mut power = 1usize;
    while power * 2 <= n {
        power *= 2;
    }
    let mut out = Vec::new();
    out.extend_from_slice(&original[..4]);
    out.extend_from_slice(&(n as u16).to_be_bytes());
    out.extend_from_slice(&((power * 16) as u16).to_be_bytes());
    out.extend_from_slice(&(power.trailing_zeros() as u16).to_be_bytes());
    out.extend_from_slice(&((n * 16 - power * 16) as u16).to_be_bytes());
    let mut offset = 12 + 16 * n;
    let mut head_at = None;
    for (tag, data) in tables {
        if tag == b"head" {
            head_at = Some(offset);
        }
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        offset += data.len().next_multiple_of(4);
    }
    for (_, data) in tables {
        out.extend_from_slice(data);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    if let Some(at) = head_at {
        let adjust = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[at + 8..at + 12].copy_from_slice(&adjust.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::fonts::embedded;

    #[test]
    fn a_subset_draws_what_it_was_asked_for_and_little_else() {
        let (_, devanagari) = embedded()[1];
        let chars: BTreeSet<char> = "शाम के स्लॉट".chars().collect();
        let small = subset(devanagari, &chars).expect("a TrueType font");
        assert!(small.len() < devanagari.len(), "{} bytes", small.len());
        let f = FontRef::try_from_slice(&small).expect("still a font");
        // the same glyph ids, outlines only where asked
        let outlined = |c: char| f.outline(f.glyph_id(c)).is_some();
        assert!(outlined('श') && outlined('ॉ'));
        assert!(!outlined('ब'), "a character the page does not use");
        let (_, emoji) = embedded()[2];
        let one: BTreeSet<char> = ['🌙'].into();
        let tiny = subset(emoji, &one).unwrap();
        assert!(tiny.len() < emoji.len() / 5, "{} bytes", tiny.len());
        let f = FontRef::try_from_slice(&tiny).unwrap();
        assert!(f.outline(f.glyph_id('🌙')).is_some());
        assert!(f.outline(f.glyph_id('🎉')).is_none());
        assert_eq!(checksum(&tiny), 0xB1B0_AFBA, "whole-font checksum");
    }
}
