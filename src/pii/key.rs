//! The secret key of the keyed hash. It lives in a key file outside the
//! database and the export, created on first use from the operating
//! system's random source with owner-only permissions. Only its random key
//! id (not derived from the key) is ever written anywhere else.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Environment variable naming the key file.
pub const KEY_FILE_ENV: &str = "HOOKSTAT_PII_KEY_FILE";

/// The key of the keyed hash and its public id.
#[derive(Clone)]
pub struct PiiKey {
    /// HMAC-SHA256 already keyed (cloned per message: the key's two padded
    /// blocks are hashed once, not per value).
    mac: Hmac<Sha256>,
    /// Random id of the key (safe to store and export).
    pub id: String,
}

impl std::fmt::Debug for PiiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PiiKey {{ id: {} }}", self.id)
    }
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// The default key file: `$XDG_CONFIG_HOME/hookstat/pii.key`, else
/// `~/.config/hookstat/pii.key`.
pub fn default_key_file() -> PathBuf {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("hookstat").join("pii.key")
}

impl PiiKey {
    /// Reads the key file at `path`, creating it when it does not exist.
    pub fn load_or_create(path: &Path) -> Result<PiiKey> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(&text)
                .with_context(|| format!("{} is not a hookstat key file", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Self::create(path),
            Err(e) => {
                Err(e).with_context(|| format!("cannot read the key file {}", path.display()))
            }
        }
    }

    fn parse(text: &str) -> Result<PiiKey> {
        let field = |name: &str| {
            text.lines()
                .find_map(|l| l.trim().strip_prefix(name)?.strip_prefix('='))
                .map(str::trim)
        };
        let (Some(id), Some(key)) = (field("id"), field("key")) else {
            bail!("expected lines id=... and key=...");
        };
        let Some(bytes) = unhex(key).filter(|b| b.len() == 32) else {
            bail!("the key must be 64 hex digits");
        };
        let mut k = [0u8; 32];
        k.copy_from_slice(&bytes);
        Ok(PiiKey::keyed(&k, id.to_string()))
    }

    fn create(path: &Path) -> Result<PiiKey> {
        let mut key = [0u8; 32];
        let mut id = [0u8; 8];
        getrandom::getrandom(&mut key).context("no random source")?;
        getrandom::getrandom(&mut id).context("no random source")?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        // written whole under a temporary name, then linked into place: a
        // concurrent first run never reads half a key, and never replaces
        // a key another run created first
        let tmp = path.with_extension(format!("tmp-{}", hex(&id)));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let text = format!(
            "# hookstat key for protecting phone numbers (HMAC-SHA256). Keep it secret and keep it:\n# a new key changes every protected value.\nid={}\nkey={}\n",
            hex(&id),
            hex(&key)
        );
        options
            .open(&tmp)
            .and_then(|mut file| {
                file.write_all(text.as_bytes())?;
                file.sync_all()
            })
            .with_context(|| format!("cannot write the key file {}", tmp.display()))?;
        let linked = match std::fs::hard_link(&tmp, path) {
            // a file system without hard links: rename, unless a key appeared
            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists && !path.exists() => {
                std::fs::rename(&tmp, path)
            }
            other => other,
        };
        let _ = std::fs::remove_file(&tmp);
        match linked {
            Ok(()) => {}
            // another run created it first: use theirs
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return Self::load_or_create(path)
            }
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("cannot create the key file {}", path.display()))
            }
        }
        Ok(PiiKey::keyed(&key, hex(&id)))
    }

    fn keyed(key: &[u8; 32], id: String) -> PiiKey {
        let mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("any key length");
        PiiKey { mac, id }
    }

    /// HMAC-SHA256 of `message` under the key, as 64 lowercase hex digits.
    pub fn hmac_hex(&self, message: &str) -> String {
        let mut mac = self.mac.clone();
        mac.update(message.as_bytes());
        hex(&mac.finalize().into_bytes())
    }

    /// A fixed key for tests.
    #[cfg(test)]
    pub fn for_tests() -> PiiKey {
        PiiKey::keyed(&[7; 32], "test".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_the_rfc_4231_vector() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(b"Jefe").unwrap();
        mac.update(b"what do ya want for nothing?");
        assert_eq!(
            hex(&mac.finalize().into_bytes()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn the_keyed_state_gives_the_hmac_of_each_message_alone() {
        let key = PiiKey::for_tests();
        for message in ["919876543210", "", "919876543210", "x"] {
            let mut fresh = <Hmac<Sha256> as Mac>::new_from_slice(&[7; 32]).unwrap();
            fresh.update(message.as_bytes());
            assert_eq!(key.hmac_hex(message), hex(&fresh.finalize().into_bytes()));
        }
    }

    #[test]
    fn concurrent_first_uses_agree_on_one_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pii.key");
        let ids: Vec<String> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|_| s.spawn(|| PiiKey::load_or_create(&path).map(|k| k.id)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap().unwrap())
                .collect()
        });
        assert!(ids.iter().all(|id| id == &ids[0]), "{ids:?}");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "temporary files removed");
    }

    #[test]
    fn key_file_is_created_private_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/pii.key");
        let a = PiiKey::load_or_create(&path).unwrap();
        let b = PiiKey::load_or_create(&path).unwrap();
        assert_eq!(a.id, b.id);
        assert_eq!(a.hmac_hex("919876543210"), b.hmac_hex("919876543210"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(&path, "garbage").unwrap();
        assert!(PiiKey::load_or_create(&path).is_err());
    }
}
