//! The `[mail]` section of the configuration and what it resolves to: the
//! server (`smtps://` implicit TLS, `smtp://` STARTTLS, plain SMTP only to
//! this machine), sender, recipients, the password, read from a file or
//! an environment variable, never from the TOML text, and extra trusted
//! root certificates for a relay whose certificate a private CA signed.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{bail, Context, Result};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::CertificateDer;
use serde::Deserialize;

/// `[mail]` as written in the TOML file (every key but `server`, `from`
/// and `to` optional).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailConfig {
    /// `smtps://host[:465]`, `smtp://host[:587]` (STARTTLS), or
    /// `smtp://localhost[:25]` (no TLS, this machine only).
    pub server: Option<String>,
    /// Sender, `Name <address>` or `address`.
    pub from: Option<String>,
    /// Recipients.
    pub to: Option<Vec<String>>,
    /// Login name (no login when absent).
    pub user: Option<String>,
    /// File holding the password (its trailing line break is ignored).
    pub password_file: Option<PathBuf>,
    /// Environment variable holding the password.
    pub password_env: Option<String>,
    /// PEM file of one or more CA certificates trusted for the server's
    /// TLS besides the built-in roots (a relay with a private CA).
    pub ca_file: Option<PathBuf>,
    /// How long to wait for the server (`60s` when absent).
    pub timeout: Option<String>,
}

/// How the connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// TLS from the first byte (`smtps://`, port 465).
    ImplicitTls,
    /// Plain connection upgraded with STARTTLS, which must succeed
    /// (`smtp://`, port 587).
    StartTls,
    /// No TLS: only to this machine (a local relay such as Postfix).
    LocalPlain,
}

/// Where and how to connect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    /// Host name or address.
    pub host: String,
    /// TCP port.
    pub port: u16,
    /// Connection protection.
    pub security: Security,
}

/// Login name and password.
#[derive(Clone)]
pub struct Login {
    /// User name.
    pub user: String,
    /// Password (never printed).
    pub password: String,
}

impl std::fmt::Debug for Login {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Login {{ user: {:?}, password: <hidden> }}", self.user)
    }
}

/// The mail settings of a night, checked.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// The server (None: only `.eml`, as with `--mail-dry-run`).
    pub server: Option<Server>,
    /// Sender.
    pub from: String,
    /// Recipients (at least one).
    pub to: Vec<String>,
    /// Login, when a user is set.
    pub login: Option<Login>,
    /// The PEM text of `ca_file`, checked: extra trusted roots for the
    /// server's TLS (None: the built-in roots only).
    pub ca_pem: Option<Vec<u8>>,
    /// Connection and command timeout.
    pub timeout: Duration,
}

fn is_local(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    h.eq_ignore_ascii_case("localhost")
        || h.parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Parses `smtps://host[:port]` or `smtp://host[:port]`.
pub fn parse_server(url: &str) -> Result<Server> {
    let (scheme, rest) = url
        .split_once("://")
        .with_context(|| format!("server {url:?}: expected smtps://host:465 or smtp://host:587"))?;
    let rest = rest.trim_end_matches('/');
    if rest.contains(['/', '@', '?']) || rest.is_empty() {
        bail!("server {url:?}: only a host and a port, e.g. smtps://smtp.example.com:465 (user and password are separate keys)");
    }
    let (host, port) = match rest.rsplit_once(':').filter(|(h, _)| !h.ends_with(':')) {
        Some((h, p)) if !h.is_empty() && !p.contains(']') => {
            let port = p
                .parse::<u16>()
                .with_context(|| format!("server {url:?}: bad port {p:?}"))?;
            (h.to_string(), Some(port))
        }
        _ => (rest.to_string(), None),
    };
    let (security, default_port) = match scheme.to_ascii_lowercase().as_str() {
        "smtps" => (Security::ImplicitTls, 465),
        "smtp" if is_local(&host) => (Security::LocalPlain, 25),
        "smtp" => (Security::StartTls, 587),
        other => bail!("server {url:?}: unknown scheme {other:?} (smtps or smtp)"),
    };
    Ok(Server {
        host: host.trim_start_matches('[').trim_end_matches(']').into(),
        port: port.unwrap_or(default_port),
        security,
    })
}

/// `file` as given when absolute, else relative to `base`.
fn relative(base: &Path, file: &Path) -> PathBuf {
    if file.is_absolute() {
        file.to_path_buf()
    } else {
        base.join(file)
    }
}

/// The password from `password_file` (relative to `base`) or
/// `password_env`; an error names which one failed, never the password.
fn password(config: &MailConfig, base: &Path) -> Result<Option<String>> {
    match (&config.password_file, &config.password_env) {
        (Some(_), Some(_)) => bail!("[mail]: set password_file or password_env, not both"),
        (Some(file), None) => {
            let path = relative(base, file);
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("[mail] password_file {}", path.display()))?;
            Ok(Some(text.trim_end_matches(['\r', '\n']).to_string()))
        }
        (None, Some(var)) => std::env::var(var)
            .map(Some)
            .with_context(|| format!("[mail] password_env: ${var} is not set")),
        (None, None) => Ok(None),
    }
}

