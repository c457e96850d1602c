//! Request and response types: the contract's shapes, parsed and validated at the edge.

pub mod auth;
pub mod envelope;
pub mod fields;
pub mod user;
