//! The `responses` table: every piece of feedback a customer gave.
//! `feedback_at` is Unix seconds; `created_at` and `updated_at` Unix milliseconds. `search`
//! holds the customer's name and email and this response's review, folded (`text::search_key`).

use std::fmt::Write;

use sea_orm::{
    ConnectionTrait, DbBackend, DbErr, EntityTrait, ExprTrait, FromQueryResult, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Statement, Value,
    entity::prelude::*,
    sea_query::{Alias, Expr},
};

use crate::{
    core::{
        database::{push_row, stmt},
        write_txn::BoundStatement,
    },
    domain::{sentiment::THRESHOLD, text},
    models::{
        customer::{Filter, Row, now_millis},
        daily_stat::{DayCount, Grouping, Key},
    },
};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "responses")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub workspace_id: i64,
    pub customer_id: i64,
    pub satisfaction_score: i16,
    pub review: String,
    pub sentiment: f64,
    pub feedback_at: i64,
    pub source: String,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// Where this response counts in `daily_stats`.
    pub fn stats_key(&self) -> Key {
        Key::of(self.workspace_id, self.feedback_at, self.satisfaction_score, self.sentiment)
    }
}

/// Where a response came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Manual,
    Import,
    Survey,
    Form,
    Api,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Manual => "manual",
            Source::Import => "import",
            Source::Survey => "survey",
            Source::Form => "form",
            Source::Api => "api",
        }
    }
}

/// A response as written: already parsed and scored.
#[derive(Clone, Debug, PartialEq)]
pub struct Feedback {
    pub satisfaction_score: i16,
    pub review: String,
    pub sentiment: f64,
    pub feedback_at: i64,
}

/// The columns of an insert, in the order of `insert_values`.
pub const INSERT_COLUMNS: &str = "workspace_id, customer_id, satisfaction_score, review, sentiment, feedback_at, \
                                  source, search, created_at, updated_at";

/// The values of one insert, in the order of `INSERT_COLUMNS`; `search` from the
/// customer's name and email.
pub fn insert_values(
    workspace_id: i64,
    customer_id: i64,
    feedback: &Feedback,
    source: Source,
    name: &str,
    email: &str,
    now: i64,
) -> [Value; 10] {
    [
        workspace_id.into(),
        customer_id.into(),
        feedback.satisfaction_score.into(),
        feedback.review.clone().into(),
        feedback.sentiment.into(),
        feedback.feedback_at.into(),
        source.as_str().into(),
        text::search_key(name, email, &feedback.review).into(),
        now.into(),
        now.into(),
    ]
}

pub async fn insert(
    db: &impl ConnectionTrait,
    workspace_id: i64,
    customer: (i64, &str, &str),
    feedback: &Feedback,
    source: Source,
) -> Result<Model, DbErr> {
    let (customer_id, name, email) = customer;
    let values = insert_values(workspace_id, customer_id, feedback, source, name, email, now_millis());
    Model::find_by_statement(stmt(
        db,
        &format!(
            "INSERT INTO responses ({INSERT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *"
        ),
        values,
    ))
    .one(db)
    .await?
    .ok_or(DbErr::RecordNotInserted)
}

/// Replaces a response's feedback; `search` from the customer's name and email.
pub async fn update(
    db: &impl ConnectionTrait,
    id: i64,
    feedback: &Feedback,
    name: &str,
    email: &str,
) -> Result<Model, DbErr> {
    Model::find_by_statement(stmt(
        db,
        "UPDATE responses SET satisfaction_score = $2, review = $3, sentiment = $4, feedback_at = $5, search = $6, \
         updated_at = $7 WHERE id = $1 RETURNING *",
        [
            id.into(),
            feedback.satisfaction_score.into(),
            feedback.review.clone().into(),
            feedback.sentiment.into(),
            feedback.feedback_at.into(),
            text::search_key(name, email, &feedback.review).into(),
            now_millis().into(),
        ],
    ))
    .one(db)
    .await?
    .ok_or(DbErr::RecordNotFound("response".into()))
}

pub async fn find(db: &impl ConnectionTrait, workspace_id: i64, id: i64) -> Result<Option<Model>, DbErr> {
    Entity::find_by_id(id).filter(Column::WorkspaceId.eq(workspace_id)).one(db).await
}

