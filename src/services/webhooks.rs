//! Webhooks, per the Standard Webhooks specification: each event becomes a
//! delivery row and a durable job; an attempt POSTs `{type, timestamp, data}` signed with
//! HMAC-SHA256 (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,…`), and is
//! retried after `WEBHOOK_RETRY_SECONDS` with the same id on a network error, a timeout,
//! 429 or 5xx. Loopback, private, link-local, shared, multicast and unspecified addresses
//! are refused at creation and again at connect time: the client's resolver hands the
//! connector only addresses it checked, so a name that changes its answer (DNS rebinding)
//! still cannot reach them.

use crate::services::state::AppState;
use std::{
    net::{IpAddr, SocketAddr},
    sync::{Arc, OnceLock},
    time::Duration,
};

use anyhow::Context;
use base64::{Engine, engine::general_purpose::STANDARD as BASE64};
use chrono::{SecondsFormat, Utc};
use hmac::{Hmac, Mac};
use ipnet::IpNet;
use rand::RngCore;
use serde_json::{Value, json};
use sha2::Sha256;

use crate::{
    core::error::AppError,
    models::{
        job,
        webhook::{self, Delivery, Webhook},
    },
    schemas::envelope::Page,
};

pub const EVENTS: [&str; 4] = ["response.created", "response.low_score", "follow_up.closed", "survey.answered"];
/// The job kind of one delivery attempt, with the delivery's id as payload.
pub const WEBHOOK_DELIVERY: &str = "webhook_delivery";
const TIMEOUT: Duration = Duration::from_secs(10);
const NO_PUBLIC_ADDRESS: &str = "resolves to no public address";

/// Addresses a webhook may not reach (besides what `IpAddr` classifies itself).
fn blocked_networks() -> &'static [IpNet] {
    static NETS: OnceLock<Vec<IpNet>> = OnceLock::new();
    NETS.get_or_init(|| {
        [
            "0.0.0.0/8",
            "10.0.0.0/8",
            "100.64.0.0/10",
            "127.0.0.0/8",
            "169.254.0.0/16",
            "172.16.0.0/12",
            "192.0.0.0/24",
            "192.168.0.0/16",
            "198.18.0.0/15",
            "224.0.0.0/4",
            "240.0.0.0/4",
            "::/128",
            "::1/128",
            "fc00::/7",
            "fe80::/10",
            "ff00::/8",
        ]
        .iter()
        .map(|n| n.parse().expect("a valid network"))
        .collect()
    })
}

/// Whether a webhook may connect to `ip` (IPv4-mapped IPv6 addresses are judged as IPv4).
pub fn is_public(ip: IpAddr) -> bool {
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    };
    !blocked_networks().iter().any(|net| net.contains(&ip))
}

/// The signature header's value for one message.
pub fn sign(secret: &[u8], message_id: &str, timestamp: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(format!("{message_id}.{timestamp}.{body}").as_bytes());
    format!("v1,{}", BASE64.encode(mac.finalize().into_bytes()))
}

/// The key bytes of a `whsec_…` secret.
fn secret_bytes(secret: &str) -> anyhow::Result<Vec<u8>> {
    BASE64.decode(secret.trim_start_matches("whsec_")).context("a webhook secret")
}

/// Resolves names for webhook requests, keeping only addresses a webhook may reach.
struct CheckedResolver {
    allow_private: bool,
}

impl reqwest::dns::Resolve for CheckedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow_private = self.allow_private;
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((name.as_str(), 0)).await?.collect();
            let allowed: Vec<SocketAddr> = addrs.into_iter().filter(|a| allow_private || is_public(a.ip())).collect();
            if allowed.is_empty() {
                return Err(format!("refused: {} {NO_PUBLIC_ADDRESS}", name.as_str()).into());
            }
            Ok(Box::new(allowed.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// The client of every delivery: no redirects, no proxies, 10 s timeout, checked resolver.
fn client(allow_private: bool) -> &'static reqwest::Client {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        // reqwest is built without a TLS provider of its own: use ring, as lettre does.
        let _ = rustls::crypto::ring::default_provider().install_default();
        reqwest::Client::builder()
            .timeout(TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .dns_resolver(Arc::new(CheckedResolver { allow_private }))
            .user_agent("Pulse-Webhooks/1")
            .build()
            .expect("the webhook client builds")
    })
}

