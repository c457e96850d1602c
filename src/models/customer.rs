//! The `customers` table and the queries that touch it. `feedback_at` is Unix seconds;
//! `created_at` and `updated_at` are Unix milliseconds.

use chrono::Utc;
use sea_orm::{
    Condition, ConnectionTrait, DbBackend, DbErr, EntityTrait, ExprTrait, FromQueryResult, Order, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Value,
    entity::prelude::*,
    sea_query::{Alias, Expr},
};

use crate::{
    core::database::{contains_pattern, fts_trigrams, stmt},
    domain::{sentiment::THRESHOLD, text},
    models::daily_stat::Key,
};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "customers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub workspace_id: i64,
    pub name: String,
    pub email: String,
    pub review: String,
    pub satisfaction_score: i16,
    pub sentiment: f64,
    pub feedback_at: i64,
    pub created_at: i64,
    pub updated_at: i64,
    /// How many responses the customer gave; the fields above are those of the latest.
    pub response_count: i32,
    pub unsubscribed: bool,
    /// Unix seconds of the last survey that asked this customer (the cooldown).
    pub last_surveyed_at: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The columns an insert writes, in the order of `Row::insert_values`. `search` is not
/// part of `Model`: it is written and searched, never read back.
pub(super) const INSERT_COLUMNS: [&str; 10] = [
    "workspace_id",
    "name",
    "email",
    "review",
    "satisfaction_score",
    "sentiment",
    "feedback_at",
    "search",
    "created_at",
    "updated_at",
];

/// A customer as written: already parsed and scored.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub workspace_id: i64,
    pub name: String,
    pub email: String,
    pub review: String,
    pub satisfaction_score: i16,
    pub sentiment: f64,
    pub feedback_at: i64,
}

impl Row {
    /// The row's own values and its search key, in the order of `INSERT_COLUMNS` (and of
    /// `update`'s SQL).
    fn values(&self) -> [Value; 7] {
        [
            self.name.clone().into(),
            self.email.clone().into(),
            self.review.clone().into(),
            self.satisfaction_score.into(),
            self.sentiment.into(),
            self.feedback_at.into(),
            text::search_key(&self.name, &self.email, &self.review).into(),
        ]
    }

    /// The values of an insert, in the order of `INSERT_COLUMNS`; `now` in milliseconds.
    pub(super) fn insert_values(&self, now: i64) -> [Value; 10] {
        let [name, email, review, score, sentiment, feedback_at, search] = self.values();
        [self.workspace_id.into(), name, email, review, score, sentiment, feedback_at, search, now.into(), now.into()]
    }

    /// Where this customer counts in `daily_stats`.
    pub fn stats_key(&self) -> Key {
        Key::of(self.workspace_id, self.feedback_at, self.satisfaction_score, self.sentiment)
    }
}

/// The customer filters shared by lists, exports and analytics (docs/API.md, "Paging and filters").
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter {
    /// Every query is inside one workspace.
    pub workspace_id: i64,
    pub q: Option<String>,
    pub min_score: Option<i16>,
    pub max_score: Option<i16>,
    /// Inclusive, Unix seconds.
    pub from: Option<i64>,
    /// Inclusive, Unix seconds.
    pub to: Option<i64>,
    pub sentiment: Option<i16>,
}

impl Filter {
    /// The filter as a condition on `customers` (their latest responses): `q` through the
    /// search index (see `m20261202_000011_search_index`).
    pub fn on_customers(&self, backend: DbBackend) -> Condition {
        self.condition(backend, false)
    }

    /// With `walking`, SQLite may walk an index of the workspace's customers in order and
    /// test each against the search; without, a search through the index starts from
    /// its matches.
    fn condition(&self, backend: DbBackend, walking: bool) -> Condition {
        let q = self.query();
        let trigrams = q.as_deref().filter(|_| backend == DbBackend::Sqlite).and_then(fts_trigrams);
        // With `+`, SQLite cannot use the workspace's indexes, so it starts from the
        // matches (a few lookups by id) instead of walking the workspace's customers in
        // index order to test each against them (100 ms over 1M customers for one match).
        let workspace = if trigrams.is_some() && !walking {
            Expr::cust_with_values("+workspace_id = ?", [self.workspace_id])
        } else {
            Expr::col(Alias::new("workspace_id")).eq(self.workspace_id)
        };
        let mut c = self.rest(workspace);
        match (q, trigrams) {
            // The index finds the customers whose text holds every trigram of `q`; LIKE
            // keeps those that hold `q` itself.
            (Some(q), Some(trigrams)) => {
                c = c
                    .add(Expr::cust_with_values(
                        "id IN (SELECT rowid FROM customers_search WHERE customers_search MATCH ?)",
                        [trigrams],
                    ))
                    .add(Expr::col(Alias::new("search")).like(contains_pattern(&q)))
            }
            // PostgreSQL's trigram index serves LIKE itself; fewer than three characters
            // have no trigram, so SQLite scans the column for them.
            (Some(q), None) => c = c.add(Expr::col(Alias::new("search")).like(contains_pattern(&q))),
            (None, _) => {}
        }
        c
    }

