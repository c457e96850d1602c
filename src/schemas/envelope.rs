//! The success side of the envelope: `{"ok": true, "data": …}` and paginated lists.

use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::core::error::ApiError;

/// A successful answer: the payload wrapped in the envelope, with its status.
pub struct Reply<T>(pub StatusCode, pub T);

pub fn ok<T: Serialize>(data: T) -> Reply<T> {
    Reply(StatusCode::OK, data)
}

pub fn created<T: Serialize>(data: T) -> Reply<T> {
    Reply(StatusCode::CREATED, data)
}

pub fn accepted() -> Reply<()> {
    Reply(StatusCode::ACCEPTED, ())
}

#[derive(Serialize)]
struct Body<'a, T> {
    ok: bool,
    data: &'a T,
}

impl<T: Serialize> IntoResponse for Reply<T> {
    fn into_response(self) -> Response {
        (self.0, Json(Body { ok: true, data: &self.1 })).into_response()
    }
}

/// `?page&per_page` as the contract defines them: page from 1, per_page 50 by default,
/// clamped to 500; values below 1 are a 400.
#[derive(Clone, Copy, Debug, Deserialize, IntoParams)]
pub struct PageParams {
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

pub const DEFAULT_PER_PAGE: u64 = 50;
pub const MAX_PER_PAGE: u64 = 500;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    pub page: u64,
    pub per_page: u64,
}

impl Page {
    pub fn offset(&self) -> u64 {
        // Databases take offsets up to i64::MAX; a page past that is past the data anyway.
        (self.page - 1).saturating_mul(self.per_page).min(i64::MAX as u64)
    }
}

impl TryFrom<PageParams> for Page {
    type Error = ApiError;

    fn try_from(p: PageParams) -> Result<Self, ApiError> {
        let page = p.page.unwrap_or(1);
        let per_page = p.per_page.unwrap_or(DEFAULT_PER_PAGE as i64);
        if page < 1 || per_page < 1 {
            return Err(ApiError::bad_request("page and per_page must be 1 or more."));
        }
        Ok(Page { page: page as u64, per_page: (per_page as u64).min(MAX_PER_PAGE) })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Paginated<T> {
    pub items: Vec<T>,
    pub page: u64,
    pub per_page: u64,
    pub total: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Items<T> {
    pub items: Vec<T>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_follow_the_contract() {
        let page = |p, pp| Page::try_from(PageParams { page: p, per_page: pp });
        assert_eq!(page(None, None).unwrap(), Page { page: 1, per_page: 50 });
        assert_eq!(page(Some(3), Some(10_000)).unwrap(), Page { page: 3, per_page: 500 });
        assert_eq!(page(Some(3), Some(20)).unwrap().offset(), 40);
        assert!(page(Some(0), None).is_err());
        assert!(page(None, Some(0)).is_err());
        assert!(page(Some(-1), None).is_err());
    }
}
