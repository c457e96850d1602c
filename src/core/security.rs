//! Token primitives: access JWTs with key rotation, opaque random tokens stored as hashes,
//! and the keyed derivation of a refresh token's successor.

use std::{collections::HashMap, path::Path, time::Duration};

use anyhow::Context;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, decode_header, encode};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::core::config::JwtKey;

pub const ISSUER: &str = "pulse";
pub const AUDIENCE: &str = "pulse-api";
const ACCESS_TYP: &str = "access";
/// The token between a correct password and the second factor: it opens nothing else.
const MFA_TYP: &str = "mfa";

#[derive(Debug, Serialize, Deserialize)]
pub struct AccessClaims {
    pub sub: String,
    pub sid: String,
    pub exp: u64,
    pub iat: u64,
    pub iss: String,
    pub aud: String,
    pub typ: String,
}

/// Who an access token speaks for, once verified.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TokenSubject {
    pub user_id: i64,
    pub session_id: i64,
}

pub struct JwtKeys {
    current_kid: String,
    encoding: EncodingKey,
    decoding: HashMap<String, DecodingKey>,
    validation: Validation,
    derivation_key: Vec<u8>,
}

impl JwtKeys {
    pub fn new(current: &JwtKey, previous: &[JwtKey]) -> Self {
        let secret = current.secret.expose_secret().as_bytes();
        let mut decoding = HashMap::from([(current.kid.clone(), DecodingKey::from_secret(secret))]);
        for key in previous {
            decoding
                .entry(key.kid.clone())
                .or_insert_with(|| DecodingKey::from_secret(key.secret.expose_secret().as_bytes()));
        }
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_audience(&[AUDIENCE]);
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "iat", "sub", "iss", "aud"]);
        validation.leeway = 5;
        Self {
            current_kid: current.kid.clone(),
            encoding: EncodingKey::from_secret(secret),
            decoding,
            validation,
            derivation_key: Sha256::digest([b"pulse-refresh-derivation:".as_slice(), secret].concat()).to_vec(),
        }
    }

    pub fn issue(&self, subject: TokenSubject, ttl: Duration) -> anyhow::Result<String> {
        self.sign(subject, ttl, ACCESS_TYP)
    }

    /// The token of a login waiting for its second factor (`sid` is 0: no session yet).
    pub fn issue_mfa(&self, user_id: i64, ttl: Duration) -> anyhow::Result<String> {
        self.sign(TokenSubject { user_id, session_id: 0 }, ttl, MFA_TYP)
    }

    fn sign(&self, subject: TokenSubject, ttl: Duration, typ: &str) -> anyhow::Result<String> {
        let now = jsonwebtoken::get_current_timestamp();
        let claims = AccessClaims {
            sub: subject.user_id.to_string(),
            sid: subject.session_id.to_string(),
            iat: now,
            exp: now + ttl.as_secs(),
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            typ: typ.into(),
        };
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(self.current_kid.clone());
        encode(&header, &claims, &self.encoding).context("signing a token")
    }

    /// The subject of a valid access token; `None` for anything else (bad signature,
    /// unknown or missing `kid`, `alg` other than HS256, wrong `aud`/`iss`/`typ`, expired).
    pub fn verify(&self, token: &str) -> Option<TokenSubject> {
        self.check(token, ACCESS_TYP)
    }

    /// The account of a valid, unexpired second-factor token.
    pub fn verify_mfa(&self, token: &str) -> Option<i64> {
        self.check(token, MFA_TYP).map(|s| s.user_id)
    }

    fn check(&self, token: &str, typ: &str) -> Option<TokenSubject> {
        let header = decode_header(token).ok()?;
        let key = self.decoding.get(header.kid.as_deref()?)?;
        let claims = decode::<AccessClaims>(token, key, &self.validation).ok()?.claims;
        if claims.typ != typ {
            return None;
        }
        Some(TokenSubject { user_id: claims.sub.parse().ok()?, session_id: claims.sid.parse().ok()? })
    }

    /// The refresh token that replaces `token`. Derived rather than random so that a
    /// concurrent refresh inside the grace window gets the same successor without the
    /// server ever storing a token in plain text.
    pub fn successor(&self, token: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.derivation_key).expect("HMAC takes any key length");
        mac.update(token.as_bytes());
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }
}

