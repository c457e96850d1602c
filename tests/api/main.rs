//! Integration tests: the app on port 0, HTTP in, envelope out. One binary; the database
//! is SQLite unless `TEST_DATABASE_URL` points at PostgreSQL.

mod analytics;
mod api_keys;
mod architecture;
mod auth;
mod cli;
mod closing_the_loop;
mod customers;
mod foundation;
mod hardening;
mod helpers;
mod lockout;
mod migrations;
mod operations;
mod recovery;
mod responses;
mod robustness;
mod session_cache;
mod surveys;
mod two_factor;
mod users;
mod workspaces;
