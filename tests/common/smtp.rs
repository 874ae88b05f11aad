//! A real SMTP server on 127.0.0.1 for the tests, written here over a TCP
//! socket (EHLO, AUTH PLAIN/LOGIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT),
//! that records what it received; it can refuse the message with 554 on
//! DATA. It stops by itself after a minute. The session runs over any
//! byte stream: the plain socket here, TLS in `smtp_tls.rs`. Also a small
//! MIME reader (headers, multipart, base64 and quoted-printable)
//! independent of the crate that wrote the message.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// One mail transaction.
#[derive(Debug, Default, Clone)]
pub struct Received {
    /// The EHLO name.
    pub ehlo: String,
    /// (user, password) of AUTH.
    pub auth: Option<(String, String)>,
    /// MAIL FROM address.
    pub mail_from: String,
    /// RCPT TO addresses.
    pub rcpt_to: Vec<String>,
    /// The message (dot-unstuffed), empty when refused.
    pub data: Vec<u8>,
    /// The session's TLS, when it ran over TLS.
    pub tls: Option<TlsSeen>,
}

/// What the server saw of a session's TLS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsSeen {
    /// The protocol version (`TLSv1_3`).
    pub version: String,
    /// The name the client asked for (SNI), if it sent one.
    pub server_name: Option<String>,
}

/// What one connection gave: its transactions, or why it ended before the
/// SMTP session (a TLS handshake the client broke off).
pub type Connection = Result<Vec<Received>, String>;

/// Everything the server saw.
#[derive(Debug, Default)]
pub struct Log {
    /// The transactions of every session.
    pub received: Vec<Received>,
    /// Why connections ended before their session, in order.
    pub failures: Vec<String>,
}

/// The running server.
pub struct SmtpServer {
    /// Its port on 127.0.0.1.
    pub port: u16,
    stop: Arc<AtomicBool>,
    handle: JoinHandle<Log>,
}

/// Starts a server of plain SMTP; `refuse` answers DATA with 554.
pub fn start(refuse: bool) -> SmtpServer {
    serve(move |stream| Ok(session(stream, refuse)))
}

/// Starts a server that hands each accepted connection to `connection`,
/// one at a time, until stopped or a minute has passed.
pub fn serve<F>(connection: F) -> SmtpServer
where
    F: Fn(TcpStream) -> Connection + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().unwrap().port();
    listener.set_nonblocking(true).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let handle = std::thread::spawn(move || {
        let mut log = Log::default();
        let deadline = Instant::now() + Duration::from_secs(60);
        while !flag.load(Ordering::Relaxed) && Instant::now() < deadline {
            match listener.accept() {
                Ok((stream, _)) => {
                    stream.set_nonblocking(false).unwrap();
                    stream
                        .set_read_timeout(Some(Duration::from_secs(20)))
                        .unwrap();
                    match connection(stream) {
                        Ok(received) => log.received.extend(received),
                        Err(why) => log.failures.push(why),
                    }
                }
                Err(_) => std::thread::sleep(Duration::from_millis(20)),
            }
        }
        log
    });
    SmtpServer { port, stop, handle }
}

impl SmtpServer {
    /// Stops the server and returns what it received.
    pub fn finish(self) -> Vec<Received> {
        self.finish_log().received
    }

    /// Stops the server and returns everything it saw.
    pub fn finish_log(self) -> Log {
        self.stop.store(true, Ordering::Relaxed);
        self.handle.join().expect("server thread")
    }
}

/// Writes a reply; false when the connection is gone.
fn say<S: Write>(reader: &mut BufReader<S>, text: &str) -> bool {
    let out = reader.get_mut();
    out.write_all(text.as_bytes()).is_ok() && out.flush().is_ok()
}

/// Reads one line into `line`; false at the end or on an error.
fn read<S: Read>(reader: &mut BufReader<S>, line: &mut String) -> bool {
    line.clear();
    matches!(reader.read_line(line), Ok(n) if n > 0)
}

