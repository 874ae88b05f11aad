//! Escaping text for markup: the one rule for the SVG charts (XML) and the
//! HTML page that embeds them, in text and in attribute values.

/// Escapes text for XML and HTML content and attribute values: `&`, `<`,
/// `>`, `"` and `'` become entities; control characters that XML 1.0 does
/// not allow at all (and HTML calls parse errors) become a space; tab,
/// line feed and carriage return stay.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escaping_covers_text_attributes_and_control_characters() {
        assert_eq!(
            escape("<a href=\"x\">&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(escape("a\u{0}b\u{1b}c\td\ne\rf"), "a b c\td\ne\rf");
        assert_eq!(escape("मराठी 🙂 عربي"), "मराठी 🙂 عربي");
    }
}