    /// The filter as a condition on `responses` (every response): `q` scans their folded
    /// `search` column.
    pub fn on_responses(&self) -> Condition {
        let mut c = self.rest(Expr::col(Alias::new("workspace_id")).eq(self.workspace_id));
        if let Some(q) = self.query() {
            c = c.add(Expr::col(Alias::new("search")).like(contains_pattern(&q)));
        }
        c
    }

    /// `q` folded as the `search` columns are, if there is one.
    fn query(&self) -> Option<String> {
        self.q.as_deref().map(str::trim).filter(|q| !q.is_empty()).map(text::search_query)
    }

    /// `workspace` and every condition but `q`, on columns that have the same names in
    /// both tables.
    fn rest(&self, workspace: Expr) -> Condition {
        let col = |name: &'static str| Expr::col(Alias::new(name));
        let mut c = Condition::all().add(workspace);
        if let Some(min) = self.min_score {
            c = c.add(col("satisfaction_score").gte(min));
        }
        if let Some(max) = self.max_score {
            c = c.add(col("satisfaction_score").lte(max));
        }
        if let Some(from) = self.from {
            c = c.add(col("feedback_at").gte(from));
        }
        if let Some(to) = self.to {
            c = c.add(col("feedback_at").lte(to));
        }
        match self.sentiment {
            Some(1) => c = c.add(col("sentiment").gt(THRESHOLD)),
            Some(-1) => c = c.add(col("sentiment").lt(-THRESHOLD)),
            Some(_) => c = c.add(col("sentiment").between(-THRESHOLD, THRESHOLD)),
            None => {}
        }
        c
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    FeedbackAt,
    Name,
    Email,
    Score,
    Sentiment,
    CreatedAt,
}

/// The list's order: a column, and whether the largest comes first; ties go by id the same way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort {
    pub key: SortKey,
    pub descending: bool,
}

impl SortKey {
    /// Whether an index of the workspace's customers is in this order.
    fn indexed(self) -> bool {
        matches!(self, SortKey::FeedbackAt | SortKey::Name | SortKey::Email)
    }

    fn column(self) -> Column {
        match self {
            SortKey::FeedbackAt => Column::FeedbackAt,
            SortKey::Name => Column::Name,
            SortKey::Email => Column::Email,
            SortKey::Score => Column::SatisfactionScore,
            SortKey::Sentiment => Column::Sentiment,
            SortKey::CreatedAt => Column::CreatedAt,
        }
    }
}

/// SQLite finds a sorted page one of two ways: it walks the sort's index, testing each
/// customer against the filter until the page is full, or it reads the matching customers
/// and sorts them. Walking reaches a row about ten times slower (over 1M customers: 3.0 s
/// to walk them all, 0.28 s to read them through and sort), so it pays only when more than
/// one customer in ten of those walked past will match.
const WALK_WHEN_MATCHES_EXCEED_PAGE_END: u64 = 10;

pub async fn list(
    db: &impl ConnectionTrait,
    filter: &Filter,
    sort: Sort,
    offset: u64,
    limit: u64,
) -> Result<(Vec<Model>, u64), DbErr> {
    let backend = db.get_database_backend();
    let total = Entity::find().filter(filter.on_customers(backend)).count(db).await?;
    if offset >= total {
        return Ok((vec![], total));
    }
    // The count tells how dense the matches are. PostgreSQL's planner has the statistics
    // to choose by itself.
    let walk = total > WALK_WHEN_MATCHES_EXCEED_PAGE_END * (offset + limit);
    let may_walk = backend != DbBackend::Sqlite || (walk && sort.key.indexed());
    let column = |name: String| if may_walk { Expr::cust(name) } else { Expr::cust(format!("+{name}")) };
    let items = Entity::find()
        .filter(filter.condition(backend, may_walk))
        .order_by(column(sort.key.column().to_string()), order(sort))
        .order_by(column(Column::Id.to_string()), order(sort))
        .offset(offset)
        .limit(limit)
        .all(db)
        .await?;
    Ok((items, total))
}

fn order(sort: Sort) -> Order {
    if sort.descending { Order::Desc } else { Order::Asc }
}

/// The next chunk of matching customers after `after_id`, by id (for streaming exports).
pub async fn chunk_after(
    db: &impl ConnectionTrait,
    filter: &Filter,
    after_id: i64,
    limit: u64,
) -> Result<Vec<Model>, DbErr> {
    Entity::find()
        .filter(filter.on_customers(db.get_database_backend()))
        .filter(Column::Id.gt(after_id))
        .order_by_asc(Column::Id)
        .limit(limit)
        .all(db)
        .await
}

pub async fn find(db: &impl ConnectionTrait, workspace_id: i64, id: i64) -> Result<Option<Model>, DbErr> {
    Entity::find_by_id(id).filter(Column::WorkspaceId.eq(workspace_id)).one(db).await
}

