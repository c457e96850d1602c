//! HTTP routers, one per area, and the extractors they share.

pub mod docs;
pub mod extractors;
pub mod health;
pub mod web;
