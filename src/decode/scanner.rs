//! An incremental JSON syntax checker (RFC 8259) that finds where one value
//! ends in a byte stream, or the exact byte where it stops being JSON.
//!
//! The framer feeds it the stream piece by piece; it never allocates per
//! token and keeps only a stack of open containers. UTF-8 validity is left
//! to validation (a record with invalid bytes is its own reject there).

/// What the scanner says after a piece of input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Every byte fed so far can start or continue a value: feed more.
    More,
    /// The value ended; it is the first `n` bytes of this piece.
    Done(usize),
    /// Byte `n` of this piece cannot follow what came before.
    Error(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// A value must come (start, after `:`, after `,` in an array).
    Value,
    /// After `[`: a value or `]`.
    ValueOrEnd,
    /// After `{`: a key or `}`.
    KeyOrEnd,
    /// After `,` in an object: a key.
    Key,
    /// After a key: `:`.
    Colon,
    /// After a value inside a container: `,` or the closing bracket.
    CommaOrEnd,
    /// Inside a string (`key` when it is an object key).
    Str { key: bool },
    /// After a backslash in a string.
    Escape { key: bool },
    /// Inside `\uXXXX`: hex digits still to come.
    Unicode { key: bool, left: u8 },
    /// Inside a number.
    Number(Num),
    /// Inside `true`, `false` or `null`: the rest still to come.
    Literal(&'static [u8]),
    /// The top-level value is complete.
    End,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Num {
    Minus,
    Zero,
    Int,
    Dot,
    Frac,
    Exp,
    ExpSign,
    ExpDigits,
}

impl Num {
    fn is_complete(self) -> bool {
        matches!(self, Num::Zero | Num::Int | Num::Frac | Num::ExpDigits)
    }

    fn next(self, b: u8) -> Option<Num> {
        Some(match (self, b) {
            (Num::Minus, b'0') => Num::Zero,
            (Num::Minus, b'1'..=b'9') => Num::Int,
            (Num::Int, b'0'..=b'9') => Num::Int,
            (Num::Zero | Num::Int, b'.') => Num::Dot,
            (Num::Zero | Num::Int | Num::Frac, b'e' | b'E') => Num::Exp,
            (Num::Dot | Num::Frac, b'0'..=b'9') => Num::Frac,
            (Num::Exp, b'+' | b'-') => Num::ExpSign,
            (Num::Exp | Num::ExpSign | Num::ExpDigits, b'0'..=b'9') => Num::ExpDigits,
            _ => return None,
        })
    }
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Checks one JSON value at a time.
#[derive(Debug, Clone)]
pub struct Scanner {
    state: State,
    /// Open containers: `true` for an object.
    stack: Vec<bool>,
}

impl Default for Scanner {
    fn default() -> Self {
        Scanner {
            state: State::Value,
            stack: Vec::new(),
        }
    }
}

impl Scanner {
    /// True when the value would be complete if the stream ended here (a
    /// top-level number has no closing byte).
    pub fn complete_at_end(&self) -> bool {
        match self.state {
            State::End => true,
            State::Number(n) => self.stack.is_empty() && n.is_complete(),
            _ => false,
        }
    }

    /// Nesting depth of open containers.
    #[cfg(test)]
    pub fn depth(&self) -> usize {
        self.stack.len()
    }

    /// Feeds the next piece of the stream.
    pub fn feed(&mut self, bytes: &[u8]) -> Step {
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            match self.state {
                State::Str { key } => {
                    // fast path: skip plain string bytes
                    let rest = &bytes[i..];
                    let stop = memchr::memchr2(b'"', b'\\', rest).unwrap_or(rest.len());
                    if let Some(c) = rest[..stop].iter().position(|&c| c < 0x20) {
                        return Step::Error(i + c);
                    }
                    i += stop;
                    let Some(&c) = bytes.get(i) else { break };
                    match c {
                        b'"' => self.state = self.after_value_or_key(key),
                        b'\\' => self.state = State::Escape { key },
                        _ => return Step::Error(i),
                    }
                }
                State::Escape { .. } | State::Unicode { .. } => {
                    if !self.escape(b) {
                        return Step::Error(i);
                    }
                }
                State::Number(n) => match n.next(b) {
                    Some(next) => self.state = State::Number(next),
                    None if n.is_complete() => {
                        self.state = self.after_value();
                        if self.state == State::End {
                            return Step::Done(i);
                        }
                        continue; // the byte is not part of the number
                    }
                    None => return Step::Error(i),
                },
                State::Literal(rest) => {
                    if b != rest[0] {
                        return Step::Error(i);
                    }
                    self.state = if rest.len() == 1 {
                        self.after_value()
                    } else {
                        State::Literal(&rest[1..])
                    };
                }
                State::End => return Step::Done(i),
                _ if is_ws(b) => {}
                _ => {
                    if !self.structural(b) {
                        return Step::Error(i);
                    }
                }
            }
            i += 1;
            if self.state == State::End {
                return Step::Done(i);
            }
        }
        Step::More
    }

    /// A byte after a backslash or inside `\uXXXX`; false when invalid.
    fn escape(&mut self, b: u8) -> bool {
        self.state = match self.state {
            State::Escape { key } => match b {
                b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => State::Str { key },
                b'u' => State::Unicode { key, left: 4 },
                _ => return false,
            },
            State::Unicode { key, left } if b.is_ascii_hexdigit() => {
                if left == 1 {
                    State::Str { key }
                } else {
                    State::Unicode {
                        key,
                        left: left - 1,
                    }
                }
            }
            _ => return false,
        };
        true
    }

    /// A byte between tokens (not whitespace); false when it cannot come
    /// here.
    fn structural(&mut self, b: u8) -> bool {
        match self.state {
            State::Value | State::ValueOrEnd => {
                if b == b']' && self.state == State::ValueOrEnd {
                    self.stack.pop();
                    self.state = self.after_value();
                    true
                } else {
                    self.start_value(b)
                }
            }
            State::KeyOrEnd | State::Key => match b {
                b'"' => {
                    self.state = State::Str { key: true };
                    true
                }
                b'}' if self.state == State::KeyOrEnd => {
                    self.stack.pop();
                    self.state = self.after_value();
                    true
                }
                _ => false,
            },
            State::Colon if b == b':' => {
                self.state = State::Value;
                true
            }
            State::CommaOrEnd => {
                let in_object = self.stack.last() == Some(&true);
                match (b, in_object) {
                    (b',', true) => self.state = State::Key,
                    (b',', false) => self.state = State::Value,
                    (b'}', true) | (b']', false) => {
                        self.stack.pop();
                        self.state = self.after_value();
                    }
                    _ => return false,
                }
                true
            }
            _ => false,
        }
    }

    fn start_value(&mut self, b: u8) -> bool {
        self.state = match b {
            b'{' => {
                self.stack.push(true);
                State::KeyOrEnd
            }
            b'[' => {
                self.stack.push(false);
                State::ValueOrEnd
            }
            b'"' => State::Str { key: false },
            b'-' => State::Number(Num::Minus),
            b'0' => State::Number(Num::Zero),
            b'1'..=b'9' => State::Number(Num::Int),
            b't' => State::Literal(b"rue"),
            b'f' => State::Literal(b"alse"),
            b'n' => State::Literal(b"ull"),
            _ => return false,
        };
        true
    }

    fn after_value_or_key(&self, key: bool) -> State {
        if key {
            State::Colon
        } else {
            self.after_value()
        }
    }

    fn after_value(&self) -> State {
        if self.stack.is_empty() {
            State::End
        } else {
            State::CommaOrEnd
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(text: &[u8]) -> Step {
        Scanner::default().feed(text)
    }

    #[test]
    fn values_end_where_they_close() {
        assert_eq!(scan(br#"{"a":[1,2.5e-3,"x\"y"]} rest"#), Step::Done(23));
        assert_eq!(scan(br#"{"a":1}{"b":2}"#), Step::Done(7));
        assert_eq!(scan(b"[] x"), Step::Done(2));
        assert_eq!(scan(b"true,"), Step::Done(4));
        assert_eq!(scan(b"-12 "), Step::Done(3));
        assert_eq!(scan(b"\"\\u00e9\"x"), Step::Done(8));
    }

    #[test]
    fn errors_point_at_the_offending_byte() {
        assert_eq!(scan(b"{\"a\":[1,2\n{\"b\":1}"), Step::Error(10));
        assert_eq!(scan(b"{\"a\":\"x\ny\"}"), Step::Error(7));
        assert_eq!(scan(b"garbage"), Step::Error(0));
        assert_eq!(scan(b"{a:1}"), Step::Error(1));
        assert_eq!(scan(b"[1,]"), Step::Error(3));
        assert_eq!(scan(b"01"), Step::Done(1));
        assert_eq!(scan(b"[01]"), Step::Error(2));
        assert_eq!(scan(b"\"\\x\""), Step::Error(2));
        assert_eq!(scan(b"nul!"), Step::Error(3));
        assert_eq!(scan(b"{\"a\" 1}"), Step::Error(5));
    }

    #[test]
    fn pieces_can_split_anywhere() {
        let text = br#"{"k": [true, null, -0.5E+2, "a\u00e9\\"], "z": {}}"#;
        for cut in 0..text.len() {
            let mut s = Scanner::default();
            assert_eq!(s.feed(&text[..cut]), Step::More, "cut {cut}");
            assert_eq!(s.feed(&text[cut..]), Step::Done(text.len() - cut));
        }
        let mut s = Scanner::default();
        assert_eq!(s.feed(b"12"), Step::More);
        assert!(s.complete_at_end());
        let mut s = Scanner::default();
        assert_eq!(s.feed(b"{\"a\":1"), Step::More);
        assert!(!s.complete_at_end());
        assert_eq!(s.depth(), 1);
    }
}
