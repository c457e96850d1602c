//! Typed settings read from the environment (and `.env`); `.env.example` lists every variable and its default.

use std::{collections::HashMap, net::SocketAddr, path::PathBuf, time::Duration};

use anyhow::{Context, bail};
use ipnet::IpNet;
use secrecy::{ExposeSecret, SecretString};

pub const DEFAULT_ADMIN_USERNAME: &str = "admin1224";
pub const DEFAULT_ADMIN_EMAIL: &str = "admin1224@hotmail.com";
pub const DEFAULT_ADMIN_PASSWORD: &str = "Admin@1224";
/// Secrets shorter than this are refused in production.
const MIN_SECRET_BYTES: usize = 32;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignupMode {
    Open,
    Invite,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

/// A JWT signing key and the `kid` that names it.
#[derive(Clone, Debug)]
pub struct JwtKey {
    pub kid: String,
    pub secret: SecretString,
}

#[derive(Clone, Debug)]
pub struct Settings {
    pub env: Environment,
    pub bind_addr: SocketAddr,
    pub database_url: String,
    pub public_url: String,
    pub cors_origin: Option<String>,
    /// `None` in development until `data/jwt.secret` is read or generated.
    pub jwt_key: Option<JwtKey>,
    pub jwt_previous: Vec<JwtKey>,
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
    pub refresh_reuse_grace: Duration,
    pub verify_token_ttl: Duration,
    pub reset_token_ttl: Duration,
    pub lockout_threshold: u32,
    pub lockout_duration: Duration,
    pub mail_cooldown: Duration,
    pub mail_max_per_hour: u32,
    pub auth_rate_limit_per_minute: u32,
    /// `redis://…`: the per-IP and per-key limits are shared by every instance through it.
    pub rate_limit_url: Option<String>,
    /// The start of the limiters' Redis keys (several deployments may share one Redis).
    pub rate_limit_prefix: String,
    pub trusted_proxies: Vec<IpNet>,
    pub smtp_url: Option<SecretString>,
    pub mail_from: String,
    pub mail_outbox_dir: Option<PathBuf>,
    pub admin_username: String,
    pub admin_email: String,
    pub admin_password: Option<SecretString>,
    pub max_upload_bytes: usize,
    /// Always true in production (`COOKIE_SECURE` can force it on in development only).
    pub cookie_secure: bool,
    pub require_verified_email: bool,
    pub log_format: LogFormat,
    pub docs_enabled: bool,
    pub metrics_token: Option<SecretString>,
    /// `invite` closes signup to everyone without an invitation.
    pub signup_mode: SignupMode,
    pub invitation_ttl: Duration,
    pub invitations_per_hour: u32,
    /// Key of the secrets stored encrypted (TOTP); development: `data/encryption.key`.
    pub encryption_key: Option<SecretString>,
    pub api_key_rate_limit_per_minute: u32,
    /// A customer asked by a survey is not asked again for this long.
    pub survey_cooldown: Duration,
    /// One reminder goes to those who have not answered after this long.
    pub survey_reminder: Duration,
    /// A survey answer can be replaced for this long after it was first given.
    pub survey_edit: Duration,
    /// How long a survey's links work.
    pub survey_token_ttl: Duration,
    /// Per-IP limit of the public routes (`/api/v1/public/*`); 0 turns it off.
    pub public_rate_limit_per_minute: u32,
    /// Per-IP limit of public form answers.
    pub form_rate_limit_per_hour: u32,
    /// Delays between a webhook delivery's attempts (one attempt plus one per delay).
    pub webhook_retry: Vec<Duration>,
    /// Lets webhooks call loopback and private addresses (development and tests only).
    pub webhook_allow_private: bool,
    /// How long a worker holds a background job before another may take it over (a
    /// worker that died mid-job is noticed after this).
    pub job_lease: Duration,
    /// An upload that sends nothing for this long is dropped.
    pub upload_idle_timeout: Duration,
    /// How long SIGTERM waits for in-flight requests and background work before exiting.
    pub shutdown_grace: Duration,
    /// A folder to serve the web UI from instead of the copy built into a release binary
    /// (development: a UI rebuilt while the server runs).
    pub web_dir: Option<PathBuf>,
    /// Folder for development state (the generated JWT secret).
    pub data_dir: PathBuf,
}

impl Settings {
    /// Reads `.env` (if present) and then the process environment.
    pub fn from_env() -> anyhow::Result<Self> {
        let _ = dotenvy::dotenv();
        Self::from_vars(std::env::vars().collect())
    }

    /// Builds settings from a variable map; unset names take their development defaults.
    pub fn from_vars(vars: HashMap<String, String>) -> anyhow::Result<Self> {
        let get = |name: &str| vars.get(name).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let env = match get("APP_ENV").as_deref() {
            None | Some("development") | Some("dev") | Some("test") => Environment::Development,
            Some("production") | Some("prod") => Environment::Production,
            Some(other) => bail!("APP_ENV must be `development` or `production`, not `{other}`"),
        };
        let prod = env == Environment::Production;
        let parse_secs = |name: &str, default: u64| -> anyhow::Result<Duration> {
            parse_num::<u64>(&get, name, default).map(Duration::from_secs)
        };

        let jwt_key = get("JWT_SECRET").map(|secret| JwtKey {
            kid: get("JWT_KID").unwrap_or_else(|| "k1".into()),
            secret: SecretString::from(secret),
        });
        let jwt_previous = match get("JWT_PREVIOUS_SECRETS") {
            None => Vec::new(),
            Some(list) => {
                list.split(',')
                    .filter(|s| !s.trim().is_empty())
                    .map(|pair| {
                        let (kid, secret) = pair.trim().split_once(':').with_context(
                            || "JWT_PREVIOUS_SECRETS must be a comma-separated list of kid:secret pairs",
                        )?;
                        Ok(JwtKey { kid: kid.to_string(), secret: SecretString::from(secret.to_string()) })
                    })
                    .collect::<anyhow::Result<_>>()?
            }
        };
        let trusted_proxies = get("TRUSTED_PROXIES")
            .map(|list| {
                list.split(',')
                    .filter(|s| !s.trim().is_empty())
                    .map(|cidr| parse_cidr(cidr.trim()))
                    .collect::<anyhow::Result<Vec<_>>>()
            })
            .transpose()?
            .unwrap_or_default();
        let log_format = match get("LOG_FORMAT").as_deref() {
            None => {
                if prod {
                    LogFormat::Json
                } else {
                    LogFormat::Pretty
                }
            }
            Some("json") => LogFormat::Json,
            Some("pretty") => LogFormat::Pretty,
            Some(other) => bail!("LOG_FORMAT must be `pretty` or `json`, not `{other}`"),
        };
        let admin_password = get("ADMIN_PASSWORD")
            .or_else(|| (!prod).then(|| DEFAULT_ADMIN_PASSWORD.to_string()))
            .map(SecretString::from);

        let settings = Settings {
            env,
            bind_addr: get("BIND_ADDR")
                .unwrap_or_else(|| "127.0.0.1:8000".into())
                .parse()
                .context("BIND_ADDR must be host:port, e.g. 127.0.0.1:8000")?,
            database_url: get("DATABASE_URL").unwrap_or_else(|| "sqlite://data/pulse.db".into()),
            public_url: get("PUBLIC_URL")
                .unwrap_or_else(|| "http://localhost:8000".into())
                .trim_end_matches('/')
                .to_string(),
            cors_origin: match vars.get("CORS_ORIGIN") {
                None => Some("http://localhost:5173".into()),
                Some(v) if v.trim().is_empty() => None,
                Some(v) => Some(v.trim().trim_end_matches('/').to_string()),
            },
            jwt_key,
            jwt_previous,
            access_ttl: parse_secs("ACCESS_TOKEN_TTL_SECONDS", 900)?,
            refresh_ttl: parse_secs("REFRESH_TOKEN_TTL_SECONDS", 1_209_600)?,
            refresh_reuse_grace: parse_secs("REFRESH_REUSE_GRACE_SECONDS", 10)?,
            verify_token_ttl: parse_secs("VERIFY_TOKEN_TTL_SECONDS", 86_400)?,
            reset_token_ttl: parse_secs("RESET_TOKEN_TTL_SECONDS", 1_800)?,
            lockout_threshold: parse_num(&get, "LOCKOUT_THRESHOLD", 5)?,
            lockout_duration: parse_secs("LOCKOUT_SECONDS", 900)?,
            mail_cooldown: parse_secs("MAIL_COOLDOWN_SECONDS", 60)?,
            mail_max_per_hour: parse_num(&get, "MAIL_MAX_PER_HOUR", 5)?,
            auth_rate_limit_per_minute: parse_num(&get, "AUTH_RATE_LIMIT_PER_MINUTE", 30)?,
            rate_limit_url: get("RATE_LIMIT_URL"),
            rate_limit_prefix: get("RATE_LIMIT_PREFIX").unwrap_or_else(|| "pulse".into()),
            trusted_proxies,
            smtp_url: get("SMTP_URL").map(SecretString::from),
            mail_from: get("MAIL_FROM").unwrap_or_else(|| "Pulse <no-reply@localhost>".into()),
            mail_outbox_dir: match vars.get("MAIL_OUTBOX_DIR") {
                Some(v) if v.trim().is_empty() => None,
                Some(v) => Some(PathBuf::from(v.trim())),
                None if prod => None,
                None => Some(PathBuf::from("data/outbox")),
            },
            admin_username: get("ADMIN_USERNAME").unwrap_or_else(|| DEFAULT_ADMIN_USERNAME.into()),
            admin_email: get("ADMIN_EMAIL").unwrap_or_else(|| DEFAULT_ADMIN_EMAIL.into()),
            admin_password,
            max_upload_bytes: parse_num(&get, "MAX_UPLOAD_BYTES", 104_857_600)?,
            // Production cookies are Secure whatever COOKIE_SECURE says: a session cookie sent
            // over plain HTTP can be read by anyone on the path.
            cookie_secure: prod || parse_bool(&get, "COOKIE_SECURE", false)?,
            require_verified_email: parse_bool(&get, "REQUIRE_VERIFIED_EMAIL", true)?,
            log_format,
            docs_enabled: parse_bool(&get, "DOCS_ENABLED", !prod)?,
            metrics_token: get("METRICS_TOKEN").map(SecretString::from),
            signup_mode: match get("SIGNUP_MODE").as_deref() {
                None | Some("open") => SignupMode::Open,
                Some("invite") => SignupMode::Invite,
                Some(other) => bail!("SIGNUP_MODE must be `open` or `invite`, not `{other}`"),
            },
            invitation_ttl: parse_secs("INVITATION_TTL_SECONDS", 604_800)?,
            invitations_per_hour: parse_num(&get, "INVITATIONS_PER_HOUR", 50)?,
            encryption_key: get("ENCRYPTION_KEY").map(SecretString::from),
            api_key_rate_limit_per_minute: parse_num(&get, "API_KEY_RATE_LIMIT_PER_MINUTE", 600)?,
            survey_cooldown: parse_secs("SURVEY_COOLDOWN_SECONDS", 2_592_000)?,
            survey_reminder: parse_secs("SURVEY_REMINDER_SECONDS", 259_200)?,
            survey_edit: parse_secs("SURVEY_EDIT_SECONDS", 1_800)?,
            survey_token_ttl: parse_secs("SURVEY_TOKEN_TTL_SECONDS", 2_592_000)?,
            public_rate_limit_per_minute: parse_num(&get, "PUBLIC_RATE_LIMIT_PER_MINUTE", 60)?,
            form_rate_limit_per_hour: parse_num(&get, "FORM_RATE_LIMIT_PER_HOUR", 20)?,
            job_lease: parse_secs("JOB_LEASE_SECONDS", 60)?,
            webhook_retry: match get("WEBHOOK_RETRY_SECONDS") {
                None => [5, 300, 1_800, 7_200, 18_000].map(Duration::from_secs).to_vec(),
                Some(list) => list
                    .split(',')
                    .map(|s| s.trim().parse::<u64>().map(Duration::from_secs))
                    .collect::<Result<_, _>>()
                    .map_err(|_| anyhow::anyhow!("WEBHOOK_RETRY_SECONDS must be seconds separated by commas"))?,
            },
            webhook_allow_private: parse_bool(&get, "WEBHOOK_ALLOW_PRIVATE", false)?,
            upload_idle_timeout: parse_secs("UPLOAD_IDLE_TIMEOUT_SECONDS", 30)?,
            shutdown_grace: parse_secs("SHUTDOWN_GRACE_SECONDS", 30)?,
            web_dir: get("WEB_DIR").map(PathBuf::from),
            data_dir: PathBuf::from(get("DATA_DIR").unwrap_or_else(|| "data".into())),
        };
        if prod {
            settings.check_production()?;
        }
        Ok(settings)
    }

    pub fn is_production(&self) -> bool {
        self.env == Environment::Production
    }

    /// Production refuses weak or default secrets; the error names the variable.
    fn check_production(&self) -> anyhow::Result<()> {
        match &self.jwt_key {
            None => bail!("JWT_SECRET is required when APP_ENV=production"),
            Some(k) if k.secret.expose_secret().len() < MIN_SECRET_BYTES => {
                bail!("JWT_SECRET must be at least {MIN_SECRET_BYTES} bytes when APP_ENV=production")
            }
            Some(k) if looks_like_default(k.secret.expose_secret()) => {
                bail!("JWT_SECRET is a placeholder value; generate one with `openssl rand -base64 48`")
            }
            _ => {}
        }
        for key in &self.jwt_previous {
            if key.secret.expose_secret().len() < MIN_SECRET_BYTES {
                bail!("JWT_PREVIOUS_SECRETS: the secret of kid `{}` is shorter than {MIN_SECRET_BYTES} bytes", key.kid);
            }
        }
        if let Some(pw) = &self.admin_password
            && pw.expose_secret() == DEFAULT_ADMIN_PASSWORD
        {
            bail!("ADMIN_PASSWORD is the development default; set a strong one or leave it empty");
        }
        match &self.encryption_key {
            None => {
                bail!("ENCRYPTION_KEY is required when APP_ENV=production (64 hex characters: `openssl rand -hex 32`)")
            }
            Some(key) => {
                crate::core::crypto::parse_key(key.expose_secret())?;
            }
        }
        Ok(())
    }
}

/// A configured duration for date arithmetic; one too long for it is forever.
pub fn as_chrono(d: std::time::Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}

fn looks_like_default(secret: &str) -> bool {
    let lower = secret.to_ascii_lowercase();
    ["change", "secret", "example", "default", "placeholder"].iter().any(|w| lower.contains(w))
        && lower.chars().filter(|c| c.is_ascii_alphanumeric()).count() < 48
}

fn parse_num<T: std::str::FromStr>(get: &impl Fn(&str) -> Option<String>, name: &str, default: T) -> anyhow::Result<T> {
    match get(name) {
        None => Ok(default),
        Some(v) => v.parse().map_err(|_| anyhow::anyhow!("{name} must be a non-negative whole number, not `{v}`")),
    }
}

fn parse_bool(get: &impl Fn(&str) -> Option<String>, name: &str, default: bool) -> anyhow::Result<bool> {
    match get(name).map(|v| v.to_ascii_lowercase()).as_deref() {
        None => Ok(default),
        Some("1" | "true" | "yes" | "on") => Ok(true),
        Some("0" | "false" | "no" | "off") => Ok(false),
        Some(v) => bail!("{name} must be true or false, not `{v}`"),
    }
}

fn parse_cidr(text: &str) -> anyhow::Result<IpNet> {
    text.parse::<IpNet>()
        .or_else(|_| text.parse::<std::net::IpAddr>().map(IpNet::from))
        .map_err(|_| anyhow::anyhow!("TRUSTED_PROXIES: `{text}` is not a CIDR or IP address"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn development_defaults_match_the_contract() {
        let s = Settings::from_vars(vars(&[])).unwrap();
        assert_eq!(s.env, Environment::Development);
        assert_eq!(s.bind_addr.to_string(), "127.0.0.1:8000");
        assert_eq!(s.database_url, "sqlite://data/pulse.db");
        assert_eq!(s.access_ttl, Duration::from_secs(900));
        assert_eq!(s.refresh_ttl, Duration::from_secs(1_209_600));
        assert_eq!(s.lockout_threshold, 5);
        assert_eq!(s.max_upload_bytes, 104_857_600);
        assert_eq!(s.admin_password.unwrap().expose_secret(), DEFAULT_ADMIN_PASSWORD);
        assert!(!s.cookie_secure);
        assert_eq!(s.log_format, LogFormat::Pretty);
    }

    #[test]
    fn production_refuses_weak_settings_and_names_the_variable() {
        let strong = "x".repeat(40);
        let cases: &[(&[(&str, &str)], &str)] = &[
            (&[("APP_ENV", "production")], "JWT_SECRET"),
            (&[("APP_ENV", "production"), ("JWT_SECRET", "short")], "JWT_SECRET"),
            (&[("APP_ENV", "production"), ("JWT_SECRET", "change-me-secret-change-me-secret-1")], "JWT_SECRET"),
            (
                &[("APP_ENV", "production"), ("JWT_SECRET", &strong), ("ADMIN_PASSWORD", DEFAULT_ADMIN_PASSWORD)],
                "ADMIN_PASSWORD",
            ),
            (
                &[("APP_ENV", "production"), ("JWT_SECRET", &strong), ("JWT_PREVIOUS_SECRETS", "old:short")],
                "JWT_PREVIOUS_SECRETS",
            ),
            (&[("APP_ENV", "production"), ("JWT_SECRET", &strong)], "ENCRYPTION_KEY"),
            (&[("APP_ENV", "production"), ("JWT_SECRET", &strong), ("ENCRYPTION_KEY", "tooshort")], "ENCRYPTION_KEY"),
        ];
        for (pairs, variable) in cases {
            let err = Settings::from_vars(vars(pairs)).unwrap_err().to_string();
            assert!(err.contains(variable), "{pairs:?}: {err}");
        }
        let key = "ab".repeat(32);
        let ok =
            Settings::from_vars(vars(&[("APP_ENV", "production"), ("JWT_SECRET", &strong), ("ENCRYPTION_KEY", &key)]))
                .unwrap();
        assert!(ok.cookie_secure && ok.admin_password.is_none() && ok.log_format == LogFormat::Json);
        let insecure =
            [("APP_ENV", "production"), ("JWT_SECRET", &strong), ("ENCRYPTION_KEY", &key), ("COOKIE_SECURE", "false")];
        assert!(Settings::from_vars(vars(&insecure)).unwrap().cookie_secure, "production cookies stay Secure");
        assert!(Settings::from_vars(vars(&[("COOKIE_SECURE", "true")])).unwrap().cookie_secure);
    }

    #[test]
    fn lists_parse() {
        let s = Settings::from_vars(vars(&[
            ("JWT_PREVIOUS_SECRETS", "a:one, b:two"),
            ("TRUSTED_PROXIES", "10.0.0.0/8, 127.0.0.1"),
        ]))
        .unwrap();
        assert_eq!(s.jwt_previous.iter().map(|k| k.kid.as_str()).collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(s.trusted_proxies.len(), 2);
        assert!(Settings::from_vars(vars(&[("ACCESS_TOKEN_TTL_SECONDS", "ten")])).is_err());
    }
}
