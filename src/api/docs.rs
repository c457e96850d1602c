//! The OpenAPI document generated from the handlers, and Swagger UI (vendored assets).

use std::sync::LazyLock;

use axum::{
    Router,
    extract::{FromRequestParts, Request, State},
    http::header,
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::get,
};
use serde_json::{Value, json};
use utoipa::{
    Modify, OpenApi,
    openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme},
};
use utoipa_swagger_ui::{Config, SwaggerUi};

use crate::api::error::ApiError;
use crate::core::error::AppError;
use crate::{
    api::{
        analytics, audit, auth, customers, extractors::AdminUser, follow_ups, health, notifications, public, responses,
        surveys, users, webhooks, workspaces,
    },
    services::state::AppState,
};

#[derive(OpenApi)]
#[openapi(
    info(title = "Pulse API", description = "Customer-satisfaction dashboard. Every answer is an envelope: \
        `{\"ok\": true, \"data\": …}` or `{\"ok\": false, \"error\": {code, message, fields?, request_id}}`."),
    paths(
        health::live, health::ready,
        auth::signup, auth::login, auth::refresh, auth::logout, auth::logout_all, auth::verify_email,
        auth::resend_verification, auth::forgot_password, auth::reset_password, auth::change_password,
        auth::list_sessions, auth::revoke_session,
        users::get_me, users::update_me, users::list_users, users::get_user, users::update_user, users::delete_user,
        customers::list_customers, customers::create_customer, customers::get_customer, customers::update_customer,
        customers::delete_customer, customers::import_customers, customers::export_customers, customers::sample_csv,
        analytics::summary, analytics::trends, analytics::distribution, analytics::keywords,
        workspaces::list_workspaces, workspaces::create_workspace, workspaces::get_workspace,
        workspaces::update_workspace, workspaces::delete_workspace, workspaces::list_members,
        workspaces::update_member, workspaces::remove_member, workspaces::list_invitations,
        workspaces::create_invitation, workspaces::resend_invitation, workspaces::revoke_invitation,
        workspaces::preview_invitation, workspaces::accept_invitation,
        workspaces::list_api_keys, workspaces::create_api_key, workspaces::revoke_api_key,
        auth::login_second_factor, auth::two_factor_setup, auth::two_factor_enable, auth::two_factor_disable,
        auth::two_factor_recovery_codes,
        responses::list_responses, responses::add_response, responses::correct_response, responses::delete_response,
        surveys::create_survey, surveys::list_surveys, surveys::get_survey,
        public::get_survey_page, public::answer_survey, public::unsubscribe, public::get_form, public::answer_form,
        follow_ups::list_follow_ups, follow_ups::update_follow_up, follow_ups::follow_up_stats,
        notifications::get_my_notifications, notifications::put_my_notifications, notifications::preview_digest,
        webhooks::list_webhooks, webhooks::create_webhook, webhooks::update_webhook, webhooks::delete_webhook,
        webhooks::test_webhook, webhooks::list_deliveries, audit::list_audit,
    ),
    components(schemas(crate::services::csv_import::OnConflict, crate::domain::feedback_at::DateOrder)),
    modifiers(&SecuritySchemes, &WorkspacePaths, &Envelopes),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "auth", description = "Accounts, sessions and tokens"),
        (name = "users", description = "Profiles and user administration"),
        (name = "customers", description = "Customers and their feedback; CSV import and export"),
        (name = "analytics", description = "Satisfaction figures over the filtered customers"),
        (name = "workspaces", description = "Workspaces, members and invitations"),
        (name = "surveys", description = "Asking customers for feedback by email"),
        (name = "public", description = "The pages customers use without an account"),
        (name = "follow-ups", description = "Low scores someone acts on"),
        (name = "notifications", description = "Alerts and the weekly digest"),
        (name = "webhooks", description = "Signed event deliveries (Standard Webhooks)"),
        (name = "audit", description = "Who did what, append-only"),
    )
)]
pub struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
        );
        components
            .add_security_scheme("cookie", SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("access_token"))));
    }
}

/// The customer and analytics routes act on the caller's default workspace; the same
/// handlers serve them under `/api/v1/workspaces/{wid}` for any workspace of the caller's.
/// Each such path is documented twice, the second time with the `wid` parameter.
struct WorkspacePaths;

impl Modify for WorkspacePaths {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let mut doc = serde_json::to_value(&*openapi).expect("the OpenAPI document serializes");
        let wid = json!({"name": "wid", "in": "path", "required": true,
                         "description": "The workspace's id.", "schema": {"type": "integer", "format": "int64"}});
        let paths = doc["paths"].as_object_mut().expect("paths");
        let scoped: Vec<(String, Value)> = paths
            .iter()
            .filter(|(path, _)| {
                ["/api/v1/customers", "/api/v1/analytics", "/api/v1/responses"].iter().any(|p| path.starts_with(p))
            })
            .filter(|(path, _)| path.as_str() != "/api/v1/customers/sample.csv")
            .map(|(path, item)| {
                let mut item = item.clone();
                for operation in item.as_object_mut().into_iter().flat_map(|ops| ops.values_mut()) {
                    if let Some(id) = operation.get("operationId").and_then(Value::as_str) {
                        operation["operationId"] = json!(format!("{id}_in_workspace"));
                    }
                    let params =
                        operation.as_object_mut().expect("an operation").entry("parameters").or_insert(json!([]));
                    params.as_array_mut().expect("parameters").insert(0, wid.clone());
                }
                (path.replacen("/api/v1/", "/api/v1/workspaces/{wid}/", 1), item)
            })
            .collect();
        paths.extend(scoped);
        *openapi = serde_json::from_value(doc).expect("the document is still OpenAPI");
    }
}

