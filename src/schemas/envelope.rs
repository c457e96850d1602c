//! The shapes of paged lists and the paging parameters.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::core::error::AppError;

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
    type Error = AppError;

    fn try_from(p: PageParams) -> Result<Self, AppError> {
        let page = p.page.unwrap_or(1);
        let per_page = p.per_page.unwrap_or(DEFAULT_PER_PAGE as i64);
        if page < 1 || per_page < 1 {
            return Err(AppError::bad_request("page and per_page must be 1 or more."));
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
