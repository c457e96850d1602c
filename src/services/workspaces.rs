//! Workspace rules (docs/API.md, "Workspaces and roles"): who may see and change what, slugs,
//! the last-owner guard.

use sea_orm::ConnectionTrait;

use crate::core::error::Checker;
use crate::services::conflicts::or_conflict;
use crate::{
    core::{
        database::{self, Db},
        error::AppError,
    },
    domain::{
        role::Role,
        slug::{parse_name, parse_slug, slug_of},
    },
    models::{
        membership::{self, MemberRow},
        user,
        workspace::{self, WithRole},
    },
    schemas::workspace::WorkspaceUpdate,
};

/// A caller's access to one workspace, as the extractors resolve it.
#[derive(Clone, Debug)]
pub struct Access {
    pub workspace: workspace::Model,
    pub role: Role,
}

impl Access {
    /// The workspace as the caller sees it, with their role.
    pub fn into_view(self) -> WithRole {
        WithRole::of(self.workspace, self.role.as_str())
    }
}

/// The caller's access to workspace `wid`, or to their default workspace when `wid` is
/// None. A workspace the caller is not a member of is `NotFound`, whether or not it exists.
pub async fn resolve(db: &Db, account: &user::Model, wid: Option<i64>) -> Result<Access, AppError> {
    let id = match wid {
        Some(id) => id,
        None => account.default_workspace_id.ok_or_else(|| {
            AppError::refused("forbidden", "You belong to no workspace yet: create one or accept an invitation.")
        })?,
    };
    let (workspace, role) = workspace::find_for_member(db, id, account.id).await?.ok_or(AppError::NotFound)?.split();
    let role = Role::parse(&role).map_err(|e| AppError::Internal(anyhow::anyhow!("stored role: {e}")))?;
    Ok(Access { workspace, role })
}

const SLUG_ATTEMPTS: u32 = 50;

/// Creates a workspace owned by `owner_id`, with a slug derived from the name and made
/// unique with a `-2`, `-3`… suffix; it becomes the owner's default if they had none.
pub async fn create_owned(db: &impl ConnectionTrait, owner: &user::Model, name: &str) -> Result<WithRole, AppError> {
    let name = parse_name(name).map_err(|m| AppError::field("name", m))?;
    let base = slug_of(&name);
    let mut created = None;
    for n in 1..=SLUG_ATTEMPTS {
        let slug = if n == 1 { base.clone() } else { format!("{base}-{n}") };
        if workspace::slug_taken(db, &slug).await? {
            continue;
        }
        created = Some(workspace::insert(db, &name, &slug).await.map_err(or_conflict)?);
        break;
    }
    let created =
        created.ok_or_else(|| AppError::conflict("slug_taken", "Choose another name: its address is taken."))?;
    membership::insert(db, created.id, owner.id, Role::Owner.as_str()).await?;
    if owner.default_workspace_id.is_none() {
        user::set_default_workspace(db, owner.id, Some(created.id)).await?;
    }
    Ok(WithRole::of(created, Role::Owner.as_str()))
}

#[tracing::instrument(skip_all, fields(owner = owner.id))]
pub async fn create(db: &Db, owner: &user::Model, name: &str) -> Result<WithRole, AppError> {
    let txn = database::begin_write(db).await?;
    let created = create_owned(&txn, owner, name).await?;
    txn.commit().await?;
    Ok(created)
}

pub async fn list(db: &Db, user_id: i64) -> Result<Vec<WithRole>, AppError> {
    Ok(workspace::list_for_user(db, user_id).await?)
}

/// Settings need an admin; name and slug need the owner.
#[tracing::instrument(skip_all, fields(workspace_id = access.workspace.id))]
pub async fn update(db: &Db, access: &Access, body: WorkspaceUpdate) -> Result<WithRole, AppError> {
    let mut c = Checker::default();
    let name = body.name.as_deref().map(|n| c.check("name", parse_name(n)));
    let slug = body.slug.as_deref().map(|s| c.check("slug", parse_slug(s)));
    let settings = body.settings.unwrap_or_default();
    if settings.low_score_threshold.is_some_and(|t| !(1..=4).contains(&t)) {
        c.fail("settings.low_score_threshold", "must be from 1 to 4");
    }
    c.finish()?;
    if (name.is_some() || slug.is_some()) && access.role < Role::Owner {
        return Err(AppError::Forbidden);
    }
    let changes = workspace::Changes {
        name: name.flatten(),
        slug: slug.flatten(),
        public_form_enabled: settings.public_form_enabled,
        low_score_threshold: settings.low_score_threshold,
        require_two_factor: settings.require_two_factor,
    };
    let updated = workspace::update(db, access.workspace.id, changes).await.map_err(or_conflict)?;
    Ok(WithRole::of(updated, access.role.as_str()))
}

