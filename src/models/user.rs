//! The `users` table and the queries that touch it.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, ExprTrait, QueryFilter, Set,
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
