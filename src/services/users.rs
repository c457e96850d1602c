//! Account rules outside the login flows: profile edits, user administration with the
//! last-admin guard, the seeded admin.

use crate::services::state::AppState;
use sea_orm::DatabaseTransaction;
use secrecy::ExposeSecret;

use crate::core::error::Checker;
use crate::domain::fields::{Email, Password, Username};
use crate::services::conflicts::or_conflict;
use crate::services::{auth_events, lockout, verification};
use crate::{
    core::{
        config::Settings,
        database::{self, Db},
        error::AppError,
        password::PasswordHasher,
    },
    models::{
        auth_event::Event,
        membership, session,
        user::{self, NewUser, ROLE_ADMIN},
        user_token::{self, Purpose},
    },
    schemas::{
        customer::MAX_QUERY_CHARS,
        envelope::Page,
        user::{AdminUpdateUser, UpdateMe, UserListQuery},
    },
    services::{identity::AuthUser, session_cache::Forget, workspaces},
};

/// A verified instance admin, owner of a new workspace named `workspace_name`.
pub async fn create_admin(
    db: &Db,
    hasher: &PasswordHasher,
    username: &str,
    email: &str,
    password: &str,
    workspace_name: &str,
) -> Result<user::Model, AppError> {
    let username = Username::parse(username).map_err(|m| AppError::field("username", m))?;
    let email = Email::parse(email).map_err(|m| AppError::field("email", m))?;
    let password = Password::parse(password, Some(username.as_str()), Some(email.as_str()))
        .map_err(|m| AppError::field("password", m))?;
    let password_hash = hasher.hash(password.secret()).await?;
    let new = NewUser {
        username: username.as_str(),
        email: email.as_str(),
        password_hash,
        role: ROLE_ADMIN,
        is_verified: true,
    };
    let txn = database::begin_write(db).await?;
    let admin = user::insert(&txn, new).await.map_err(or_conflict)?;
    workspaces::create_owned(&txn, &admin, workspace_name).await?;
    txn.commit().await?;
    Ok(user::find_by_id(db, admin.id).await?.unwrap_or(admin))
}

/// At start: when no active admin exists, create one from `ADMIN_*` (in development the
/// design notes' test login; in production only if `ADMIN_PASSWORD` is set).
pub async fn ensure_admin(db: &Db, hasher: &PasswordHasher, settings: &Settings) -> anyhow::Result<()> {
    if user::any_active_admin(db).await? {
        return Ok(());
    }
    let Some(password) = &settings.admin_password else {
        tracing::warn!("no admin account exists; create one with `pulse create-admin`");
        return Ok(());
    };
    let result =
        create_admin(db, hasher, &settings.admin_username, &settings.admin_email, password.expose_secret(), "Default")
            .await;
    match result {
        Ok(admin) => {
            tracing::info!(username = %admin.username, "seeded the admin account");
            Ok(())
        }
        Err(AppError::Conflict { .. }) => {
            tracing::warn!("ADMIN_USERNAME or ADMIN_EMAIL belongs to a non-admin account; no admin was seeded");
            Ok(())
        }
        Err(AppError::Validation(fields)) => {
            anyhow::bail!("the ADMIN_USERNAME / ADMIN_EMAIL / ADMIN_PASSWORD settings are invalid: {fields:?}")
        }
        Err(other) => Err(anyhow::anyhow!("seeding the admin failed: {other:?}")),
    }
}

fn role_of(raw: &str) -> Result<&'static str, AppError> {
    match raw {
        ROLE_ADMIN => Ok(ROLE_ADMIN),
        user::ROLE_USER => Ok(user::ROLE_USER),
        _ => Err(AppError::field("role", "must be `admin` or `user`")),
    }
}

/// One page of accounts matching the query's filters, and how many match in all.
pub async fn list(state: &AppState, query: &UserListQuery, page: Page) -> Result<(Vec<user::Model>, u64), AppError> {
    let role = query
        .role
        .as_deref()
        .map(role_of)
        .transpose()
        .map_err(|_| AppError::bad_request("role must be `admin` or `user`."))?;
    if query.q.as_ref().is_some_and(|q| q.chars().count() > MAX_QUERY_CHARS) {
        return Err(AppError::bad_request(format!("q must be at most {MAX_QUERY_CHARS} characters.")));
    }
    let filter =
        user::ListFilter { q: query.q.as_deref(), role, is_active: query.is_active, is_verified: query.is_verified };
    user::list(&state.db, filter, page.offset(), page.per_page).await.map_err(Into::into)
}

pub async fn get(state: &AppState, id: i64) -> Result<user::Model, AppError> {
    user::find_by_id(&state.db, id).await?.ok_or(AppError::NotFound)
}