/// One SMTP session over `stream` (plain or TLS) until QUIT or the end;
/// `refuse` answers DATA with 554.
pub fn session<S: Read + Write>(stream: S, refuse: bool) -> Vec<Received> {
    let mut reader = BufReader::new(stream);
    let reader = &mut reader;
    let mut done = Vec::new();
    let mut cur = Received::default();
    say(reader, "220 127.0.0.1 hookstat-test ESMTP\r\n");
    let mut line = String::new();
    while read(reader, &mut line) {
        let cmd = line.trim_end().to_string();
        let upper = cmd.to_ascii_uppercase();
        if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            cur.ehlo = cmd[4..].trim().to_string();
            say(
                reader,
                "250-127.0.0.1\r\n250-AUTH PLAIN LOGIN\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
            );
        } else if upper.starts_with("AUTH PLAIN") {
            let mut arg = cmd[10..].trim().to_string();
            if arg.is_empty() {
                say(reader, "334 \r\n");
                read(reader, &mut line);
                arg = line.trim().to_string();
            }
            let raw = base64(&arg);
            let parts: Vec<&[u8]> = raw.split(|b| *b == 0).collect();
            let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
            cur.auth = Some((text(parts[1]), text(parts[2])));
            say(reader, "235 2.7.0 accepted\r\n");
        } else if upper.starts_with("AUTH LOGIN") {
            say(reader, "334 VXNlcm5hbWU6\r\n");
            read(reader, &mut line);
            let user = String::from_utf8_lossy(&base64(line.trim())).into_owned();
            say(reader, "334 UGFzc3dvcmQ6\r\n");
            read(reader, &mut line);
            let pw = String::from_utf8_lossy(&base64(line.trim())).into_owned();
            cur.auth = Some((user, pw));
            say(reader, "235 2.7.0 accepted\r\n");
        } else if upper.starts_with("MAIL FROM:") {
            cur.mail_from = cmd[10..].split_whitespace().next().unwrap_or("").into();
            say(reader, "250 2.1.0 ok\r\n");
        } else if upper.starts_with("RCPT TO:") {
            cur.rcpt_to.push(cmd[8..].trim().to_string());
            say(reader, "250 2.1.5 ok\r\n");
        } else if upper == "DATA" {
            if refuse {
                say(reader, "554 5.7.1 message refused by policy\r\n");
                continue;
            }
            say(reader, "354 end with <CRLF>.<CRLF>\r\n");
            let mut data = Vec::new();
            while read(reader, &mut line) {
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                let l = line.strip_prefix('.').unwrap_or(&line);
                data.extend_from_slice(l.as_bytes());
            }
            cur.data = data;
            done.push(std::mem::take(&mut cur));
            say(reader, "250 2.0.0 queued\r\n");
        } else if upper == "RSET" || upper == "NOOP" {
            say(reader, "250 2.0.0 ok\r\n");
        } else if upper == "QUIT" {
            say(reader, "221 2.0.0 bye\r\n");
            break;
        } else {
            say(reader, "502 5.5.2 unknown command\r\n");
        }
    }
    done
}

/// Decodes base64 (whitespace ignored).
pub fn base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let sextets: Vec<u8> = text.bytes().filter_map(value).collect();
    let mut out = Vec::with_capacity(sextets.len() * 3 / 4);
    for chunk in sextets.chunks(4) {
        let mut n = 0u32;
        for (i, s) in chunk.iter().enumerate() {
            n |= u32::from(*s) << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    out
}

/// Decodes quoted-printable.
pub fn quoted_printable(text: &str) -> Vec<u8> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'=' {
            if b[i + 1..].starts_with(b"\r\n") {
                i += 3;
                continue;
            }
            if b[i + 1..].starts_with(b"\n") {
                i += 2;
                continue;
            }
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).expect("hex"));
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

/// A MIME part: headers (lower-case names, unfolded) and decoded body, or
/// its sub-parts.
#[derive(Debug, Clone)]
pub struct Part {
    /// Headers in order.
    pub headers: Vec<(String, String)>,
    /// The decoded body (empty for a multipart).
    pub body: Vec<u8>,
    /// Sub-parts of a multipart.
    pub parts: Vec<Part>,
}

impl Part {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The media type, lower case, without parameters.
    pub fn content_type(&self) -> String {
        self.header("content-type")
            .unwrap_or("text/plain")
            .split(';')
            .next()
            .unwrap()
            .trim()
            .to_ascii_lowercase()
    }

    /// Every leaf part, depth first.
    pub fn leaves(&self) -> Vec<&Part> {
        if self.parts.is_empty() {
            vec![self]
        } else {
            self.parts.iter().flat_map(Part::leaves).collect()
        }
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("UTF-8 body")
    }
}

/// Parses a message (CRLF or LF line ends).
pub fn parse(raw: &str) -> Part {
    let raw = raw.replace("\r\n", "\n");
    let (head, body) = raw.split_once("\n\n").unwrap_or((&raw, ""));
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in head.lines() {
        if line.starts_with([' ', '\t']) {
            let last = headers.last_mut().expect("a header to continue");
            last.1.push(' ');
            last.1.push_str(line.trim());
        } else if let Some((n, v)) = line.split_once(':') {
            headers.push((n.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let mut part = Part {
        headers,
        body: Vec::new(),
        parts: Vec::new(),
    };
    let ctype = part.header("content-type").unwrap_or("").to_string();
    if ctype.to_ascii_lowercase().starts_with("multipart/") {
        let boundary = ctype
            .split(';')
            .find_map(|p| p.trim().strip_prefix("boundary="))
            .expect("a boundary")
            .trim_matches('"')
            .to_string();
        let delimiter = format!("--{boundary}");
        let mut pieces = body.split(&delimiter).skip(1);
        for piece in pieces.by_ref() {
            if piece.starts_with("--") {
                break;
            }
            part.parts
                .push(parse(piece.strip_prefix('\n').unwrap_or(piece)));
        }
    } else {
        let body = body.strip_suffix('\n').unwrap_or(body);
        part.body = match part.header("content-transfer-encoding") {
            Some(e) if e.eq_ignore_ascii_case("base64") => base64(body),
            Some(e) if e.eq_ignore_ascii_case("quoted-printable") => quoted_printable(body),
            _ => body.as_bytes().to_vec(),
        };
    }
    part
}
