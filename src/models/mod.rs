//! One file per table: the SeaORM entity and the queries that touch it.

pub mod api_key;
pub mod audit;
pub mod auth_event;
pub mod customer;
pub mod customer_import;
pub mod daily_stat;
pub mod follow_up;
pub mod invitation;
pub mod job;
pub mod latest_response;
pub mod login_throttle;
pub mod mail_send;
pub mod membership;
pub mod notification;
pub mod recovery_code;
pub mod response;
pub mod schedule;
pub mod session;
pub mod survey;
pub mod user;
pub mod user_token;
pub mod webhook;
pub mod workspace;
