//! `/api/v1/customers`, also under `/workspaces/{wid}`: docs/API.md, "Customers and responses" and
//! "CSV import".

use std::time::Duration;

use axum::{
    RequestExt, Router,
    body::Body,
    extract::{DefaultBodyLimit, FromRequest, Multipart, Request, State},
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use futures::StreamExt;
use serde::Deserialize;
use serde_json::json;
use tokio::io::{AsyncSeekExt, AsyncWriteExt};
use utoipa::IntoParams;

use crate::api::{
    error::{Answer, ApiError},
    reply::{created, ok},
};
use crate::core::error::AppError;
use crate::{
    api::{
        extractors::{IdPath, Json, Member, Path, Query, Viewer, WorkspaceData},
        responses,
    },
    domain::feedback_at::DateOrder,
    schemas::{
        customer::{CustomerCreate, CustomerRead, CustomerUpdate, FilterParams, ListParams, parse_sort},
        envelope::{Page, PageParams, Paginated},
    },
    services::state::AppState,
    services::{
        audit::{self, Target},
        csv_import::{self, ImportOptions, ImportReport, OnConflict},
        customers, export,
    },
};

pub fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/", get(list_customers).post(create_customer))
        .route("/import", post(import_customers).layer(DefaultBodyLimit::max(state.settings.max_upload_bytes)))
        .route("/export", get(export_customers))
        .route("/sample.csv", get(sample_csv))
        .route("/{id}", get(get_customer).patch(update_customer).delete(delete_customer))
        .route("/{id}/responses", get(responses::list_responses).post(responses::add_response))
}

/// Customers matching the filters, sorted and paginated.
#[utoipa::path(get, path = "/api/v1/customers", tag = "customers", params(ListParams, FilterParams),
    responses((status = 200, body = Paginated<CustomerRead>), (status = 400), (status = 403)))]
pub async fn list_customers(
    State(state): State<AppState>,
    ws: WorkspaceData<Viewer>,
    Query(list): Query<ListParams>,
    Query(filters): Query<FilterParams>,
) -> Answer<Paginated<CustomerRead>> {
    let page = Page::try_from(PageParams { page: list.page, per_page: list.per_page })?;
    let filter = filters.filter(ws.id())?;
    let sort = parse_sort(list.sort.as_deref())?;
    let (items, total) = customers::list(&state.db, &filter, sort, page).await?;
    Ok(ok(Paginated {
        items: items.into_iter().map(Into::into).collect(),
        page: page.page,
        per_page: page.per_page,
        total,
    }))
}

/// Add a customer; its review's sentiment is computed.
#[utoipa::path(post, path = "/api/v1/customers", tag = "customers", request_body = CustomerCreate,
    responses((status = 201, body = CustomerRead), (status = 409, description = "`email_taken`"), (status = 422)))]
pub async fn create_customer(
    State(state): State<AppState>,
    ws: WorkspaceData<Member>,
    Json(body): Json<CustomerCreate>,
) -> Answer<CustomerRead> {
    Ok(created(customers::create(&state.db, ws.id(), body, ws.source()).await?.into()))
}

#[utoipa::path(get, path = "/api/v1/customers/{id}", tag = "customers", params(("id" = i64, Path)),
    responses((status = 200, body = CustomerRead), (status = 404)))]
pub async fn get_customer(
    State(state): State<AppState>,
    ws: WorkspaceData<Viewer>,
    Path(IdPath { id }): Path<IdPath>,
) -> Answer<CustomerRead> {
    Ok(ok(customers::get(&state.db, ws.id(), id).await?.into()))
}

#[utoipa::path(patch, path = "/api/v1/customers/{id}", tag = "customers", params(("id" = i64, Path)),
    request_body = CustomerUpdate, responses((status = 200, body = CustomerRead), (status = 404), (status = 409), (status = 422)))]