/// Reads a customer for update: on PostgreSQL the row stays locked until the transaction
/// ends, so two concurrent edits cannot both adjust the daily counts from the same old row.
pub async fn find_for_update(db: &impl ConnectionTrait, workspace_id: i64, id: i64) -> Result<Option<Model>, DbErr> {
    let lock = if db.get_database_backend() == DbBackend::Postgres { " FOR UPDATE" } else { "" };
    Model::find_by_statement(stmt(
        db,
        &format!("SELECT * FROM customers WHERE id = $1 AND workspace_id = $2{lock}"),
        [id.into(), workspace_id.into()],
    ))
    .one(db)
    .await
}

/// The time of a write, as `created_at` and `updated_at` store it.
pub fn now_millis() -> i64 {
    Utc::now().timestamp_millis()
}

pub async fn insert(db: &impl ConnectionTrait, row: &Row) -> Result<Model, DbErr> {
    let placeholders: Vec<String> = (1..=INSERT_COLUMNS.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "INSERT INTO customers ({}) VALUES ({}) RETURNING *",
        INSERT_COLUMNS.join(", "),
        placeholders.join(", ")
    );
    Model::find_by_statement(stmt(db, &sql, row.insert_values(now_millis())))
        .one(db)
        .await?
        .ok_or(DbErr::RecordNotInserted)
}

pub async fn update(db: &impl ConnectionTrait, id: i64, row: &Row) -> Result<Model, DbErr> {
    Model::find_by_statement(stmt(
        db,
        "UPDATE customers SET name = $2, email = $3, review = $4, satisfaction_score = $5, sentiment = $6, \
         feedback_at = $7, search = $8, updated_at = $9 WHERE id = $1 AND workspace_id = $10 RETURNING *",
        std::iter::once(id.into()).chain(row.values()).chain([now_millis().into(), row.workspace_id.into()]),
    ))
    .one(db)
    .await?
    .ok_or(DbErr::RecordNotFound("customer".into()))
}

pub async fn delete(db: &impl ConnectionTrait, workspace_id: i64, id: i64) -> Result<Option<Model>, DbErr> {
    Model::find_by_statement(stmt(
        db,
        "DELETE FROM customers WHERE id = $1 AND workspace_id = $2 RETURNING *",
        [id.into(), workspace_id.into()],
    ))
    .one(db)
    .await
}

/// What a survey needs to know of a customer it may ask.
#[derive(Clone, Debug, FromQueryResult)]
pub struct Candidate {
    pub id: i64,
    pub unsubscribed: bool,
    pub last_surveyed_at: Option<i64>,
}

/// The customers matching `filter`, as survey candidates, by id.
pub async fn candidates(db: &impl ConnectionTrait, filter: &Filter) -> Result<Vec<Candidate>, DbErr> {
    Entity::find()
        .select_only()
        .columns([Column::Id, Column::Unsubscribed, Column::LastSurveyedAt])
        .filter(filter.on_customers(db.get_database_backend()))
        .order_by_asc(Column::Id)
        .into_model::<Candidate>()
        .all(db)
        .await
}

/// The customers of the workspace with these ids, as survey candidates.
pub async fn candidates_by_id(
    db: &impl ConnectionTrait,
    workspace_id: i64,
    ids: &[i64],
) -> Result<Vec<Candidate>, DbErr> {
    let mut found = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(1_000) {
        found.extend(
            Entity::find()
                .select_only()
                .columns([Column::Id, Column::Unsubscribed, Column::LastSurveyedAt])
                .filter(Column::WorkspaceId.eq(workspace_id))
                .filter(Column::Id.is_in(chunk.iter().copied()))
                .into_model::<Candidate>()
                .all(db)
                .await?,
        );
    }
    Ok(found)
}

/// Records that a survey asked these customers at `now` (Unix seconds).
pub async fn mark_surveyed(db: &impl ConnectionTrait, ids: &[i64], now: i64) -> Result<(), DbErr> {
    for chunk in ids.chunks(1_000) {
        let placeholders: Vec<String> = (2..=chunk.len() + 1).map(|i| format!("${i}")).collect();
        let sql = format!("UPDATE customers SET last_surveyed_at = $1 WHERE id IN ({})", placeholders.join(", "));
        let values = std::iter::once(Value::from(now)).chain(chunk.iter().map(|id| Value::from(*id)));
        db.execute_raw(stmt(db, &sql, values)).await?;
    }
    Ok(())
}

pub async fn unsubscribe(db: &impl ConnectionTrait, id: i64) -> Result<(), DbErr> {
    db.execute_raw(stmt(db, "UPDATE customers SET unsubscribed = TRUE WHERE id = $1", [id.into()])).await.map(drop)
}

pub async fn find_by_email(db: &impl ConnectionTrait, workspace_id: i64, email: &str) -> Result<Option<Model>, DbErr> {
    Entity::find().filter(Column::WorkspaceId.eq(workspace_id)).filter(Column::Email.eq(email)).one(db).await
}
