//! `/api/v1/public` (docs/API.md, "Surveys and public pages"): what customers use without an
//! account. No cookies are read or set; every route is limited per IP (`PUBLIC_RATE_LIMIT_PER_MINUTE`).

use axum::{
    Router,
    extract::State,
    routing::{get, post},
};
use serde::Deserialize;

use crate::api::{
    error::Answer,
    reply::{created, ok},
};
use crate::schemas::response::FeedbackInput;
use crate::{
    api::extractors::{Client, Json, Path},
    middleware::rate_limit::limit_public_requests,
    schemas::survey::{FormAnswerCreate, FormRead, NameOnly, SurveyAnswer, SurveyAnswerRead, SurveyPageRead},
    services::public::{self, FormAnswer},
    services::state::AppState,
};

pub fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/surveys/{token}", get(get_survey_page).post(answer_survey))
        .route("/unsubscribe/{token}", post(unsubscribe))
        .route("/forms/{slug}", get(get_form).post(answer_form))
        .layer(axum::middleware::from_fn_with_state(state.clone(), limit_public_requests))
}

#[derive(Deserialize)]
pub struct TokenPath {
    token: String,
}

#[derive(Deserialize)]
pub struct SlugPath {
    slug: String,
}

/// The survey a link asks. Records nothing: mail scanners open every link.
#[utoipa::path(get, path = "/api/v1/public/surveys/{token}", tag = "public", params(("token" = String, Path)),
    responses((status = 200, body = SurveyPageRead), (status = 404), (status = 429)))]
pub async fn get_survey_page(
    State(state): State<AppState>,
    Path(TokenPath { token }): Path<TokenPath>,
) -> Answer<SurveyPageRead> {
    let page = public::survey_page(&state.db, &token).await?;
    Ok(ok(SurveyPageRead {
        workspace: NameOnly { name: page.workspace_name },
        customer: NameOnly { name: page.customer_name },
        answered: page.answer.is_some(),
        satisfaction_score: page.answer.as_ref().map(|a| a.satisfaction_score),
        review: page.answer.map(|a| a.review),
    }))
}

/// Answer a survey: 201 the first time; within `SURVEY_EDIT_SECONDS` another answer
/// replaces it (200); later 409 `already_answered`.
#[utoipa::path(post, path = "/api/v1/public/surveys/{token}", tag = "public", params(("token" = String, Path)),
    request_body = SurveyAnswer, responses((status = 201, body = SurveyAnswerRead), (status = 200, body = SurveyAnswerRead),
    (status = 404), (status = 409, description = "`already_answered`"), (status = 422), (status = 429)))]
pub async fn answer_survey(
    State(state): State<AppState>,
    Path(TokenPath { token }): Path<TokenPath>,
    Json(body): Json<SurveyAnswer>,
) -> Answer<SurveyAnswerRead> {
    let (first, answer) = public::answer_survey(&state, &token, &body.input()).await?;
    let read = SurveyAnswerRead { satisfaction_score: answer.satisfaction_score, review: answer.review };
    Ok(if first { created(read) } else { ok(read) })
}

/// Unsubscribe from survey emails (also the RFC 8058 one-click target); idempotent.
#[utoipa::path(post, path = "/api/v1/public/unsubscribe/{token}", tag = "public", params(("token" = String, Path)),
    responses((status = 200), (status = 404), (status = 429)))]
pub async fn unsubscribe(State(state): State<AppState>, Path(TokenPath { token }): Path<TokenPath>) -> Answer<()> {
    public::unsubscribe(&state.db, &token).await?;
    Ok(ok(()))
}

/// A workspace's public feedback form, when it is on.
#[utoipa::path(get, path = "/api/v1/public/forms/{slug}", tag = "public", params(("slug" = String, Path)),
    responses((status = 200, body = FormRead), (status = 404), (status = 429)))]
pub async fn get_form(State(state): State<AppState>, Path(SlugPath { slug }): Path<SlugPath>) -> Answer<FormRead> {
    let workspace = public::form(&state.db, &slug).await?;
    Ok(ok(FormRead { workspace: NameOnly { name: workspace.name } }))
}

/// Answer a workspace's public form: a new customer, or a new response of the customer
/// with that email.
#[utoipa::path(post, path = "/api/v1/public/forms/{slug}", tag = "public", params(("slug" = String, Path)),
    request_body = FormAnswerCreate, responses((status = 201), (status = 404), (status = 422), (status = 429)))]
pub async fn answer_form(
    State(state): State<AppState>,
    Client(client): Client,
    Path(SlugPath { slug }): Path<SlugPath>,
    Json(body): Json<FormAnswerCreate>,
) -> Answer<()> {
    let ip = client.ip.as_deref().and_then(|ip| ip.parse().ok());
    let answer = FormAnswer {
        name: &body.name,
        email: &body.email,
        feedback: FeedbackInput {
            satisfaction_score: Some(&body.satisfaction_score),
            review: body.review.as_deref(),
            feedback_at: None,
        },
        website: body.website.as_deref(),
    };
    public::answer_form(&state, &slug, ip, answer).await?;
    Ok(created(()))
}
