//! Who a request is: the account and session its token belongs to, and where it came from.

use crate::models::user;

/// Where a request came from, for sessions and the audit trail.
#[derive(Clone, Debug, Default)]
pub struct ClientInfo {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// An authenticated request: the account and the session its token belongs to.
#[derive(Clone, Debug)]
pub struct AuthUser {
    pub user: user::Model,
    pub session_id: i64,
}
