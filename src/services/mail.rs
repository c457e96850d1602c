//! Account emails: rendered as text + HTML, sent through SMTP (lettre) when `SMTP_URL` is
//! set, and written to `MAIL_OUTBOX_DIR` as `.eml` files when that is set.

use std::{path::PathBuf, sync::Arc, time::Duration};

use anyhow::Context;
use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Mailbox, MultiPart},
};
use secrecy::ExposeSecret;

use crate::core::config::Settings;

#[derive(Clone)]
pub struct Mailer {
    inner: Arc<Inner>,
}

struct Inner {
    from: Mailbox,
    smtp: Option<AsyncSmtpTransport<Tokio1Executor>>,
    outbox: Option<PathBuf>,
    public_url: String,
}

/// An email ready to send.
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The link it carries, logged in development so it can be followed without a mailbox.
    pub link: String,
}

impl Mailer {
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        let from: Mailbox = settings.mail_from.parse().context("MAIL_FROM is not a valid mailbox")?;
        let smtp = settings
            .smtp_url
            .as_ref()
            .map(|url| {
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret())
                    .map(|b| b.timeout(Some(Duration::from_secs(15))).build())
                    .context("SMTP_URL is not a valid smtp:// or smtps:// URL")
            })
            .transpose()?;
        if let Some(dir) = &settings.mail_outbox_dir {
            std::fs::create_dir_all(dir).with_context(|| format!("cannot create MAIL_OUTBOX_DIR {}", dir.display()))?;
        }
        Ok(Self {
            inner: Arc::new(Inner {
                from,
                smtp,
                outbox: settings.mail_outbox_dir.clone(),
                public_url: settings.public_url.clone(),
            }),
        })
    }

    pub fn link(&self, page: &str, token: &str) -> String {
        format!("{}/{page}?token={token}", self.inner.public_url)
    }

    pub fn verification(&self, to: &str, username: &str, token: &str, hours: u64) -> Email {
        let link = self.link("verify-email", token);
        render(
            to,
            "Confirm your email for Pulse",
            username,
            "Please confirm your email address to start using Pulse.",
            "Confirm email",
            link,
            &format!("The link is valid for {hours} hours. If you did not ask for it, ignore this email."),
        )
    }

    pub fn password_reset(&self, to: &str, username: &str, token: &str, minutes: u64) -> Email {
        let link = self.link("reset-password", token);
        render(
            to,
            "Reset your Pulse password",
            username,
            "Someone (hopefully you) asked to reset your Pulse password.",
            "Choose a new password",
            link,
            &format!(
                "The link is valid for {minutes} minutes and works once. If you did not ask, ignore this email: your password stays the same."
            ),
        )
    }

    pub fn invitation(&self, to: &str, inviter: &str, workspace: &str, role: &str, token: &str, days: u64) -> Email {
        let link = self.link("invite", token);
        render(
            to,
            &format!("{inviter} invited you to {workspace} on Pulse"),
            to,
            &format!("{inviter} invited you to join the workspace \"{workspace}\" on Pulse as {role}."),
            "Accept the invitation",
            link,
            &format!("The link is valid for {days} days and works once. If you did not expect it, ignore this email."),
        )
    }

    /// Writes the outbox copy and sends over SMTP. Runs as background work (see
    /// `AppState::spawn_background`), so failures are logged rather than returned.
    pub async fn send(&self, email: Email) -> anyhow::Result<()> {
        let to: Mailbox = email.to.parse().context("recipient address")?;
        let message = Message::builder()
            .from(self.inner.from.clone())
            .to(to)
            .subject(email.subject.clone())
            .message_id(None)
            .multipart(MultiPart::alternative_plain_html(email.text, email.html))
            .context("building the email")?;
        if let Some(dir) = &self.inner.outbox {
            let path = dir.join(format!("{}.eml", ulid::Ulid::new()));
            tokio::fs::write(&path, message.formatted())
                .await
                .with_context(|| format!("writing {}", path.display()))?;
            tracing::info!(to = %email.to, subject = %email.subject, link = %email.link, file = %path.display(), "email written to the outbox");
        }
        if let Some(smtp) = &self.inner.smtp {
            smtp.send(message).await.context("SMTP delivery failed")?;
            tracing::info!(to = %email.to, subject = %email.subject, "email sent over SMTP");
        }
        Ok(())
    }
}

fn render(to: &str, subject: &str, username: &str, lead: &str, action: &str, link: String, fine_print: &str) -> Email {
    let text = format!("Hello {username},\n\n{lead}\n\n{action}: {link}\n\n{fine_print}\n\n— Pulse\n");
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    let html = format!(
        "<!doctype html><html><body style=\"font-family:sans-serif;max-width:560px;margin:auto\">\
         <p>Hello {user},</p><p>{lead}</p>\
         <p><a href=\"{href}\" style=\"display:inline-block;padding:10px 18px;background:#4f46e5;color:#fff;\
         border-radius:6px;text-decoration:none\">{action}</a></p>\
         <p style=\"font-size:13px;color:#555\">Or paste this link into your browser:<br>{href}</p>\
         <p style=\"font-size:13px;color:#555\">{fine}</p><p>— Pulse</p></body></html>",
        user = esc(username),
        lead = esc(lead),
        href = esc(&link),
        action = esc(action),
        fine = esc(fine_print),
    );
    Email { to: to.to_string(), subject: subject.to_string(), text, html, link }
}