/// 256 random bits, URL-safe.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database keeps of a token: its SHA-256, hex.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Development only: a signing key generated once and kept in `data/jwt.secret`, so
/// sessions survive restarts without configuration.
pub fn load_or_create_dev_key(data_dir: &Path) -> anyhow::Result<JwtKey> {
    let path = data_dir.join("jwt.secret");
    let secret = match std::fs::read_to_string(&path) {
        Ok(text) if text.trim().len() >= 32 => text.trim().to_string(),
        _ => {
            std::fs::create_dir_all(data_dir).with_context(|| format!("cannot create {}", data_dir.display()))?;
            let secret = format!("{}{}", random_token(), random_token());
            crate::core::key_file::write_private(&path, &secret)?;
            tracing::info!(path = %path.display(), "generated a development JWT secret");
            secret
        }
    };
    Ok(JwtKey { kid: "dev".into(), secret: SecretString::from(secret) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(kid: &str, secret: &str) -> JwtKey {
        JwtKey { kid: kid.into(), secret: SecretString::from(secret.to_string()) }
    }

    const SUBJECT: TokenSubject = TokenSubject { user_id: 7, session_id: 9 };

    #[test]
    fn tokens_round_trip_and_rotate() {
        let old = JwtKeys::new(&key("old", "old-secret-old-secret-old-secret-1"), &[]);
        let token = old.issue(SUBJECT, Duration::from_secs(60)).unwrap();
        assert_eq!(old.verify(&token), Some(SUBJECT));

        let rotating = JwtKeys::new(
            &key("new", "new-secret-new-secret-new-secret-2"),
            &[key("old", "old-secret-old-secret-old-secret-1")],
        );
        assert_eq!(rotating.verify(&token), Some(SUBJECT), "a previous key still verifies");
        let rotated = JwtKeys::new(&key("new", "new-secret-new-secret-new-secret-2"), &[]);
        assert_eq!(rotated.verify(&token), None, "after rotation the old key is gone");
    }

    #[test]
    fn forged_tokens_are_refused() {
        let keys = JwtKeys::new(&key("k1", "k1-secret-k1-secret-k1-secret-k1-secret"), &[]);
        let now = jsonwebtoken::get_current_timestamp();
        let claims = |typ: &str, aud: &str| AccessClaims {
            sub: "7".into(),
            sid: "9".into(),
            exp: now + 60,
            iat: now,
            iss: ISSUER.into(),
            aud: aud.into(),
            typ: typ.into(),
        };
        let sign = |kid: Option<&str>, secret: &str, c: &AccessClaims| {
            let mut header = Header::new(Algorithm::HS256);
            header.kid = kid.map(String::from);
            encode(&header, c, &EncodingKey::from_secret(secret.as_bytes())).unwrap()
        };
        let right = "k1-secret-k1-secret-k1-secret-k1-secret";
        assert!(keys.verify(&sign(Some("k1"), right, &claims("access", AUDIENCE))).is_some());
        assert!(keys.verify(&sign(Some("k1"), "wrong-secret", &claims("access", AUDIENCE))).is_none());
        assert!(keys.verify(&sign(Some("k2"), right, &claims("access", AUDIENCE))).is_none(), "unknown kid");
        assert!(keys.verify(&sign(None, right, &claims("access", AUDIENCE))).is_none(), "no kid");
        assert!(keys.verify(&sign(Some("k1"), right, &claims("refresh", AUDIENCE))).is_none(), "other typ");
        assert!(keys.verify(&sign(Some("k1"), right, &claims("access", "elsewhere"))).is_none(), "wrong aud");
        let mut expired = claims("access", AUDIENCE);
        expired.exp = now - 120;
        assert!(keys.verify(&sign(Some("k1"), right, &expired)).is_none(), "expired");
        // alg=none: header {"alg":"none","kid":"k1"}, valid claims, empty signature.
        let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT","kid":"k1"}"#);
        let body = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims("access", AUDIENCE)).unwrap());
        assert!(keys.verify(&format!("{header}.{body}.")).is_none(), "alg none");
    }

    #[test]
    fn random_tokens_are_256_bits_and_hashes_are_stable() {
        let a = random_token();
        assert_eq!(URL_SAFE_NO_PAD.decode(&a).unwrap().len(), 32);
        assert_ne!(a, random_token());
        assert_eq!(token_hash("abc"), token_hash("abc"));
        assert_eq!(token_hash("abc").len(), 64);
        let keys = JwtKeys::new(&key("k", "secret-secret-secret-secret-secret"), &[]);
        assert_eq!(keys.successor(&a), keys.successor(&a));
        assert_ne!(keys.successor(&a), keys.successor(&random_token()));
    }
}