pub async fn delete(db: &impl ConnectionTrait, id: i64) -> Result<(), DbErr> {
    Entity::delete_by_id(id).exec(db).await.map(drop)
}

/// A customer's responses, newest `feedback_at` first, and how many there are.
pub async fn of_customer(
    db: &impl ConnectionTrait,
    customer_id: i64,
    offset: u64,
    limit: u64,
) -> Result<(Vec<Model>, u64), DbErr> {
    let query = Entity::find().filter(Column::CustomerId.eq(customer_id));
    let total = query.clone().count(db).await?;
    let items =
        query.order_by_desc(Column::FeedbackAt).order_by_desc(Column::Id).offset(offset).limit(limit).all(db).await?;
    Ok((items, total))
}

/// Every response of a customer (a customer has few; for deletes and renames).
pub async fn all_of_customer(db: &impl ConnectionTrait, customer_id: i64) -> Result<Vec<Model>, DbErr> {
    Entity::find().filter(Column::CustomerId.eq(customer_id)).all(db).await
}

/// The latest response (greatest `feedback_at`, then greatest id) and the number of them.
pub async fn latest(db: &impl ConnectionTrait, customer_id: i64) -> Result<Option<(Model, u64)>, DbErr> {
    let query = Entity::find().filter(Column::CustomerId.eq(customer_id));
    let Some(latest) = query.clone().order_by_desc(Column::FeedbackAt).order_by_desc(Column::Id).one(db).await? else {
        return Ok(None);
    };
    Ok(Some((latest, query.count(db).await?)))
}

/// Whether the customer already has a response with exactly this feedback (an import's
/// repeat).
pub async fn exists_equal(db: &impl ConnectionTrait, customer_id: i64, feedback: &Feedback) -> Result<bool, DbErr> {
    let found = Entity::find()
        .filter(Column::CustomerId.eq(customer_id))
        .filter(Column::FeedbackAt.eq(feedback.feedback_at))
        .filter(Column::SatisfactionScore.eq(feedback.satisfaction_score))
        .filter(Column::Review.eq(feedback.review.clone()))
        .one(db)
        .await?;
    Ok(found.is_some())
}

/// Writes a new search key into every response of a renamed customer.
pub async fn rekey(db: &impl ConnectionTrait, customer_id: i64, name: &str, email: &str) -> Result<(), DbErr> {
    for r in all_of_customer(db, customer_id).await? {
        db.execute_raw(stmt(
            db,
            "UPDATE responses SET search = $2 WHERE id = $1",
            [r.id.into(), text::search_key(name, email, &r.review).into()],
        ))
        .await?;
    }
    Ok(())
}

/// Matching responses counted per (day, score, sentiment class) as `grouping` asks: the
/// same shape as `daily_stats`, for filters the daily counts cannot answer (text search,
/// partial days).
pub async fn day_counts(
    db: &impl ConnectionTrait,
    filter: &Filter,
    grouping: Grouping,
) -> Result<Vec<DayCount>, DbErr> {
    // floor(feedback_at / 86400), written so it also floors negative (pre-1970) times.
    let day = "(feedback_at - (((feedback_at % 86400) + 86400) % 86400)) / 86400";
    let class = format!(
        "CAST(CASE WHEN sentiment > {THRESHOLD} THEN 1 WHEN sentiment < -{THRESHOLD} THEN -1 ELSE 0 END AS SMALLINT)"
    );
    Entity::find()
        .select_only()
        .expr_as(Expr::cust(grouping.day(day)), "day")
        .expr_as(Expr::col(Column::SatisfactionScore), "score")
        .expr_as(Expr::cust(grouping.class(&class)), "sentiment_class")
        .expr_as(Expr::cust("COUNT(*)"), "count")
        .filter(filter.on_responses())
        .group_by(Expr::cust("1"))
        .group_by(Expr::cust("2"))
        .group_by(Expr::cust("3"))
        .into_model::<DayCount>()
        .all(db)
        .await
}

/// The next page of matching non-empty reviews after response `after_id`, by id, with
/// their scores: `(id, score, review)`.
pub async fn reviews_after(
    db: &impl ConnectionTrait,
    filter: &Filter,
    after_id: i64,
    limit: u64,
) -> Result<Vec<(i64, i16, String)>, DbErr> {
    Entity::find()
        .select_only()
        .columns([Column::Id, Column::SatisfactionScore, Column::Review])
        .filter(filter.on_responses())
        .filter(Column::Id.gt(after_id))
        .filter(Expr::col(Alias::new("review")).ne(""))
        .order_by_asc(Column::Id)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await
}

