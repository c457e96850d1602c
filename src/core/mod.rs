//! Foundations: configuration, database, security primitives, errors, logging.

pub mod cancel;
pub mod config;
pub mod crypto;
pub mod database;
pub mod error;
pub mod key_file;
pub mod limiter;
pub mod password;
pub mod security;
pub mod telemetry;
pub mod write_txn;