/// Checks a webhook URL: http(s), a host, and (unless private addresses are allowed)
/// every address it resolves to is public.
pub async fn check_url(raw: &str, allow_private: bool) -> Result<url::Url, String> {
    let url = url::Url::parse(raw.trim()).map_err(|_| "must be an http:// or https:// URL".to_string())?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err("must be an http:// or https:// URL".into());
    }
    if raw.len() > 2_000 {
        return Err("must be at most 2,000 characters".into());
    }
    if allow_private {
        return Ok(url);
    }
    let host = url.host_str().unwrap_or_default().trim_start_matches('[').trim_end_matches(']').to_string();
    let port = url.port_or_known_default().unwrap_or(443);
    let addrs: Vec<SocketAddr> = match host.parse::<IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, port)],
        Err(_) => {
            tokio::net::lookup_host((host.as_str(), port)).await.map_err(|_| "does not resolve".to_string())?.collect()
        }
    };
    if addrs.is_empty() || addrs.iter().any(|a| !is_public(a.ip())) {
        return Err("must not point to a loopback, private, link-local or otherwise internal address".into());
    }
    Ok(url)
}

fn events_of(raw: &[String]) -> Result<String, AppError> {
    if raw.is_empty() || raw.iter().any(|e| !EVENTS.contains(&e.as_str())) {
        return Err(AppError::field("events", format!("must be a non-empty list of: {}", EVENTS.join(", "))));
    }
    let mut events: Vec<&str> = EVENTS.iter().copied().filter(|e| raw.iter().any(|r| r == e)).collect();
    events.dedup();
    Ok(events.join(","))
}

/// Creates a webhook; returns it with its secret (shown once, stored sealed).
pub async fn create(
    state: &AppState,
    workspace_id: i64,
    url: &str,
    events: &[String],
) -> Result<(Webhook, String), AppError> {
    let url = check_url(url, state.settings.webhook_allow_private).await.map_err(|m| AppError::field("url", m))?;
    let events = events_of(events)?;
    let mut key = [0u8; 32];
    rand::rng().fill_bytes(&mut key);
    let secret = format!("whsec_{}", BASE64.encode(key));
    let sealed = state.sealer.seal(secret.as_bytes());
    let hook =
        webhook::insert(&state.db, workspace_id, url.as_str(), &events, &sealed, Utc::now().timestamp_millis()).await?;
    Ok((hook, secret))
}

pub async fn list(state: &AppState, workspace_id: i64) -> Result<Vec<Webhook>, AppError> {
    Ok(webhook::list(&state.db, workspace_id).await?)
}

pub async fn get(state: &AppState, workspace_id: i64, id: i64) -> Result<Webhook, AppError> {
    webhook::find(&state.db, workspace_id, id).await?.ok_or(AppError::NotFound)
}

pub async fn update(
    state: &AppState,
    workspace_id: i64,
    id: i64,
    url: Option<&str>,
    events: Option<&[String]>,
    active: Option<bool>,
) -> Result<Webhook, AppError> {
    let mut hook = get(state, workspace_id, id).await?;
    if let Some(url) = url {
        hook.url = check_url(url, state.settings.webhook_allow_private)
            .await
            .map_err(|m| AppError::field("url", m))?
            .to_string();
    }
    if let Some(events) = events {
        hook.events = events_of(events)?;
    }
    if let Some(active) = active {
        hook.active = active;
    }
    webhook::update(&state.db, &hook).await?;
    Ok(hook)
}

pub async fn delete(state: &AppState, workspace_id: i64, id: i64) -> Result<Webhook, AppError> {
    let hook = get(state, workspace_id, id).await?;
    webhook::delete(&state.db, id).await?;
    Ok(hook)
}

pub async fn deliveries(
    state: &AppState,
    workspace_id: i64,
    id: i64,
    page: Page,
) -> Result<(Vec<Delivery>, u64), AppError> {
    get(state, workspace_id, id).await?;
    Ok(webhook::deliveries(&state.db, id, page.offset(), page.per_page).await?)
}

fn message_id() -> String {
    format!("msg_{}", ulid::Ulid::new())
}

/// The body of a delivery: `{type, timestamp, data}`.
fn body(event: &str, data: &Value) -> String {
    json!({"type": event, "timestamp": Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true), "data": data}).to_string()
}

/// Queues `event` with `data` to every active webhook of the workspace listening to it,
/// inside the caller's transaction: the event and its deliveries commit together.
pub async fn emit(
    db: &impl sea_orm::ConnectionTrait,
    workspace_id: i64,
    event: &str,
    data: &Value,
) -> Result<(), sea_orm::DbErr> {
    let hooks: Vec<Webhook> =
        webhook::list(db, workspace_id).await?.into_iter().filter(|h| h.listens_to(event)).collect();
    if hooks.is_empty() {
        return Ok(());
    }
    let now = Utc::now().timestamp_millis();
    let payload = body(event, data);
    for hook in hooks {
        let id = webhook::insert_delivery(db, hook.id, &message_id(), event, &payload, now).await?;
        job::enqueue(db, WEBHOOK_DELIVERY, &[id.to_string()], now, now).await?;
    }
    Ok(())
}

