//! Users, sessions with their refresh tokens, single-use tokens, login throttles,
//! mail counters, auth events and customers.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    Username,
    PasswordHash,
    IsActive,
    IsVerified,
    FailedAttempts,
    LastLogin,
    Role,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    UserId,
    CreatedAt,
    LastUsedAt,
    ExpiresAt,
    RevokedAt,
    UserAgent,
    Ip,
}

#[derive(DeriveIden)]
enum RefreshTokens {
    Table,
    Id,
    SessionId,
    TokenHash,
    CreatedAt,
    RotatedAt,
}

#[derive(DeriveIden)]
enum UserTokens {
    Table,
    Id,
    UserId,
    Purpose,
    TokenHash,
    Email,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum LoginThrottles {
    Table,
    LoginKey,
    Attempts,
    WindowStartedAt,
    LockedUntil,
}

#[derive(DeriveIden)]
enum MailSends {
    Table,
    Id,
    Address,
    SentAt,
}

#[derive(DeriveIden)]
enum AuthEvents {
    Table,
    Id,
    UserId,
    Kind,
    Login,
    Ip,
    Detail,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Customers {
    Table,
    Id,
    Name,
    Email,
    Review,
    SatisfactionScore,
    Sentiment,
    FeedbackAt,
    CreatedAt,
    UpdatedAt,
}

fn now_tz<T: IntoIden>(col: T) -> ColumnDef {
    timestamp_with_time_zone(col)
}

fn index(name: &str, table: impl IntoIden, cols: &[&'static str]) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(name).table(table);
    for c in cols {
        stmt.col(Alias::new(*c));
    }
    stmt.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(big_pk_auto(Users::Id))
                    .col(string_uniq(Users::Email))
                    .col(string(Users::Username))
                    .col(string(Users::PasswordHash))
                    .col(boolean(Users::IsActive).default(true))
                    .col(boolean(Users::IsVerified).default(false))
                    .col(integer(Users::FailedAttempts).default(0))
                    .col(timestamp_with_time_zone_null(Users::LastLogin))
                    .col(string(Users::Role).default("user"))
                    .col(now_tz(Users::CreatedAt))
                    .col(now_tz(Users::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        // Usernames are unique whatever their case; both databases index the expression.
        manager
            .get_connection()
            .execute_unprepared("CREATE UNIQUE INDEX ux_users_username_lower ON users (lower(username))")
            .await?;
        manager.create_index(index("ix_users_role", Users::Table, &["role", "is_active"])).await?;

        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(big_pk_auto(Sessions::Id))
                    .col(big_integer(Sessions::UserId))
                    .col(now_tz(Sessions::CreatedAt))
                    .col(now_tz(Sessions::LastUsedAt))
                    .col(now_tz(Sessions::ExpiresAt))
                    .col(timestamp_with_time_zone_null(Sessions::RevokedAt))
                    .col(string_null(Sessions::UserAgent))
                    .col(string_null(Sessions::Ip))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Sessions::Table, Sessions::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("ix_sessions_user", Sessions::Table, &["user_id"])).await?;

        manager
            .create_table(
                Table::create()
                    .table(RefreshTokens::Table)
                    .col(big_pk_auto(RefreshTokens::Id))
                    .col(big_integer(RefreshTokens::SessionId))
                    .col(string_uniq(RefreshTokens::TokenHash))
                    .col(now_tz(RefreshTokens::CreatedAt))
                    .col(timestamp_with_time_zone_null(RefreshTokens::RotatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(RefreshTokens::Table, RefreshTokens::SessionId)
                            .to(Sessions::Table, Sessions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("ix_refresh_tokens_session", RefreshTokens::Table, &["session_id"])).await?;

        manager
            .create_table(
                Table::create()
                    .table(UserTokens::Table)
                    .col(big_pk_auto(UserTokens::Id))
                    .col(big_integer(UserTokens::UserId))
                    .col(string(UserTokens::Purpose))
                    .col(string_uniq(UserTokens::TokenHash))
                    .col(string(UserTokens::Email))
                    .col(now_tz(UserTokens::CreatedAt))
                    .col(now_tz(UserTokens::ExpiresAt))
                    .col(timestamp_with_time_zone_null(UserTokens::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(UserTokens::Table, UserTokens::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("ix_user_tokens_user", UserTokens::Table, &["user_id", "purpose"])).await?;

        manager
            .create_table(
                Table::create()
                    .table(LoginThrottles::Table)
                    .col(string(LoginThrottles::LoginKey).primary_key())
                    .col(integer(LoginThrottles::Attempts))
                    .col(now_tz(LoginThrottles::WindowStartedAt))
                    .col(timestamp_with_time_zone_null(LoginThrottles::LockedUntil))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(MailSends::Table)
                    .col(big_pk_auto(MailSends::Id))
                    .col(string(MailSends::Address))
                    .col(now_tz(MailSends::SentAt))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("ix_mail_sends_address", MailSends::Table, &["address", "sent_at"])).await?;

        manager
            .create_table(
                Table::create()
                    .table(AuthEvents::Table)
                    .col(big_pk_auto(AuthEvents::Id))
                    .col(big_integer_null(AuthEvents::UserId))
                    .col(string(AuthEvents::Kind))
                    .col(string_null(AuthEvents::Login))
                    .col(string_null(AuthEvents::Ip))
                    .col(text_null(AuthEvents::Detail))
                    .col(now_tz(AuthEvents::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AuthEvents::Table, AuthEvents::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("ix_auth_events_user", AuthEvents::Table, &["user_id", "created_at"])).await?;

        // feedback_at is Unix seconds: range filters and day buckets are plain integer
        // arithmetic, the same on SQLite and PostgreSQL.
        manager
            .create_table(
                Table::create()
                    .table(Customers::Table)
                    .col(big_pk_auto(Customers::Id))
                    .col(string(Customers::Name))
                    .col(string_uniq(Customers::Email))
                    .col(text(Customers::Review).default(""))
                    .col(small_integer(Customers::SatisfactionScore))
                    .col(double(Customers::Sentiment).default(0.0))
                    .col(big_integer(Customers::FeedbackAt))
                    .col(now_tz(Customers::CreatedAt))
                    .col(now_tz(Customers::UpdatedAt))
                    .check(Expr::col(Customers::SatisfactionScore).between(1, 5))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("ix_customers_feedback_at", &["feedback_at"][..]),
            ("ix_customers_score", &["satisfaction_score", "feedback_at"]),
            ("ix_customers_sentiment", &["sentiment"]),
            ("ix_customers_name", &["name"]),
        ] {
            manager.create_index(index(name, Customers::Table, cols)).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "customers",
            "auth_events",
            "mail_sends",
            "login_throttles",
            "user_tokens",
            "refresh_tokens",
            "sessions",
            "users",
        ] {
            manager.drop_table(Table::drop().table(Alias::new(table)).to_owned()).await?;
        }
        Ok(())
    }
}
