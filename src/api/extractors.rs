//! Input extractors whose rejections answer in the envelope (STYLE.md habit 3).

use axum::extract::{
    FromRequest, FromRequestParts,
    rejection::{JsonRejection, PathRejection, QueryRejection},
};

use crate::core::error::ApiError;

/// `axum::Json`, but malformed JSON is 400 `bad_request`, a wrong content type 415,
/// an oversized body 413 and well-formed JSON of the wrong shape 422.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct Json<T>(pub T);

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct Query<T>(pub T);

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct Path<T>(pub T);

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::JsonDataError(err) => ApiError::field("body", data_error_message(&err.body_text())),
            JsonRejection::MissingJsonContentType(_) => {
                ApiError::UnsupportedMediaType("Send the body as application/json.".into())
            }
            other if other.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge,
            _ => ApiError::bad_request("The request body is not valid JSON."),
        }
    }
}

/// axum prefixes serde's message with its own words; keep serde's part, which names the field.
fn data_error_message(text: &str) -> String {
    text.rsplit_once(": ").map(|(_, m)| m).unwrap_or(text).to_string()
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        ApiError::bad_request(format!("Invalid query string: {}", data_error_message(&rejection.body_text())))
    }
}

impl From<PathRejection> for ApiError {
    fn from(_: PathRejection) -> Self {
        ApiError::NotFound
    }
}
