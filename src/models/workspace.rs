//! The `workspaces` table: one business's data and its settings.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, Set, entity::prelude::*};

use crate::core::database::stmt;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "workspaces")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub slug: String,
    pub public_form_enabled: bool,
    pub low_score_threshold: i16,
    pub require_two_factor: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

pub async fn insert(db: &impl ConnectionTrait, name: &str, slug: &str) -> Result<Model, DbErr> {
    let now = Utc::now();
    ActiveModel {
        name: Set(name.to_string()),
        slug: Set(slug.to_string()),
        public_form_enabled: Set(false),
        low_score_threshold: Set(2),
        require_two_factor: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn find(db: &impl ConnectionTrait, id: i64) -> Result<Option<Model>, DbErr> {
    Entity::find_by_id(id).one(db).await
}

pub async fn find_by_slug(db: &impl ConnectionTrait, slug: &str) -> Result<Option<Model>, DbErr> {
    Entity::find().filter(Column::Slug.eq(slug)).one(db).await
}

pub async fn slug_taken(db: &impl ConnectionTrait, slug: &str) -> Result<bool, DbErr> {
    Ok(Entity::find().filter(Column::Slug.eq(slug)).one(db).await?.is_some())
}

/// What a PATCH changes; `None` leaves a field as it is.
#[derive(Default)]
pub struct Changes {
    pub name: Option<String>,
    pub slug: Option<String>,
    pub public_form_enabled: Option<bool>,
    pub low_score_threshold: Option<i16>,
    pub require_two_factor: Option<bool>,
}

pub async fn update(db: &impl ConnectionTrait, id: i64, changes: Changes) -> Result<Model, DbErr> {
    ActiveModel {
        id: Set(id),
        name: changes.name.map(Set).unwrap_or_default(),
        slug: changes.slug.map(Set).unwrap_or_default(),
        public_form_enabled: changes.public_form_enabled.map(Set).unwrap_or_default(),
        low_score_threshold: changes.low_score_threshold.map(Set).unwrap_or_default(),
        require_two_factor: changes.require_two_factor.map(Set).unwrap_or_default(),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .update(db)
    .await
}

/// Deletes the workspace and, with it, everything it holds (customers, daily counts,
/// memberships, invitations); accounts whose default it was fall back to another of theirs.
pub async fn delete(db: &impl ConnectionTrait, id: i64) -> Result<(), DbErr> {
    for sql in [
        "DELETE FROM daily_stats WHERE workspace_id = $1",
        "DELETE FROM customers WHERE workspace_id = $1",
        "DELETE FROM invitations WHERE workspace_id = $1",
        "DELETE FROM memberships WHERE workspace_id = $1",
        "DELETE FROM workspaces WHERE id = $1",
        "UPDATE users SET default_workspace_id = \
         (SELECT MIN(m.workspace_id) FROM memberships m WHERE m.user_id = users.id) \
         WHERE default_workspace_id = $1",
    ] {
        db.execute_raw(stmt(db, sql, [id.into()])).await?;
    }
    Ok(())
}

/// A workspace with the role of the account asking.
#[derive(Clone, Debug, FromQueryResult)]
pub struct WithRole {
    pub id: i64,
    pub name: String,
    pub slug: String,
    pub public_form_enabled: bool,
    pub low_score_threshold: i16,
    pub require_two_factor: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub role: String,
}

impl WithRole {
    /// The workspace and the role, apart.
    pub fn split(self) -> (Model, String) {
        let workspace = Model {
            id: self.id,
            name: self.name,
            slug: self.slug,
            public_form_enabled: self.public_form_enabled,
            low_score_threshold: self.low_score_threshold,
            require_two_factor: self.require_two_factor,
            created_at: self.created_at,
            updated_at: self.updated_at,
        };
        (workspace, self.role)
    }

    pub fn of(w: Model, role: &str) -> Self {
        Self {
            id: w.id,
            name: w.name,
            slug: w.slug,
            public_form_enabled: w.public_form_enabled,
            low_score_threshold: w.low_score_threshold,
            require_two_factor: w.require_two_factor,
            created_at: w.created_at,
            updated_at: w.updated_at,
            role: role.to_string(),
        }
    }
}

/// The workspace with the account's role in it, in one query; None when it is not a member
/// (or there is no such workspace).
pub async fn find_for_member(db: &impl ConnectionTrait, id: i64, user_id: i64) -> Result<Option<WithRole>, DbErr> {
    WithRole::find_by_statement(stmt(
        db,
        "SELECT w.*, m.role FROM workspaces w JOIN memberships m ON m.workspace_id = w.id \
         WHERE w.id = $1 AND m.user_id = $2",
        [id.into(), user_id.into()],
    ))
    .one(db)
    .await
}

/// The account's workspaces, oldest membership first.
pub async fn list_for_user(db: &impl ConnectionTrait, user_id: i64) -> Result<Vec<WithRole>, DbErr> {
    WithRole::find_by_statement(stmt(
        db,
        "SELECT w.*, m.role FROM workspaces w JOIN memberships m ON m.workspace_id = w.id \
         WHERE m.user_id = $1 ORDER BY m.created_at, w.id",
        [user_id.into()],
    ))
    .all(db)
    .await
}

/// Every workspace's id (for the weekly digest).
pub async fn all_ids(db: &impl ConnectionTrait) -> Result<Vec<i64>, DbErr> {
    let rows = db.query_all_raw(stmt(db, "SELECT id FROM workspaces ORDER BY id", [])).await?;
    rows.iter().map(|r| r.try_get::<i64>("", "id")).collect()
}
