//! One file per table: the SeaORM entity and the queries that touch it.

pub mod auth_event;
pub mod customer;
pub mod daily_stat;
pub mod login_throttle;
pub mod mail_send;
pub mod session;
pub mod user;
pub mod user_token;
