//! Invitation rules: hashed single-use links that expire, can be revoked and
//! re-sent, and are accepted only by the invited address.

use crate::services::state::AppState;
use chrono::{Duration, Utc};
use sea_orm::ConnectionTrait;

use crate::core::error::Checker;
use crate::domain::{feedback_at::SECONDS_PER_DAY, fields::Email};
use crate::{
    core::{
        database::{self, Db},
        error::AppError,
        security::{random_token, token_hash},
    },
    domain::role::Role,
    models::{
        invitation::{self, NewInvitation},
        membership, user,
        workspace::{self, WithRole},
    },
    schemas::workspace::{Invitation, InvitationPreview, InviterName, WorkspaceName},
    services::workspaces::Access,
};

fn ttl(state: &AppState) -> Duration {
    Duration::from_std(state.settings.invitation_ttl).unwrap_or(Duration::days(7))
}

/// `RateLimited` once the workspace has sent `INVITATIONS_PER_HOUR` invitations in the last hour.
async fn check_rate(state: &AppState, workspace_id: i64) -> Result<(), AppError> {
    let since = Utc::now() - Duration::hours(1);
    if invitation::sent_since(&state.db, workspace_id, since).await? >= i64::from(state.settings.invitations_per_hour) {
        return Err(AppError::RateLimited { retry_after: 3_600 });
    }
    Ok(())
}

fn send(state: &AppState, inviter: &user::Model, workspace: &workspace::Model, email: &str, role: &str, token: &str) {
    let days = state.settings.invitation_ttl.as_secs().div_ceil(SECONDS_PER_DAY as u64);
    let message = state.mailer.invitation(email, &inviter.username, &workspace.name, role, token, days);
    let mailer = state.mailer.clone();
    state.spawn_background(async move { mailer.send(message).await });
}

/// Invites an address; only an owner invites an owner; a member's address is a `Conflict`.
pub async fn create(
    state: &AppState,
    access: &Access,
    inviter: &user::Model,
    email: &str,
    role: &str,
) -> Result<Invitation, AppError> {
    let mut c = Checker::default();
    let email = c.check("email", Email::parse(email));
    let role = c.check("role", Role::parse(role));
    c.finish()?;
    let (Some(email), Some(role)) = (email, role) else { unreachable!("both fields parsed") };
    if role == Role::Owner && access.role < Role::Owner {
        return Err(AppError::Forbidden);
    }
    let wid = access.workspace.id;
    if let Some(existing) = user::find_by_email(&state.db, email.as_str()).await?
        && membership::role_of(&state.db, wid, existing.id).await?.is_some()
    {
        return Err(AppError::conflict("already_member", "This person is already a member of the workspace."));
    }
    check_rate(state, wid).await?;
    let token = random_token();
    let txn = database::begin_write(&state.db).await?;
    let row = invitation::insert(
        &txn,
        NewInvitation {
            workspace_id: wid,
            email: email.as_str(),
            role: role.as_str(),
            token_hash: &token_hash(&token),
            invited_by: inviter.id,
            expires_at: Utc::now() + ttl(state),
        },
    )
    .await?;
    txn.commit().await?;
    send(state, inviter, &access.workspace, email.as_str(), role.as_str(), &token);
    Ok(Invitation::of(row, Utc::now()))
}

pub async fn list(db: &Db, workspace_id: i64) -> Result<Vec<Invitation>, AppError> {
    let now = Utc::now();
    Ok(invitation::list(db, workspace_id).await?.into_iter().map(|row| Invitation::of(row, now)).collect())
}

fn settled() -> AppError {
    AppError::conflict("conflict", "This invitation was already accepted or revoked.")
}

/// A new link for a pending (or expired) invitation; the old link dies.
pub async fn resend(state: &AppState, access: &Access, inviter: &user::Model, id: i64) -> Result<(), AppError> {
    let wid = access.workspace.id;
    let row = invitation::find(&state.db, wid, id).await?.ok_or(AppError::NotFound)?;
    check_rate(state, wid).await?;
    let token = random_token();
    if !invitation::renew(&state.db, wid, id, &token_hash(&token), Utc::now() + ttl(state)).await? {
        return Err(settled());
    }
    send(state, inviter, &access.workspace, &row.email, &row.role, &token);
    Ok(())
}

pub async fn revoke(db: &Db, workspace_id: i64, id: i64) -> Result<(), AppError> {
    let row = invitation::find(db, workspace_id, id).await?.ok_or(AppError::NotFound)?;
    match row.status(Utc::now()) {
        "accepted" => Err(settled()),
        "revoked" => Ok(()),
        _ => {
            invitation::revoke(db, workspace_id, id).await?;
            Ok(())
        }
    }
}

/// A pending invitation by its token, else `InvalidToken`.
async fn pending(db: &impl ConnectionTrait, token: &str) -> Result<invitation::Row, AppError> {
    invitation::by_token_hash(db, &token_hash(token))
        .await?
        .filter(|row| row.status(Utc::now()) == "pending")
        .ok_or(AppError::InvalidToken)
}

pub async fn preview(db: &Db, token: &str) -> Result<InvitationPreview, AppError> {
    let row = pending(db, token).await?;
    let workspace = workspace::find(db, row.workspace_id).await?.ok_or(AppError::InvalidToken)?;
    Ok(InvitationPreview {
        workspace: WorkspaceName { name: workspace.name },
        email: row.email,
        role: row.role,
        invited_by: row.invited_by_username.map(|username| InviterName { username }),
        expires_at: row.expires_at,
    })
}

fn mismatch() -> AppError {
    AppError::refused(
        "invitation_email_mismatch",
        "This invitation was sent to another email address: sign in with that address, or ask for a new invitation.",
    )
}

/// Checks, before an account is created for it, that `token` is a pending invitation for
/// `email`.
pub async fn check_for_signup(db: &Db, token: &str, email: &str) -> Result<(), AppError> {
    let row = pending(db, token).await?;
    if !row.email.eq_ignore_ascii_case(email) {
        return Err(mismatch());
    }
    Ok(())
}

/// Accepts the invitation for `account`, inside `txn`: the token is checked first, then
/// the address, then membership. The account's email is proved by the link, so it is
/// verified; the workspace becomes its default if it had none.
pub async fn accept_in(txn: &impl ConnectionTrait, account: &user::Model, token: &str) -> Result<WithRole, AppError> {
    let row = pending(txn, token).await?;
    if !row.email.eq_ignore_ascii_case(&account.email) {
        return Err(mismatch());
    }
    if membership::role_of(txn, row.workspace_id, account.id).await?.is_some() {
        return Err(AppError::conflict("already_member", "You are already a member of this workspace."));
    }
    if !invitation::consume(txn, &token_hash(token)).await? {
        return Err(AppError::InvalidToken);
    }
    membership::insert(txn, row.workspace_id, account.id, &row.role).await?;
    if account.default_workspace_id.is_none() {
        user::set_default_workspace(txn, account.id, Some(row.workspace_id)).await?;
    }
    if !account.is_verified {
        user::mark_verified(txn, account.id, &account.email).await?;
    }
    let workspace = workspace::find(txn, row.workspace_id).await?.ok_or(AppError::InvalidToken)?;
    Ok(WithRole::of(workspace, &row.role))
}

pub async fn accept(db: &Db, account: &user::Model, token: &str) -> Result<WithRole, AppError> {
    let txn = database::begin_write(db).await?;
    let joined = accept_in(&txn, account, token).await?;
    txn.commit().await?;
    Ok(joined)
}
