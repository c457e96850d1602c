//! The client's IP: the socket peer, unless that peer is a trusted proxy, in which case
//! the nearest untrusted address in `X-Forwarded-For`.

use std::net::{IpAddr, SocketAddr};

use axum::{extract::ConnectInfo, http::request::Parts};
use ipnet::IpNet;

pub fn client_ip(parts: &Parts, trusted: &[IpNet]) -> Option<IpAddr> {
    let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())?;
    Some(resolve(peer, parts.headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()), trusted))
}

fn resolve(peer: IpAddr, forwarded_for: Option<&str>, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let Some(chain) = forwarded_for else { return peer };
    // Walk from the nearest hop outwards; the first address we do not trust is the client.
    let mut client = peer;
    for hop in chain.rsplit(',').map(str::trim) {
        match hop.parse::<IpAddr>() {
            Ok(ip) => {
                client = ip;
                if !is_trusted(&ip) {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert_eq!(resolve(ip("203.0.113.9"), Some("1.2.3.4"), &trusted), ip("203.0.113.9"), "untrusted peer");
        assert_eq!(resolve(ip("10.0.0.2"), Some("1.2.3.4"), &trusted), ip("1.2.3.4"));
        assert_eq!(
            resolve(ip("10.0.0.2"), Some("6.6.6.6, 1.2.3.4, 10.0.0.7"), &trusted),
            ip("1.2.3.4"),
            "spoofed left part"
        );
        assert_eq!(resolve(ip("10.0.0.2"), None, &trusted), ip("10.0.0.2"));
        assert_eq!(resolve(ip("10.0.0.2"), Some("garbage"), &trusted), ip("10.0.0.2"));
    }
}
