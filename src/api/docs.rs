//! The OpenAPI document generated from the handlers, and Swagger UI (vendored assets).

use axum::{
    Router,
    extract::{Request, State},
    middleware::{self, Next},
    response::Response,
};
use utoipa::{
    Modify, OpenApi,
    openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme},
};
use utoipa_swagger_ui::SwaggerUi;

use crate::{
    api::health,
    core::{error::ApiError, state::AppState},
};

#[derive(OpenApi)]
#[openapi(
    info(title = "Pulse API", description = "Customer-satisfaction dashboard. Every answer is an envelope: \
        `{\"ok\": true, \"data\": …}` or `{\"ok\": false, \"error\": {code, message, fields?, request_id}}`."),
    paths(health::live, health::ready),
    modifiers(&SecuritySchemes),
    tags((name = "health", description = "Liveness and readiness"))
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

/// `/api/docs` and `/api/openapi.json`: open in development; in production only when
/// `DOCS_ENABLED=true`, and then for admins.
pub fn router(state: &AppState) -> Router<AppState> {
    let docs: Router<AppState> = SwaggerUi::new("/api/docs").url("/api/openapi.json", ApiDoc::openapi()).into();
    docs.layer(middleware::from_fn_with_state(state.clone(), guard))
}

async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Result<Response, ApiError> {
    if !state.settings.docs_enabled {
        return Err(ApiError::NotFound);
    }
    if state.settings.is_production() {
        // Admin-only in production; authentication arrives with the auth module.
        return Err(ApiError::Unauthorized);
    }
    Ok(next.run(req).await)
}