/// `PATCH /users/me`: a changed email is unverified until its new link is followed.
pub async fn update_me(state: &AppState, auth: &AuthUser, body: UpdateMe) -> Result<user::Model, AppError> {
    let mut c = Checker::default();
    let username = c.check("username", body.username.as_deref().map(Username::parse).transpose()).flatten();
    let email = c.check("email", body.email.as_deref().map(Email::parse).transpose()).flatten();
    if let Some(wid) = body.default_workspace_id
        && membership::role_of(&state.db, wid, auth.user.id).await?.is_none()
    {
        c.fail("default_workspace_id", "must be a workspace you are a member of");
    }
    c.finish()?;
    let email_changed = email.as_ref().is_some_and(|e| e.as_str() != auth.user.email);
    let changes = user::Changes {
        username: username.map(|u| u.as_str().to_string()),
        email: email.filter(|_| email_changed).map(|e| e.as_str().to_string()),
        role: None,
        is_active: None,
        is_verified: email_changed.then_some(false),
    };
    let txn = database::begin_write(&state.db).await?;
    if let Some(wid) = body.default_workspace_id {
        user::set_default_workspace(&txn, auth.user.id, Some(wid)).await?;
    }
    let updated = user::update(&txn, auth.user.id, changes).await.map_err(or_conflict)?;
    if email_changed {
        // A reset link mailed to the old address must not take over the account.
        user_token::revoke_all(&txn, auth.user.id, Purpose::ResetPassword).await?;
    }
    txn.commit().await?;
    state.forget_sessions(Forget::User(auth.user.id)).await;
    if email_changed {
        verification::send_verification_after_email_change(state, &updated).await?;
    }
    Ok(updated)
}

/// A `Conflict` when `target` is the only active admin left. Run inside the write
/// transaction that demotes, disables or deletes it, so that two admins acting on each other at the same
/// moment cannot both pass: the second waits for the first and then counts again.
async fn ensure_not_last_admin(txn: &DatabaseTransaction, target: &user::Model) -> Result<(), AppError> {
    if target.role == ROLE_ADMIN
        && target.is_active
        && user::lock_active_admins(txn).await?.iter().all(|id| *id == target.id)
    {
        return Err(AppError::conflict("conflict", "This is the last active admin; make another admin first."));
    }
    Ok(())
}

/// Admin changes to an account, guarding the last active admin. Role changes and
/// deactivation end the account's sessions at once.
pub async fn admin_update(
    state: &AppState,
    by: &AuthUser,
    id: i64,
    body: AdminUpdateUser,
) -> Result<user::Model, AppError> {
    let role = body.role.as_deref().map(role_of).transpose()?;
    let txn = database::begin_write(&state.db).await?;
    let target = user::find_by_id(&txn, id).await?.ok_or(AppError::NotFound)?;
    let demoting = role == Some(user::ROLE_USER) && target.role == ROLE_ADMIN;
    let disabling = body.is_active == Some(false) && target.is_active;
    if demoting || disabling {
        ensure_not_last_admin(&txn, &target).await?;
    }
    let role_changed = role.is_some_and(|r| r != target.role);
    let changes = user::Changes {
        username: None,
        email: None,
        role: role.map(str::to_string),
        is_active: body.is_active,
        is_verified: body.is_verified,
    };
    let updated = user::update(&txn, id, changes).await?;
    if role_changed || disabling {
        session::revoke_all_for_user(&txn, id, None).await?;
    }
    txn.commit().await?;
    state.forget_sessions(Forget::User(id)).await;
    let event = |kind: &'static str, detail: String| Event {
        kind,
        user_id: Some(id),
        login: None,
        ip: None,
        detail: Some(detail),
    };
    if role_changed {
        auth_events::record(
            state,
            event("role_change", format!("{} -> {} by admin {}", target.role, updated.role, by.user.id)),
        )
        .await;
    }
    if body.is_active.is_some_and(|a| a != target.is_active) {
        let kind = if updated.is_active { "activation" } else { "deactivation" };
        auth_events::record(state, event(kind, format!("by admin {}", by.user.id))).await;
    }
    if body.unlock == Some(true) {
        lockout::unlock(state, &updated, by).await?;
    }
    Ok(updated)
}

pub async fn admin_delete(state: &AppState, by: &AuthUser, id: i64) -> Result<(), AppError> {
    if id == by.user.id {
        return Err(AppError::conflict("conflict", "You cannot delete your own account."));
    }
    let txn = database::begin_write(&state.db).await?;
    let target = user::find_by_id(&txn, id).await?.ok_or(AppError::NotFound)?;
    ensure_not_last_admin(&txn, &target).await?;
    workspaces::release_sole_ownerships(&txn, id).await?;
    user::delete(&txn, id).await?;
    txn.commit().await?;
    // Workspaces it owned alone are gone, and with them other accounts' defaults.
    state.forget_sessions(Forget::All).await;
    auth_events::record(
        state,
        Event {
            kind: "user_deleted",
            user_id: None,
            login: Some(&target.username),
            ip: None,
            detail: Some(format!("by admin {}", by.user.id)),
        },
    )
    .await;
    Ok(())
}
