//! Secrets stored encrypted (TOTP secrets; webhook secrets later): XChaCha20-Poly1305 with a
//! random 192-bit nonce per value, keyed by `ENCRYPTION_KEY`. Stored as base64 of
//! nonce ‖ ciphertext.

use std::path::Path;

use anyhow::{Context, bail};
use base64::{Engine, engine::general_purpose::STANDARD};
use chacha20poly1305::{
    KeyInit, XChaCha20Poly1305, XNonce,
    aead::{Aead, AeadCore, OsRng},
};
use secrecy::{ExposeSecret, SecretString};

#[derive(Clone)]
pub struct Sealer {
    cipher: XChaCha20Poly1305,
}

impl Sealer {
    pub fn new(key: &[u8; 32]) -> Self {
        Self { cipher: XChaCha20Poly1305::new(key.into()) }
    }

    pub fn seal(&self, plaintext: &[u8]) -> String {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = self.cipher.encrypt(&nonce, plaintext).expect("encryption of a short value cannot fail");
        STANDARD.encode([&nonce[..], &sealed].concat())
    }

    pub fn open(&self, stored: &str) -> anyhow::Result<Vec<u8>> {
        let bytes = STANDARD.decode(stored).context("a sealed value is base64")?;
        anyhow::ensure!(bytes.len() > 24, "a sealed value is too short");
        let (nonce, sealed) = bytes.split_at(24);
        self.cipher
            .decrypt(<&XNonce>::from(nonce), sealed)
            .map_err(|_| anyhow::anyhow!("a sealed value does not open with ENCRYPTION_KEY"))
    }
}

/// `ENCRYPTION_KEY`: 64 hex characters, or base64 of 32 bytes.
pub fn parse_key(text: &str) -> anyhow::Result<[u8; 32]> {
    let text = text.trim();
    let bytes = if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        hex::decode(text)?
    } else {
        STANDARD.decode(text).context("ENCRYPTION_KEY must be 64 hex characters or base64 of 32 bytes")?
    };
    match <[u8; 32]>::try_from(bytes) {
        Ok(key) => Ok(key),
        Err(_) => bail!("ENCRYPTION_KEY must be 32 bytes (64 hex characters or base64 of 32 bytes)"),
    }
}

/// The configured key, or in development one generated once and kept in
/// `data/encryption.key` (losing it makes stored secrets unreadable).
pub fn load_key(configured: Option<&SecretString>, data_dir: &Path) -> anyhow::Result<[u8; 32]> {
    if let Some(key) = configured {
        return parse_key(key.expose_secret());
    }
    let path = data_dir.join("encryption.key");
    if let Ok(text) = std::fs::read_to_string(&path) {
        return parse_key(&text).with_context(|| format!("{} holds no valid key", path.display()));
    }
    std::fs::create_dir_all(data_dir).with_context(|| format!("cannot create {}", data_dir.display()))?;
    let key: [u8; 32] = rand::random();
    crate::core::key_file::write_private(&path, &hex::encode(key))?;
    tracing::info!(path = %path.display(), "generated a development encryption key");
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_with_their_key_only() {
        let sealer = Sealer::new(&[7; 32]);
        let sealed = sealer.seal(b"JBSWY3DPEHPK3PXP");
        assert_ne!(sealer.seal(b"JBSWY3DPEHPK3PXP"), sealed, "a fresh nonce each time");
        assert_eq!(sealer.open(&sealed).unwrap(), b"JBSWY3DPEHPK3PXP");
        assert!(Sealer::new(&[8; 32]).open(&sealed).is_err());
        let mut tampered = STANDARD.decode(&sealed).unwrap();
        *tampered.last_mut().unwrap() ^= 1;
        assert!(sealer.open(&STANDARD.encode(tampered)).is_err());
    }

    #[test]
    fn keys_parse_from_hex_or_base64() {
        assert_eq!(parse_key(&"ab".repeat(32)).unwrap(), [0xab; 32]);
        assert_eq!(parse_key(&STANDARD.encode([1u8; 32])).unwrap(), [1; 32]);
        assert!(parse_key("short").is_err());
        assert!(parse_key(&STANDARD.encode([1u8; 16])).is_err());
    }
}
