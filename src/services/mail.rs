//! Account emails: rendered as text + HTML, sent through SMTP (lettre) when `SMTP_URL` is
//! set, and written to `MAIL_OUTBOX_DIR` as `.eml` files when that is set.

use std::{path::PathBuf, sync::Arc, time::Duration};

use anyhow::Context;
use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{
        Mailbox, MultiPart,
        header::{HeaderName, HeaderValue},
    },
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
#[derive(Clone)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The link it carries, logged in development so it can be followed without a mailbox.
    pub link: String,
    /// The sender's display name when not Pulse's own (a survey goes out in the
    /// workspace's name).
    pub from_name: Option<String>,
    /// The one-click unsubscribe URL (RFC 8058) of a survey email.
    pub unsubscribe: Option<String>,
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

    /// A notice to a member (alerts, digests): a greeting, the text, one button.
    #[allow(clippy::too_many_arguments)]
    pub fn notice(
        &self,
        to: &str,
        subject: &str,
        name: &str,
        lead: &str,
        action: &str,
        link: String,
        fine_print: &str,
    ) -> Email {
        render(to, subject, name, lead, action, link, fine_print)
    }

    /// Writes the outbox copy and sends over SMTP. Runs as background work (see
    /// `AppState::spawn_background`), so failures are logged rather than returned.
    pub async fn send(&self, email: Email) -> anyhow::Result<()> {
        let to: Mailbox = email.to.parse().context("recipient address")?;
        let from = match &email.from_name {
            Some(name) => Mailbox::new(Some(name.clone()), self.inner.from.email.clone()),
            None => self.inner.from.clone(),
        };
        let mut builder = Message::builder().from(from).to(to).subject(email.subject.clone()).message_id(None);
        if let Some(url) = &email.unsubscribe {
            builder = builder
                .raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("List-Unsubscribe"), format!("<{url}>")))
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                    "List-Unsubscribe=One-Click".into(),
                ));
        }
        let message = builder
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
    let esc = escape;
    let html = format!(
        "<!doctype html><html><body style=\"font-family:sans-serif;max-width:560px;margin:auto\">\
         <p>Hello {user},</p><p style=\"white-space:pre-line\">{lead}</p>\
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
    Email { to: to.to_string(), subject: subject.to_string(), text, html, link, from_name: None, unsubscribe: None }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// What a survey email says: the customer, the workspace, the staff's message.
pub struct SurveyEmail<'a> {
    pub to: &'a str,
    pub customer_name: &'a str,
    pub workspace_name: &'a str,
    pub message: &'a str,
    pub token: &'a str,
    pub reminder: bool,
}

impl Mailer {
    /// The survey email: five one-click score links, an unsubscribe link and
    /// the one-click unsubscribe headers. Laid out in one column with large tap targets,
    /// so it reads well on a phone.
    pub fn survey(&self, s: &SurveyEmail) -> Email {
        let base = &self.inner.public_url;
        let answer = |score: u8| format!("{base}/r/{}?score={score}", s.token);
        let unsubscribe_page = format!("{base}/unsubscribe/{}", s.token);
        let subject = format!("How was your experience with {}?", s.workspace_name);
        let lead = if s.reminder {
            format!("A quick reminder: we would love to hear how your experience with {} was.", s.workspace_name)
        } else {
            format!("How was your experience with {}? One click is all it takes.", s.workspace_name)
        };
        let labels = ["1 – Very poor", "2 – Poor", "3 – Okay", "4 – Good", "5 – Excellent"];
        let mut text = format!("Hello {},\n\n{lead}\n\n", s.customer_name);
        if !s.message.is_empty() {
            text.push_str(&format!("{}\n\n", s.message));
        }
        for (i, label) in labels.iter().enumerate() {
            text.push_str(&format!("{label}: {}\n", answer(i as u8 + 1)));
        }
        text.push_str(&format!(
            "\nYou can add a comment on the page that opens.\n\nNo more of these emails: {unsubscribe_page}\n\n— {}\n",
            s.workspace_name
        ));
        let buttons: String = labels
            .iter()
            .enumerate()
            .map(|(i, label)| {
                format!(
                    "<tr><td style=\"padding:4px 0\"><a href=\"{href}\" style=\"display:block;padding:14px 16px;\
                     border:1px solid #c7d2fe;border-radius:8px;background:#eef2ff;color:#312e81;\
                     text-decoration:none;font-size:17px\">{label}</a></td></tr>",
                    href = escape(&answer(i as u8 + 1)),
                    label = escape(label),
                )
            })
            .collect();
        let message = if s.message.is_empty() {
            String::new()
        } else {
            format!("<p style=\"white-space:pre-line\">{}</p>", escape(s.message))
        };
        let html = format!(
            "<!doctype html><html><head><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"></head>\
             <body style=\"font-family:sans-serif;margin:0;padding:16px;color:#111\">\
             <div style=\"max-width:480px;margin:auto\"><p>Hello {name},</p><p>{lead}</p>{message}\
             <table role=\"presentation\" width=\"100%\" cellspacing=\"0\" cellpadding=\"0\">{buttons}</table>\
             <p style=\"font-size:13px;color:#555\">You can add a comment on the page that opens.</p>\
             <p style=\"font-size:12px;color:#777\"><a href=\"{unsub}\" style=\"color:#777\">Unsubscribe</a> \
             from these emails.</p><p>— {workspace}</p></div></body></html>",
            name = escape(s.customer_name),
            lead = escape(&lead),
            unsub = escape(&unsubscribe_page),
            workspace = escape(s.workspace_name),
        );
        Email {
            to: s.to.to_string(),
            subject,
            text,
            html,
            link: answer(5),
            from_name: Some(s.workspace_name.to_string()),
            unsubscribe: Some(format!("{base}/api/v1/public/unsubscribe/{}", s.token)),
        }
    }
}
