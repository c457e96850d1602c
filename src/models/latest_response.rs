//! The customer row keeps a copy of its latest response (score, review, sentiment, date)
//! and the count of its responses, so that lists and filters read one table.

use sea_orm::{ConnectionTrait, DbErr, FromQueryResult};

use crate::{
    core::database::stmt,
    domain::text,
    models::{
        customer::{Model, now_millis},
        response,
    },
};

/// Makes the customer row show its latest response again, after one of its responses was
/// added, changed or deleted.
pub async fn show_latest(db: &impl ConnectionTrait, customer: &Model) -> Result<Model, DbErr> {
    let Some((latest, count)) = response::latest(db, customer.id).await? else {
        return Err(DbErr::RecordNotFound("response".into()));
    };
    Model::find_by_statement(stmt(
        db,
        "UPDATE customers SET review = $2, satisfaction_score = $3, sentiment = $4, feedback_at = $5, search = $6, \
         response_count = $7, updated_at = $8 WHERE id = $1 RETURNING *",
        [
            customer.id.into(),
            latest.review.clone().into(),
            latest.satisfaction_score.into(),
            latest.sentiment.into(),
            latest.feedback_at.into(),
            text::search_key(&customer.name, &customer.email, &latest.review).into(),
            (count as i32).into(),
            now_millis().into(),
        ],
    ))
    .one(db)
    .await?
    .ok_or(DbErr::RecordNotFound("customer".into()))
}
