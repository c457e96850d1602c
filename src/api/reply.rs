//! The success side of the envelope: `{"ok": true, "data": …}` with its status.

use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde::Serialize;

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
