//! One file per table: the SeaORM entity and the queries that touch it.

pub mod user;
