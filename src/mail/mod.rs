//! Stage 9, mail: the morning digest as a MIME message (lettre) and its
//! delivery by SMTP. The message is `multipart/alternative`: a plain-text
//! part, then `multipart/related` with the HTML part and the charts as
//! inline PNG parts the HTML names by `cid:`. Every message is also
//! written as a `.eml` file, sent or not, so a failed send loses nothing.
//! The server's certificate is checked against the built-in roots and the
//! `ca_file` ones. `config.rs` checks the `[mail]` section.

pub mod config;

use std::path::Path;

use anyhow::{Context, Result};
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};

pub use config::{MailConfig, MailSettings, Security, Server};

/// A picture the HTML shows with `<img src="cid:…">`.
#[derive(Debug, Clone)]
pub struct InlineImage {
    /// Content-ID without angle brackets (`chart-daily_trend@hookstat`).
    pub cid: String,
    /// PNG bytes.
    pub png: Vec<u8>,
}

/// What the message says: the same facts as text and as HTML.
#[derive(Debug, Clone)]
pub struct Letter {
    /// Subject line.
    pub subject: String,
    /// The plain-text part.
    pub text: String,
    /// The HTML part (inline CSS, no script, nothing fetched).
    pub html: String,
    /// Pictures the HTML refers to.
    pub images: Vec<InlineImage>,
}

/// The MIME message of `letter` from and to the configured addresses.
pub fn compose(settings: &MailSettings, letter: &Letter) -> Result<Message> {
    let mut builder = Message::builder()
        .from(settings.from.parse::<Mailbox>()?)
        .subject(letter.subject.clone())
        .message_id(None);
    for to in &settings.to {
        builder = builder.to(to.parse::<Mailbox>()?);
    }
    let mut related = MultiPart::related().singlepart(SinglePart::html(letter.html.clone()));
    for image in &letter.images {
        related = related.singlepart(
            Attachment::new_inline(image.cid.clone())
                .body(image.png.clone(), ContentType::parse("image/png")?),
        );
    }
    let body = MultiPart::alternative()
        .singlepart(SinglePart::plain(letter.text.clone()))
        .multipart(related);
    let mut message = builder
        .multipart(body)
        .context("cannot build the message")?;
    // a report robot: no vacation replies (RFC 3834)
    message.headers_mut().insert_raw(HeaderValue::new(
        HeaderName::new_from_ascii_str("Auto-Submitted"),
        "auto-generated".into(),
    ));
    Ok(message)
}

/// Writes the message as it would be sent (`.eml`, RFC 5322).
pub fn write_eml(message: &Message, path: &Path) -> Result<()> {
    std::fs::write(path, message.formatted())
        .with_context(|| format!("cannot write {}", path.display()))
}

/// The TLS parameters for `host`: the built-in (Mozilla) roots, and the
/// certificates of `ca_pem` (PEM, one or more) as extra trusted roots.
pub fn tls_parameters(host: &str, ca_pem: Option<&[u8]>) -> Result<TlsParameters> {
    let mut builder = TlsParameters::builder(host.to_string());
    if let Some(pem) = ca_pem {
        builder = builder.add_root_certificate(Certificate::from_pem(pem)?);
    }
    Ok(builder.build_rustls()?)
}

/// Sends `message` through the configured server.
pub fn send(settings: &MailSettings, message: &Message) -> Result<()> {
    let server = settings
        .server
        .as_ref()
        .context("no mail server configured")?;
    let roots = settings.ca_pem.as_deref();
    let tls = match server.security {
        Security::ImplicitTls => Tls::Wrapper(tls_parameters(&server.host, roots)?),
        Security::StartTls => Tls::Required(tls_parameters(&server.host, roots)?),
        Security::LocalPlain => Tls::None,
    };
    let mut transport = SmtpTransport::builder_dangerous(server.host.clone())
        .port(server.port)
        .tls(tls)
        .timeout(Some(settings.timeout));
    if let Some(login) = &settings.login {
        transport =
            transport.credentials(Credentials::new(login.user.clone(), login.password.clone()));
    }
    // lettre's message already ends with its cause: said once, not as a
    // chain that repeats it
    transport
        .build()
        .send(message)
        .map_err(|e| anyhow::anyhow!("sending through {}:{}: {e}", server.host, server.port))?;
    Ok(())
}