/// The statements adding rows as responses of the customers with their emails (the
/// import's, `source: import`), 800 a statement (seven values a row). The customers are
/// found by email inside the statement, so these can be built before the customers exist:
/// an import builds them on its parser thread.
pub fn import_statements(backend: DbBackend, workspace_id: i64, rows: &[Row], now: i64) -> Vec<BoundStatement> {
    const CHUNK: usize = 800;
    rows.chunks(CHUNK)
        .map(|chunk| {
            let mut sql = String::with_capacity(300 + chunk.len() * 40);
            sql.push_str("WITH v (email, satisfaction_score, review, sentiment, feedback_at, search) AS (VALUES ");
            let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 6);
            for (i, row) in chunk.iter().enumerate() {
                if i > 0 {
                    sql.push_str(", ");
                }
                let row_values: [Value; 6] = [
                    row.email.clone().into(),
                    row.satisfaction_score.into(),
                    row.review.clone().into(),
                    row.sentiment.into(),
                    row.feedback_at.into(),
                    text::search_key(&row.name, &row.email, &row.review).into(),
                ];
                push_row(&mut sql, &mut values, row_values, backend);
            }
            // CROSS JOIN makes SQLite look each row of `v` up in the customers' unique index;
            // left to itself, it scanned the workspace's customers for every batch, which
            // made a 1M-row import quadratic. (PostgreSQL plans it as an inner join.)
            write!(
                sql,
                ") INSERT INTO responses ({INSERT_COLUMNS}) \
                 SELECT c.workspace_id, c.id, v.satisfaction_score, v.review, v.sentiment, v.feedback_at, 'import', \
                 v.search, {now}, {now} FROM v CROSS JOIN customers c WHERE c.workspace_id = {workspace_id} AND c.email = v.email"
            )
            .expect("writing to a String");
            BoundStatement::new(Statement::from_sql_and_values(backend, sql, values))
        })
        .collect()
}

/// The `limit` lowest-scoring non-empty reviews given in `[from, to]` (Unix seconds):
/// `(customer name, score, review)`, lowest first, newest first among equals.
pub async fn lowest_reviews(
    db: &impl ConnectionTrait,
    workspace_id: i64,
    from: i64,
    to: i64,
    limit: u64,
) -> Result<Vec<(String, i16, String)>, DbErr> {
    #[derive(FromQueryResult)]
    struct Low {
        name: String,
        satisfaction_score: i16,
        review: String,
    }
    let rows = Low::find_by_statement(stmt(
        db,
        "SELECT c.name, r.satisfaction_score, r.review FROM responses r JOIN customers c ON c.id = r.customer_id \
         WHERE r.workspace_id = $1 AND r.feedback_at >= $2 AND r.feedback_at <= $3 AND r.review <> '' \
         ORDER BY r.satisfaction_score, r.feedback_at DESC LIMIT $4",
        [workspace_id.into(), from.into(), to.into(), (limit as i64).into()],
    ))
    .all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.name, r.satisfaction_score, r.review)).collect())
}

/// The highest response id so far.
pub async fn max_id(db: &impl ConnectionTrait) -> Result<i64, DbErr> {
    let row = db.query_one_raw(stmt(db, "SELECT COALESCE(MAX(id), 0) AS n FROM responses", [])).await?;
    Ok(row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0))
}

/// The next page of a workspace's responses after id `after_id`, with their customers (for
/// the events of an import).
pub async fn with_customers_after(
    db: &impl ConnectionTrait,
    workspace_id: i64,
    after_id: i64,
    limit: u64,
) -> Result<Vec<(Model, crate::models::customer::Model)>, DbErr> {
    let page = Entity::find()
        .filter(Column::WorkspaceId.eq(workspace_id))
        .filter(Column::Id.gt(after_id))
        .order_by_asc(Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(page.len());
    for r in page {
        if let Some(c) = crate::models::customer::find(db, workspace_id, r.customer_id).await? {
            out.push((r, c));
        }
    }
    Ok(out)
}
