//! Text written for people, shared by every stage that prints it: numbers
//! with separators and the one markup escape.

/// An integer with a comma every three digits: "1,234,567".
pub fn thousands(n: impl Into<u128>) -> String {
    group_digits(&n.into().to_string())
}

/// A run of digits with a comma every three from the right.
pub fn group_digits(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Text escaped for markup, the one rule for the SVG charts (XML), the HTML
/// page that embeds them and the mail: `&`, `<`, `>`, `"` and `'` become
/// entities, in text and attribute values alike; control characters that
/// XML 1.0 does not allow at all (and HTML calls parse errors) become a
/// space; tab, line feed and carriage return stay.
pub fn html_escape(text: &str) -> String {
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
    use super::*;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0u64), "0");
        assert_eq!(thousands(999u64), "999");
        assert_eq!(thousands(1000u64), "1,000");
        assert_eq!(thousands(1_234_567u64), "1,234,567");
        assert_eq!(thousands(u128::MAX).len(), 39 + 12);
    }

    #[test]
    fn escaping_covers_text_attributes_and_control_characters() {
        assert_eq!(
            html_escape("<a href=\"x\">&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(html_escape("a\u{0}b\u{1b}c\td\ne\rf"), "a b c\td\ne\rf");
        assert_eq!(html_escape("मराठी 🙂 عربي"), "मराठी 🙂 عربي");
    }
}
