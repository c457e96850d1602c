//! Gives every request an id, a tracing span and one log line, and turns every error
//! response (ours or a layer's) into the contract's envelope carrying that id.

use std::time::Instant;

use axum::{
    body::Body,
    extract::{MatchedPath, Request},
    http::{HeaderValue, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use tracing::Instrument;

use crate::api::error::{ApiError, ErrorPayload};

pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// Gives the request its id (a ULID, in `X-Request-Id` and every log line) and span.
pub async fn request_context(req: Request, next: Next) -> Response {
    let id = ulid::Ulid::new().to_string();
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "<unmatched>".to_owned());
    let span = tracing::info_span!("request", request_id = %id, method = %method, route = %route);
    let started = Instant::now();

    let response = crate::core::cancel::scope(next.run(req)).instrument(span.clone()).await;
    let mut response = into_envelope(response, &id);

    response
        .headers_mut()
        .insert(REQUEST_ID_HEADER, HeaderValue::from_str(&id).expect("a ULID is a valid header value"));
    let status = response.status().as_u16();
    let elapsed = started.elapsed().as_secs_f64();
    crate::middleware::metrics::record_request(&method, &route, status, elapsed);
    let latency_ms = elapsed * 1000.0;
    span.in_scope(|| {
        if status >= 500 {
            tracing::error!(status, latency_ms, "request failed");
        } else {
            tracing::info!(status, latency_ms, "request");
        }
    });
    response
}

/// Error responses get the envelope with the request id; bare error statuses from layers
/// (404 fallbacks, 405, 413) are mapped to their contract code first.
fn into_envelope(response: Response, request_id: &str) -> Response {
    let status = response.status();
    let payload = match response.extensions().get::<ErrorPayload>() {
        Some(payload) => payload.clone(),
        None if status.is_client_error() || status.is_server_error() => {
            if is_json(&response) {
                return response;
            }
            let rebuilt = ApiError::from_status(status).into_response();
            return into_envelope(copy_retry_after(&response, rebuilt), request_id);
        }
        None => return response,
    };
    let body = serde_json::json!({
        "ok": false,
        "error": {
            "code": payload.code,
            "message": payload.message,
            "fields": payload.fields,
            "request_id": request_id,
        }
    });
    let mut body = body;
    if payload.fields.is_none() {
        body["error"].as_object_mut().expect("error is an object").remove("fields");
    }
    let (mut parts, _) = response.into_parts();
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(body.to_string()))
}

fn is_json(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

fn copy_retry_after(from: &Response, mut to: Response) -> Response {
    if let Some(v) = from.headers().get(header::RETRY_AFTER) {
        to.headers_mut().insert(header::RETRY_AFTER, v.clone());
    }
    to
}