/// Queues a `ping` to one webhook, whatever its events.
pub async fn ping(state: &AppState, workspace_id: i64, id: i64) -> Result<(), AppError> {
    let hook = get(state, workspace_id, id).await?;
    let now = Utc::now().timestamp_millis();
    let payload = body("ping", &json!({"webhook_id": hook.id}));
    let delivery = webhook::insert_delivery(&state.db, hook.id, &message_id(), "ping", &payload, now).await?;
    job::enqueue(&state.db, WEBHOOK_DELIVERY, &[delivery.to_string()], now, now).await?;
    state.jobs_wake.notify_one();
    Ok(())
}

/// One attempt of delivery `payload` (its id). Retries are new jobs at the delays of
/// `WEBHOOK_RETRY_SECONDS`, so this job itself always ends.
#[tracing::instrument(skip_all)]
pub async fn attempt(state: &AppState, payload: &str) -> anyhow::Result<()> {
    let id: i64 = payload.parse().context("a delivery id")?;
    let db = &state.db;
    let Some(delivery) = webhook::delivery(db, id).await? else { return Ok(()) };
    if delivery.status != "pending" {
        return Ok(());
    }
    let Some(hook) = webhook::list_one(db, delivery.webhook_id).await? else { return Ok(()) };
    let secret = String::from_utf8(state.sealer.open(&hook.secret_sealed)?).context("a sealed secret")?;
    let timestamp = Utc::now().timestamp();
    let signature = sign(&secret_bytes(&secret)?, &delivery.message_id, timestamp, &delivery.payload);
    let allow_private = state.settings.webhook_allow_private;
    let outcome = match check_literal(&hook.url, allow_private) {
        Err(message) => Err(message),
        Ok(()) => client(allow_private)
            .post(&hook.url)
            .header("content-type", "application/json")
            .header("webhook-id", &delivery.message_id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(delivery.payload.clone())
            .send()
            .await
            .map(|r| r.status().as_u16())
            .map_err(|e| error_chain(&e)),
    };
    let attempts_after = delivery.attempts + 1;
    let delays = &state.settings.webhook_retry;
    let next_delay = delays.get(attempts_after as usize - 1).copied();
    let now = Utc::now().timestamp_millis();
    let (status, code, error, retry) = match outcome {
        Ok(code) if (200..300).contains(&code) => ("delivered", Some(code), None, false),
        Ok(code) if code == 429 || code >= 500 => ("pending", Some(code), Some(format!("HTTP {code}")), true),
        Ok(code) => ("failed", Some(code), Some(format!("HTTP {code}")), false),
        // Refused addresses are as final as a 4xx: retrying reaches the same place.
        Err(message) if message.starts_with("refused:") || message.contains(NO_PUBLIC_ADDRESS) => {
            ("failed", None, Some(message), false)
        }
        Err(message) => ("pending", None, Some(message), true),
    };
    let (status, next) = match (retry, next_delay) {
        (true, Some(delay)) => (status, Some(now + delay.as_millis() as i64)),
        (true, None) => ("failed", None),
        _ => (status, None),
    };
    webhook::record_attempt(db, id, status, code.map(i32::from), error.as_deref(), next).await?;
    if let Some(at) = next {
        job::enqueue(db, WEBHOOK_DELIVERY, &[payload.to_string()], at, now).await?;
    }
    Ok(())
}

/// An error with its causes: reqwest's own message leaves out why a connection failed
/// (a refused address, a DNS failure, a timeout).
fn error_chain(err: &dyn std::error::Error) -> String {
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

/// A URL whose host is an address literal is never resolved, so the resolver cannot check
/// it: it is checked here, at every attempt.
fn check_literal(url: &str, allow_private: bool) -> Result<(), String> {
    let parsed = url::Url::parse(url).map_err(|e| format!("refused: {e}"))?;
    let ip = match parsed.host() {
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip),
        _ => return Ok(()),
    };
    if allow_private || is_public(ip) { Ok(()) } else { Err(format!("refused: {ip} is not a public address")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Produced by the reference library (`pip install standardwebhooks`, 1.1.0):
    /// `Webhook(secret).sign("msg_2pDbvdkKyqTk3XWFxNwLNiKBGs9", datetime(1764633600), body)`.
    #[test]
    fn signatures_match_the_reference_library() {
        let secret = secret_bytes("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=").unwrap();
        let body = r#"{"type":"ping","timestamp":"2025-12-02T00:00:00Z","data":{}}"#;
        assert_eq!(
            sign(&secret, "msg_2pDbvdkKyqTk3XWFxNwLNiKBGs9", 1_764_633_600, body),
            "v1,IcUqGjgxmT51ST06f4WFrvGXCqZ95l50i57/sayfR+Y="
        );
    }

    #[test]
    fn internal_addresses_are_refused() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.20.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "224.0.0.1",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "::",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.216.34", "8.8.8.8", "2606:4700::1111"] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
        assert!(check_literal("http://169.254.169.254/latest", false).is_err());
        assert!(check_literal("http://example.com/", false).is_ok());
    }
}