pub async fn update_customer(
    State(state): State<AppState>,
    ws: WorkspaceData<Member>,
    Path(IdPath { id }): Path<IdPath>,
    Json(body): Json<CustomerUpdate>,
) -> Answer<CustomerRead> {
    Ok(ok(customers::update(&state.db, ws.id(), id, body).await?.into()))
}

#[utoipa::path(delete, path = "/api/v1/customers/{id}", tag = "customers", params(("id" = i64, Path)),
    responses((status = 200), (status = 404)))]
pub async fn delete_customer(
    State(state): State<AppState>,
    ws: WorkspaceData<Member>,
    Path(IdPath { id }): Path<IdPath>,
) -> Answer<()> {
    let gone = customers::delete(&state.db, ws.id(), id).await?;
    let target = Target { kind: "customer", id: Some(id), name: &gone.email };
    audit::record(&state.db, ws.id(), &ws.actor, "customer.deleted", target, json!({"name": gone.name})).await;
    Ok(ok(()))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ImportParams {
    /// `skip` (default) keeps existing customers; `update` corrects their latest response;
    /// `append` adds the row as a new response (an identical one is skipped).
    pub on_conflict: Option<OnConflict>,
    /// `true` checks everything and writes nothing.
    pub dry_run: Option<bool>,
    /// How to read dates like 31/12/2025 (`dmy`) or 12/31/2025 (`mdy`).
    #[param(value_type = Option<DateOrder>)]
    pub date_format: Option<DateOrder>,
}

/// Import customers from CSV: multipart field `file`, or a `text/csv` body.
#[utoipa::path(post, path = "/api/v1/customers/import", tag = "customers", params(ImportParams),
    request_body(content = String, content_type = "text/csv", description = "CSV with a header row; or multipart/form-data with field `file`"),
    responses((status = 200, body = ImportReport), (status = 400, description = "not text CSV, or the upload stalled"),
              (status = 413), (status = 415), (status = 422, description = "empty file or missing columns: `fields.file`"),
              (status = 503, description = "the database is busy: `unavailable` with `Retry-After`")))]
pub async fn import_customers(
    State(state): State<AppState>,
    ws: WorkspaceData<Member>,
    Query(params): Query<ImportParams>,
    request: Request,
) -> Answer<ImportReport> {
    let options = ImportOptions {
        on_conflict: params.on_conflict.unwrap_or_default(),
        dry_run: params.dry_run.unwrap_or(false),
        date_order: params.date_format,
    };
    let content_type = request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    // The whole upload is received into a temporary file before the import begins: the
    // import holds the database's write lock, which must never wait on a slow client.
    let spooled = spool_upload(request, &essence, state.settings.upload_idle_timeout).await?;
    let report = csv_import::import(&state.db, ws.id(), spooled, options, Some(&ws.actor)).await?;
    let tidy_up = report.tidy_up(&state.db, options.dry_run);
    state.spawn_background(async move {
        tidy_up.await;
        Ok::<_, std::convert::Infallible>(())
    });
    Ok(ok(report))
}