/// The PEM text of `ca_file` (relative to `base`) when set: at least one
/// certificate, each one usable as a trust anchor for `server`'s TLS. An
/// error names the key and the path.
fn ca_pem(config: &MailConfig, base: &Path, server: &Server) -> Result<Option<Vec<u8>>> {
    let Some(file) = &config.ca_file else {
        return Ok(None);
    };
    let path = relative(base, file);
    let key = format!("[mail] ca_file {}", path.display());
    if server.security == Security::LocalPlain {
        bail!(
            "{key}: the server {}:{} is plain SMTP on this machine, without TLS (ca_file is for smtps:// or smtp:// to another host)",
            server.host,
            server.port
        );
    }
    let pem = std::fs::read(&path).with_context(|| key.clone())?;
    let certificates = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| anyhow::anyhow!("{key}: not a PEM file of certificates: {e}"))?;
    if certificates.is_empty() {
        bail!("{key}: no certificate in it (expected PEM blocks \"-----BEGIN CERTIFICATE-----\")");
    }
    // the same parameters `send` builds: each certificate must parse
    super::tls_parameters(&server.host, Some(&pem))
        .map_err(|e| anyhow::anyhow!("{key}: not a usable CA certificate: {e}"))?;
    Ok(Some(pem))
}

impl MailConfig {
    /// Checks the section; `send` false (a dry run, the way to try the
    /// section by hand) needs no server, but what is written (server,
    /// password source, `ca_file`) is checked as for sending. Relative
    /// paths are relative to `base` (the file's folder).
    pub fn resolve(&self, base: &Path, send: bool) -> Result<MailSettings> {
        let from = self.from.clone().context("[mail]: `from` is missing")?;
        let to = self.to.clone().unwrap_or_default();
        if to.is_empty() {
            bail!("[mail]: `to` needs at least one address");
        }
        for address in std::iter::once(&from).chain(&to) {
            address
                .parse::<lettre::message::Mailbox>()
                .with_context(|| format!("[mail]: {address:?} is not a mail address"))?;
        }
        let timeout = match &self.timeout {
            Some(t) => crate::budgets::parse_duration(t)
                .map_err(|e| anyhow::anyhow!("[mail] timeout: {e}"))?,
            None => Duration::from_secs(60),
        };
        // what is written is checked on a dry run too (the way to try the
        // section by hand); only a missing server is allowed then
        let server = match (&self.server, send) {
            (Some(url), _) => Some(parse_server(url)?),
            (None, true) => bail!("[mail]: `server` is missing (or use --mail-dry-run)"),
            (None, false) => None,
        };
        let login = match &self.user {
            Some(user) => {
                let password = password(self, base)?.with_context(|| {
                    "[mail]: `user` needs password_file or password_env (the password is never written in the TOML)"
                })?;
                Some(Login {
                    user: user.clone(),
                    password,
                })
            }
            _ => None,
        };
        let ca_pem = match &server {
            Some(server) => ca_pem(self, base, server)?,
            None => None,
        };
        Ok(MailSettings {
            server,
            from,
            to,
            login,
            ca_pem,
            timeout,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn servers_and_their_protection() {
        let s = parse_server("smtps://smtp.example.com").unwrap();
        assert_eq!((s.port, s.security), (465, Security::ImplicitTls));
        let s = parse_server("smtp://smtp.example.com:2525").unwrap();
        assert_eq!((s.port, s.security), (2525, Security::StartTls));
        let s = parse_server("smtp://127.0.0.1:2525").unwrap();
        assert_eq!(
            (s.host.as_str(), s.port, s.security),
            ("127.0.0.1", 2525, Security::LocalPlain)
        );
        let s = parse_server("smtp://localhost").unwrap();
        assert_eq!((s.port, s.security), (25, Security::LocalPlain));
        let s = parse_server("smtp://[::1]:25").unwrap();
        assert_eq!((s.host.as_str(), s.security), ("::1", Security::LocalPlain));
        assert!(parse_server("http://x").is_err());
        assert!(parse_server("smtps://user:pw@host").is_err());
        assert!(parse_server("host:25").is_err());
    }

    #[test]
    fn the_password_comes_from_a_file_or_the_environment() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("pw"), "s3cret\n").unwrap();
        let mut c = MailConfig {
            server: Some("smtps://smtp.example.com".into()),
            from: Some("hookstat <r@example.com>".into()),
            to: Some(vec!["m@example.com".into()]),
            user: Some("r@example.com".into()),
            password_file: Some("pw".into()),
            ..MailConfig::default()
        };
        let s = c.resolve(dir.path(), true).unwrap();
        assert_eq!(s.login.as_ref().unwrap().password, "s3cret");
        assert!(!format!("{s:?}").contains("s3cret"));
        c.password_file = None;
        let err = c.resolve(dir.path(), true).unwrap_err().to_string();
        assert!(err.contains("password_file or password_env"), "{err}");
        // a dry run needs no server, but checks the password source written
        c.server = None;
        let err = c.resolve(dir.path(), false).unwrap_err().to_string();
        assert!(err.contains("password_file or password_env"), "{err}");
        c.user = None;
        assert!(c.resolve(dir.path(), false).unwrap().login.is_none());
        c.server = Some("ftp://mail.example.com".into());
        assert!(c.resolve(dir.path(), false).is_err(), "a bad server");
        c.server = None;
        c.to = Some(vec![]);
        assert!(c.resolve(dir.path(), false).is_err());
    }

    #[test]
    fn extra_roots_come_from_a_pem_file_beside_the_configuration() {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tls");
        let read = |name: &str| std::fs::read_to_string(fixtures.join(name)).unwrap();
        let dir = tempfile::tempdir().unwrap();
        // two CAs in one file
        std::fs::write(
            dir.path().join("roots.pem"),
            read("ca.pem") + &read("other-ca.pem"),
        )
        .unwrap();
        let mut c: MailConfig = toml::from_str(
            "server = \"smtps://relay.internal\"\nfrom = \"r@example.com\"\nto = [\"m@example.com\"]\nca_file = \"roots.pem\"\n",
        )
        .unwrap();
        let s = c.resolve(dir.path(), true).unwrap();
        let pem = String::from_utf8(s.ca_pem.unwrap()).unwrap();
        assert_eq!(pem.matches("-----BEGIN CERTIFICATE-----").count(), 2);
        // an absolute path is taken as it is
        c.ca_file = Some(fixtures.join("ca.pem"));
        assert!(c.resolve(dir.path(), true).unwrap().ca_pem.is_some());
        // none: the built-in roots only
        c.ca_file = None;
        assert!(c.resolve(dir.path(), true).unwrap().ca_pem.is_none());

        let error = |c: &MailConfig| c.resolve(dir.path(), true).unwrap_err();
        let missing = dir.path().join("missing.pem");
        c.ca_file = Some("missing.pem".into());
        let err = format!("{:#}", error(&c));
        assert!(
            err.contains(&format!("[mail] ca_file {}", missing.display())),
            "{err}"
        );
        // text, a private key, and a certificate block that is not one
        let garbage = [
            (
                "garbage.pem",
                "not a certificate\n".to_string(),
                "no certificate",
            ),
            ("key.pem", read("server.key"), "no certificate"),
            (
                "broken.pem",
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".into(),
                "not a usable CA certificate",
            ),
            (
                "bad-base64.pem",
                "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n".into(),
                "not a PEM file",
            ),
        ];
        for (name, text, says) in garbage {
            std::fs::write(dir.path().join(name), text).unwrap();
            c.ca_file = Some(name.into());
            let err = error(&c).to_string();
            let path = dir.path().join(name);
            assert!(
                err.starts_with(&format!("[mail] ca_file {}", path.display())),
                "{err}"
            );
            assert!(err.contains(says), "{name}: {err}");
        }
        // plain SMTP to this machine has no TLS to trust anything for
        c.ca_file = Some("roots.pem".into());
        c.server = Some("smtp://localhost:25".into());
        assert!(error(&c).to_string().contains("without TLS"));
        // a dry run checks the CA file as sending would
        c.ca_file = Some("missing.pem".into());
        c.server = Some("smtps://mail.example.com".into());
        assert!(c.resolve(dir.path(), false).is_err());
    }
}
