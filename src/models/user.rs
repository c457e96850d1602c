//! The `users` table and the queries that touch it.

use crate::core::database::contains_pattern;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, ExprTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
    entity::prelude::*,
    sea_query::{Expr, Func},
};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub email: String,
    pub username: String,
    pub password_hash: String,
    pub is_active: bool,
    pub is_verified: bool,
    pub failed_attempts: i32,
    pub last_login: Option<DateTime<Utc>>,
    pub role: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The workspace the paths without `{wid}` act on.
    pub default_workspace_id: Option<i64>,
    /// The TOTP secret, sealed with `ENCRYPTION_KEY`; set while two-factor is on.
    pub totp_secret: Option<String>,
    /// A secret set up but not yet confirmed with a code.
    pub totp_pending_secret: Option<String>,
    pub totp_enabled: bool,
    /// The last TOTP time step accepted: it and earlier ones are refused (replay).
    pub totp_last_step: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

pub const ROLE_ADMIN: &str = "admin";
pub const ROLE_USER: &str = "user";

pub struct NewUser<'a> {
    pub username: &'a str,
    pub email: &'a str,
    pub password_hash: String,
    pub role: &'a str,
    pub is_verified: bool,
}

pub async fn insert(db: &impl ConnectionTrait, new: NewUser<'_>) -> Result<Model, DbErr> {
    let now = Utc::now();
    ActiveModel {
        username: Set(new.username.to_string()),
        email: Set(new.email.to_string()),
        password_hash: Set(new.password_hash),
        role: Set(new.role.to_string()),
        is_active: Set(true),
        is_verified: Set(new.is_verified),
        failed_attempts: Set(0),
        last_login: Set(None),
        default_workspace_id: Set(None),
        totp_secret: Set(None),
        totp_pending_secret: Set(None),
        totp_enabled: Set(false),
        totp_last_step: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn find_by_id(db: &impl ConnectionTrait, id: i64) -> Result<Option<Model>, DbErr> {
    Entity::find_by_id(id).one(db).await
}

/// A login name is a username (any case) or an email (stored lowercase).
pub async fn find_by_login(db: &impl ConnectionTrait, login: &str) -> Result<Option<Model>, DbErr> {
    let lower = login.to_lowercase();
    let condition = if lower.contains('@') {
        Column::Email.eq(lower)
    } else {
        ExprTrait::eq(Func::lower(Expr::col(Column::Username)), lower)
    };
    Entity::find().filter(condition).one(db).await
}

pub async fn find_by_email(db: &impl ConnectionTrait, email: &str) -> Result<Option<Model>, DbErr> {
    Entity::find().filter(Column::Email.eq(email.to_lowercase())).one(db).await
}

pub async fn any_active_admin(db: &impl ConnectionTrait) -> Result<bool, DbErr> {
    let found = Entity::find().filter(Column::Role.eq(ROLE_ADMIN)).filter(Column::IsActive.eq(true)).one(db).await?;
    Ok(found.is_some())
}

pub async fn add_failed_attempt(db: &impl ConnectionTrait, id: i64) -> Result<(), DbErr> {
    Entity::update_many()
        .col_expr(Column::FailedAttempts, Expr::col(Column::FailedAttempts).add(1))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// A successful login: stamps `last_login` and clears the failure count.
pub async fn record_login(db: &impl ConnectionTrait, id: i64) -> Result<Model, DbErr> {
    let now = Utc::now();
    ActiveModel { id: Set(id), last_login: Set(Some(now)), failed_attempts: Set(0), ..Default::default() }
        .update(db)
        .await
}

/// Marks the account verified if its email is still the one the token was sent to.
pub async fn mark_verified(db: &impl ConnectionTrait, id: i64, email: &str) -> Result<Option<Model>, DbErr> {
    let result = Entity::update_many()
        .col_expr(Column::IsVerified, Expr::value(true))
        .col_expr(Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(Column::Id.eq(id))
        .filter(Column::Email.eq(email))
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Ok(None);
    }
    find_by_id(db, id).await
}

/// Stores a secret waiting for its first code.
pub async fn set_pending_totp(db: &impl ConnectionTrait, id: i64, sealed: Option<String>) -> Result<(), DbErr> {
    Entity::update_many()
        .col_expr(Column::TotpPendingSecret, Expr::value(sealed))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Turns two-factor on with `sealed`, or off with None.
pub async fn set_totp(
    db: &impl ConnectionTrait,
    id: i64,
    sealed: Option<String>,
    step: Option<i64>,
) -> Result<(), DbErr> {
    Entity::update_many()
        .col_expr(Column::TotpEnabled, Expr::value(sealed.is_some()))
        .col_expr(Column::TotpSecret, Expr::value(sealed))
        .col_expr(Column::TotpPendingSecret, Expr::value(Option::<String>::None))
        .col_expr(Column::TotpLastStep, Expr::value(step))
        .col_expr(Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Records `step` as used, unless it (or a later one) already was: false then, so a code
/// can be accepted once even when two requests race with it.
pub async fn claim_totp_step(db: &impl ConnectionTrait, id: i64, step: i64) -> Result<bool, DbErr> {
    let result = Entity::update_many()
        .col_expr(Column::TotpLastStep, Expr::value(step))
        .filter(Column::Id.eq(id))
        .filter(Condition::any().add(Column::TotpLastStep.is_null()).add(Column::TotpLastStep.lt(step)))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn set_default_workspace(db: &impl ConnectionTrait, id: i64, workspace_id: Option<i64>) -> Result<(), DbErr> {
    Entity::update_many()
        .col_expr(Column::DefaultWorkspaceId, Expr::value(workspace_id))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn set_password(db: &impl ConnectionTrait, id: i64, password_hash: &str) -> Result<(), DbErr> {
    ActiveModel {
        id: Set(id),
        password_hash: Set(password_hash.to_string()),
        failed_attempts: Set(0),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

pub struct ListFilter<'a> {
    pub q: Option<&'a str>,
    pub role: Option<&'a str>,
    pub is_active: Option<bool>,
    pub is_verified: Option<bool>,
}

/// A page of users (oldest first) and the total that match.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: ListFilter<'_>,
    offset: u64,
    limit: u64,
) -> Result<(Vec<Model>, u64), DbErr> {
    let mut condition = Condition::all();
    if let Some(q) = filter.q.map(str::trim).filter(|q| !q.is_empty()) {
        let pattern = contains_pattern(q);
        condition = condition.add(
            Condition::any()
                .add(Expr::expr(Func::lower(Expr::col(Column::Username))).like(pattern.clone()))
                .add(Column::Email.like(pattern)),
        );
    }
    if let Some(role) = filter.role {
        condition = condition.add(Column::Role.eq(role));
    }
    if let Some(active) = filter.is_active {
        condition = condition.add(Column::IsActive.eq(active));
    }
    if let Some(verified) = filter.is_verified {
        condition = condition.add(Column::IsVerified.eq(verified));
    }
    let query = Entity::find().filter(condition);
    let total = query.clone().count(db).await?;
    let items = query.order_by_asc(Column::Id).offset(offset).limit(limit).all(db).await?;
    Ok((items, total))
}

pub struct Changes {
    pub username: Option<String>,
    pub email: Option<String>,
    pub role: Option<String>,
    pub is_active: Option<bool>,
    pub is_verified: Option<bool>,
}

pub async fn update(db: &impl ConnectionTrait, id: i64, changes: Changes) -> Result<Model, DbErr> {
    ActiveModel {
        id: Set(id),
        username: changes.username.map(Set).unwrap_or_default(),
        email: changes.email.map(Set).unwrap_or_default(),
        role: changes.role.map(Set).unwrap_or_default(),
        is_active: changes.is_active.map(Set).unwrap_or_default(),
        is_verified: changes.is_verified.map(Set).unwrap_or_default(),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .update(db)
    .await
}

/// The ids of the active admins, their rows locked until the transaction ends (PostgreSQL;
/// on SQLite a write transaction already excludes every other writer).
pub async fn lock_active_admins(db: &impl ConnectionTrait) -> Result<Vec<i64>, DbErr> {
    Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::Role.eq(ROLE_ADMIN))
        .filter(Column::IsActive.eq(true))
        .lock_exclusive()
        .into_tuple()
        .all(db)
        .await
}

pub async fn delete(db: &impl ConnectionTrait, id: i64) -> Result<u64, DbErr> {
    Ok(Entity::delete_by_id(id).exec(db).await?.rows_affected)
}