/// Deletes the workspace and all its data, once its name is typed to confirm.
#[tracing::instrument(skip_all, fields(workspace_id = access.workspace.id))]
pub async fn delete(db: &Db, access: &Access, confirm: &str) -> Result<(), AppError> {
    if confirm != access.workspace.name {
        return Err(AppError::field("confirm", "must be the workspace's name, to confirm"));
    }
    let txn = database::begin_write(db).await?;
    workspace::delete(&txn, access.workspace.id).await?;
    txn.commit().await?;
    Ok(())
}

pub async fn members(db: &Db, workspace_id: i64) -> Result<Vec<MemberRow>, AppError> {
    Ok(membership::list(db, workspace_id).await?)
}

fn last_owner() -> AppError {
    AppError::conflict("conflict", "A workspace needs an owner: make someone else owner first.")
}

/// Changes a member's role. Only an owner grants or takes `owner`; the last owner is never
/// demoted, also when two owners demote each other at the same moment (the owners' rows
/// are locked inside the transaction, so the second waits and counts again).
pub async fn change_role(db: &Db, access: &Access, user_id: i64, role: &str) -> Result<MemberRow, AppError> {
    let new = Role::parse(role).map_err(|m| AppError::field("role", m))?;
    let txn = database::begin_write(db).await?;
    let wid = access.workspace.id;
    let old = membership::role_of(&txn, wid, user_id).await?.ok_or(AppError::NotFound)?;
    let old = Role::parse(&old).map_err(|e| AppError::Internal(anyhow::anyhow!("stored role: {e}")))?;
    if (old == Role::Owner || new == Role::Owner) && access.role < Role::Owner {
        return Err(AppError::Forbidden);
    }
    if old == Role::Owner && new != Role::Owner && membership::lock_owners(&txn, wid).await? == [user_id] {
        return Err(last_owner());
    }
    membership::set_role(&txn, wid, user_id, new.as_str()).await?;
    let member = membership::list(&txn, wid).await?.into_iter().find(|m| m.user_id == user_id);
    txn.commit().await?;
    member.ok_or(AppError::NotFound)
}

/// Removes a member: an admin removes others (an owner only by an owner); anyone may leave.
/// The last owner can do neither.
pub async fn remove_member(db: &Db, access: &Access, caller_id: i64, user_id: i64) -> Result<(), AppError> {
    let leaving = caller_id == user_id;
    if !leaving && access.role < Role::Admin {
        return Err(AppError::Forbidden);
    }
    let txn = database::begin_write(db).await?;
    let wid = access.workspace.id;
    let role = membership::role_of(&txn, wid, user_id).await?.ok_or(AppError::NotFound)?;
    if role == Role::Owner.as_str() {
        if !leaving && access.role < Role::Owner {
            return Err(AppError::Forbidden);
        }
        if membership::lock_owners(&txn, wid).await? == [user_id] {
            return Err(last_owner());
        }
    }
    membership::delete(&txn, wid, user_id).await?;
    txn.commit().await?;
    Ok(())
}

/// Before an account is deleted (inside the deleting transaction): the workspaces it alone
/// owns go with it when nobody else is in them; when others are, the deletion is refused,
/// since they would be left without an owner.
pub async fn release_sole_ownerships(db: &impl ConnectionTrait, user_id: i64) -> Result<(), AppError> {
    for owned in membership::sole_ownerships(db, user_id).await? {
        if owned.members > 1 {
            return Err(AppError::conflict(
                "conflict",
                format!("This account is the last owner of \"{}\": make another member owner first.", owned.name),
            ));
        }
        workspace::delete(db, owned.workspace_id).await?;
    }
    Ok(())
}