/// The handlers document their payload; the server wraps every JSON answer in the envelope
/// (docs/API.md, "Envelope"), so the document does too: a JSON success becomes `{ok: true, data: <payload>}`,
/// a success without a body `{ok: true, data: null}`, and every 4xx/5xx the `ErrorEnvelope`.
struct Envelopes;

impl Modify for Envelopes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let mut doc = serde_json::to_value(&*openapi).expect("the OpenAPI document serializes");
        doc["components"]["schemas"]["ErrorEnvelope"] = error_envelope();
        for item in doc["paths"].as_object_mut().into_iter().flat_map(|paths| paths.values_mut()) {
            for operation in item.as_object_mut().into_iter().flat_map(|ops| ops.values_mut()) {
                let Some(responses) = operation.get_mut("responses").and_then(Value::as_object_mut) else { continue };
                for (status, response) in responses.iter_mut() {
                    wrap(status, response);
                }
            }
        }
        *openapi = serde_json::from_value(doc).expect("the enveloped document is still OpenAPI");
    }
}

fn wrap(status: &str, response: &mut Value) {
    if response.get("description").is_none() {
        let reason = status.parse().ok().and_then(|s| axum::http::StatusCode::from_u16(s).ok());
        response["description"] = json!(reason.and_then(|s| s.canonical_reason()).unwrap_or("Answer"));
    }
    let schema = if status.starts_with('2') {
        let data = match response.pointer("/content/application~1json/schema") {
            Some(payload) => payload.clone(),
            None if response.get("content").is_some() => return, // CSV and other non-JSON bodies
            None => json!({"type": "null"}),
        };
        json!({"type": "object", "required": ["ok", "data"],
               "properties": {"ok": {"type": "boolean", "enum": [true]}, "data": data}})
    } else {
        json!({"$ref": "#/components/schemas/ErrorEnvelope"})
    };
    response["content"] = json!({"application/json": {"schema": schema}});
}

fn error_envelope() -> Value {
    json!({
        "type": "object",
        "required": ["ok", "error"],
        "properties": {
            "ok": {"type": "boolean", "enum": [false]},
            "error": {
                "type": "object",
                "required": ["code", "message", "request_id"],
                "properties": {
                    "code": {"type": "string", "description": "Stable machine-readable code."},
                    "message": {"type": "string"},
                    "fields": {"type": "object", "description": "On 422: the rules each input broke.",
                               "additionalProperties": {"type": "array", "items": {"type": "string"}}},
                    "request_id": {"type": "string", "description": "Also in the `X-Request-Id` header."},
                },
            },
        },
    })
}

/// The document as pretty JSON, for `pulse openapi` (the web UI generates its types from it).
pub fn openapi_json() -> String {
    ApiDoc::openapi().to_pretty_json().expect("the OpenAPI document serializes")
}

/// `/api/docs` and `/api/openapi.json`: open in development; in production only when
/// `DOCS_ENABLED=true`, and then for admins.
pub fn router(state: &AppState) -> Router<AppState> {
    let ui: Router<AppState> = SwaggerUi::new("/api/docs").config(Config::new([OPENAPI_PATH])).into();
    ui.route(OPENAPI_PATH, get(openapi)).layer(middleware::from_fn_with_state(state.clone(), guard))
}

const OPENAPI_PATH: &str = "/api/openapi.json";

/// Built on the first request rather than at start: generating the document took ~10 ms
/// of a cold start that has 100.
static OPENAPI: LazyLock<String> =
    LazyLock::new(|| serde_json::to_string(&ApiDoc::openapi()).expect("the OpenAPI document serializes"));

async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI.as_str())
}

async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Result<Response, ApiError> {
    if !state.settings.docs_enabled {
        return Err(AppError::NotFound.into());
    }
    if state.settings.is_production() {
        let (mut parts, body) = req.into_parts();
        AdminUser::from_request_parts(&mut parts, &state).await?;
        return Ok(next.run(Request::from_parts(parts, body)).await);
    }
    Ok(next.run(req).await)
}

#[cfg(test)]
mod tests {
    use crate::{
        domain::{
            fields::{CustomerName, Review},
            slug,
        },
        services::{follow_ups, surveys},
    };

    /// The UI reads these bounds from the document (web/src/api/limits.ts), so the
    /// document must state what the parsers enforce.
    #[test]
    fn the_documented_length_limits_are_the_enforced_ones() {
        let doc: serde_json::Value = serde_json::from_str(&super::openapi_json()).unwrap();
        let max = |schema: &str, field: &str| {
            doc["components"]["schemas"][schema]["properties"][field]["maxLength"]
                .as_u64()
                .unwrap_or_else(|| panic!("{schema}.{field} has no maxLength")) as usize
        };
        for schema in ["CustomerCreate", "CustomerUpdate", "FormAnswerCreate"] {
            assert_eq!(max(schema, "name"), CustomerName::MAX_CHARS, "{schema}.name");
        }
        for schema in
            ["CustomerCreate", "CustomerUpdate", "ResponseCreate", "ResponseUpdate", "SurveyAnswer", "FormAnswerCreate"]
        {
            assert_eq!(max(schema, "review"), Review::MAX_CHARS, "{schema}.review");
        }
        for schema in ["WorkspaceCreate", "WorkspaceUpdate", "ApiKeyCreate"] {
            assert_eq!(max(schema, "name"), slug::MAX_NAME_CHARS, "{schema}.name");
        }
        assert_eq!(max("WorkspaceUpdate", "slug"), slug::MAX_SLUG_CHARS);
        assert_eq!(max("SurveyCreate", "message"), surveys::MAX_MESSAGE_CHARS);
        assert_eq!(max("FollowUpUpdate", "note"), follow_ups::MAX_NOTE_CHARS);
    }
}