/// Writes the upload's CSV bytes, from the multipart field `file` or the whole body, to an
/// anonymous temporary file and returns it rewound. An upload that sends nothing for
/// `idle` is dropped.
async fn spool_upload(request: Request, essence: &str, idle: Duration) -> Result<tokio::fs::File, ApiError> {
    let file = tokio::task::spawn_blocking(tempfile::tempfile)
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("creating the upload's temporary file")))?;
    let mut out = tokio::io::BufWriter::with_capacity(256 * 1024, tokio::fs::File::from_std(file));
    let stalled =
        || AppError::bad_request(format!("The upload stalled: nothing arrived for {} seconds.", idle.as_secs()));
    match essence {
        "multipart/form-data" => {
            let mut multipart =
                Multipart::from_request(request, &()).await.map_err(|e| AppError::bad_request(e.body_text()))?;
            let mut found = false;
            while let Some(mut field) = tokio::time::timeout(idle, multipart.next_field())
                .await
                .map_err(|_| stalled())?
                .map_err(multipart_error)?
            {
                if field.name() != Some("file") {
                    continue;
                }
                found = true;
                while let Some(chunk) =
                    tokio::time::timeout(idle, field.chunk()).await.map_err(|_| stalled())?.map_err(multipart_error)?
                {
                    out.write_all(&chunk).await.map_err(spool_error)?;
                }
                break;
            }
            if !found {
                return Err(AppError::field("file", "is missing: send the CSV in the multipart field `file`").into());
            }
        }
        "text/csv" | "application/csv" | "text/plain" => {
            let mut body = request.with_limited_body().into_body().into_data_stream();
            while let Some(chunk) = tokio::time::timeout(idle, body.next()).await.map_err(|_| stalled())? {
                out.write_all(&chunk.map_err(body_error)?).await.map_err(spool_error)?;
            }
        }
        _ => {
            return Err(ApiError::UnsupportedMediaType(
                "Send multipart/form-data with a `file` field, or a text/csv body.".into(),
            ));
        }
    }
    out.flush().await.map_err(spool_error)?;
    let mut file = out.into_inner();
    file.rewind().await.map_err(spool_error)?;
    Ok(file)
}

fn spool_error(err: std::io::Error) -> ApiError {
    AppError::Internal(anyhow::Error::new(err).context("writing the upload to its temporary file")).into()
}

fn multipart_error(err: axum::extract::multipart::MultipartError) -> ApiError {
    if err.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        AppError::TooLarge.into()
    } else {
        AppError::bad_request(err.body_text()).into()
    }
}

fn body_error(err: axum::Error) -> ApiError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&err);
    while let Some(e) = source {
        if e.is::<http_body_util::LengthLimitError>() {
            return AppError::TooLarge.into();
        }
        source = e.source();
    }
    AppError::bad_request("The upload was interrupted.").into()
}

/// A small example file with every column.
#[utoipa::path(get, path = "/api/v1/customers/sample.csv", tag = "customers",
    responses((status = 200, content_type = "text/csv", body = String)))]
pub async fn sample_csv() -> Response {
    const SAMPLE: &str = "name,email,satisfaction_score,review,feedback_at\n\
        Ada Lovelace,ada@example.com,5,\"Fast delivery, friendly support. Love it!\",2026-01-15\n\
        Alan Turing,alan@example.com,2,The app kept crashing and nobody answered my emails.,2026-01-20T14:30:00Z\n\
        Grace Hopper,grace@example.com,4,Good value for money.,2026-02-02\n\
        Linus Pauling,linus@example.com,3,,2026-02-10\n";
    csv_response(Body::from(SAMPLE), "pulse-sample.csv")
}

fn csv_response(body: Body, filename: &str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// The customers matching the list filters as CSV, streamed in chunks.
#[utoipa::path(get, path = "/api/v1/customers/export", tag = "customers", params(FilterParams),
    responses((status = 200, content_type = "text/csv", body = String)))]
pub async fn export_customers(
    State(state): State<AppState>,
    ws: WorkspaceData<Viewer>,
    Query(filters): Query<FilterParams>,
) -> Result<Response, ApiError> {
    let filter = filters.filter(ws.id())?;
    let detail = json!({"q": filters.q, "min_score": filters.min_score, "max_score": filters.max_score,
        "from": filters.from, "to": filters.to, "sentiment": filters.sentiment});
    let target = Target { kind: "customers", id: None, name: "CSV export" };
    audit::record(&state.db, ws.id(), &ws.actor, "customers.exported", target, detail).await;
    let rows = export::csv_rows(state.db.clone(), filter);
    let date = chrono::Utc::now().format("%Y-%m-%d");
    Ok(csv_response(Body::from_stream(rows), &format!("pulse-customers-{date}.csv")))
}
