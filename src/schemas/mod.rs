//! Request and response types: the contract's shapes, parsed and validated at the edge.

pub mod analytics;
pub mod api_key;
pub mod auth;
pub mod customer;
pub mod envelope;
pub mod follow_up;
pub mod response;
pub mod survey;
pub mod two_factor;
pub mod user;
pub mod workspace;
