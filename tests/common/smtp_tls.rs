//! Implicit TLS (smtps) for the tests' SMTP server (`smtp.rs`): each
//! accepted connection is wrapped in rustls with the fixture certificate
//! of `tests/fixtures/tls` (for localhost and 127.0.0.1, signed by
//! `ca.pem`; `make.sh` there makes them), the handshake is completed, then
//! the same session as plain SMTP runs over the TLS stream. A handshake
//! the client breaks off (it does not trust the certificate) is recorded
//! as a failure with rustls' reason.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::{ServerConfig, ServerConnection, StreamOwned};

use super::smtp::{self, Connection, SmtpServer, TlsSeen};

/// A file of `tests/fixtures/tls`: `ca.pem`, `other-ca.pem`, `server.pem`,
/// `server.key`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/tls")
        .join(name)
}

/// The server's TLS settings: the fixture certificate and key, rustls'
/// safe protocol versions (TLS 1.2 and 1.3) on the ring provider.
fn server_config() -> Arc<ServerConfig> {
    let chain = CertificateDer::pem_file_iter(fixture("server.pem"))
        .expect("server.pem")
        .collect::<Result<Vec<_>, _>>()
        .expect("server.pem certificates");
    let key = PrivateKeyDer::from_pem_file(fixture("server.key")).expect("server.key");
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .expect("the fixture certificate and key");
    Arc::new(config)
}

/// One connection: TLS from the first byte, then the SMTP session.
fn connection(config: &Arc<ServerConfig>, tcp: TcpStream, refuse: bool) -> Connection {
    let conn = ServerConnection::new(config.clone()).map_err(|e| e.to_string())?;
    let mut tls = StreamOwned::new(conn, tcp);
    while tls.conn.is_handshaking() {
        tls.conn
            .complete_io(&mut tls.sock)
            .map_err(|e| format!("TLS handshake: {e}"))?;
    }
    let seen = TlsSeen {
        version: format!("{:?}", tls.conn.protocol_version().expect("negotiated")),
        server_name: tls.conn.server_name().map(str::to_string),
    };
    let mut received = smtp::session(tls, refuse);
    for r in &mut received {
        r.tls = Some(seen.clone());
    }
    Ok(received)
}

/// Starts an smtps server on 127.0.0.1; `refuse` answers DATA with 554.
pub fn start(refuse: bool) -> SmtpServer {
    let config = server_config();
    smtp::serve(move |tcp| connection(&config, tcp, refuse))
}
