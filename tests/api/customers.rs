//! `/api/v1/customers`: CRUD, filters, sorting, the CSV import and the export.

use reqwest::Method;
use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::helpers::*;

pub async fn upload(session: &Session, csv: &str, query: &str) -> Reply {
    let form = reqwest::multipart::Form::new()
        .part("file", reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("customers.csv"));
    session
        .send(session.unsafe_request(Method::POST, &format!("/api/v1/customers/import{query}")).multipart(form))
        .await
}

pub async fn create(session: &Session, body: serde_json::Value) -> Reply {
    session.send(session.unsafe_request(Method::POST, "/api/v1/customers").json(&body)).await
}

/// Ann Lee, 5 stars, a glowing review, given on 2026-03-01; returns her id.
async fn ann(admin: &Session) -> i64 {
    let made = create(
        admin,
        json!({"name": "Ann Lee", "email": "Ann@Example.com", "satisfaction_score": 5,
               "review": "Wonderful service, I love it!", "feedback_at": "2026-03-01"}),
    )
    .await;
    made.assert_ok(201)["id"].as_i64().unwrap()
}

fn patch(admin: &Session, id: i64, body: serde_json::Value) -> reqwest::RequestBuilder {
    admin.unsafe_request(Method::PATCH, &format!("/api/v1/customers/{id}")).json(&body)
}

#[tokio::test]
async fn a_created_customer_is_stored_as_parsed_and_read_back() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let made = create(
        &admin,
        json!({"name": "Ann Lee", "email": "Ann@Example.com", "satisfaction_score": 5,
               "review": "Wonderful service, I love it!", "feedback_at": "2026-03-01"}),
    )
    .await;
    let c = made.assert_ok(201).clone();
    assert_eq!(c["email"], "ann@example.com");
    assert_eq!(c["feedback_at"], "2026-03-01T00:00:00Z");
    assert!(c["sentiment"].as_f64().unwrap() > 0.05, "{c}");
    let id = c["id"].as_i64().unwrap();
    assert_eq!(admin.get(&format!("/api/v1/customers/{id}")).await.assert_ok(200)["name"], "Ann Lee");
}

#[tokio::test]
async fn a_second_customer_with_the_same_email_in_any_case_is_409() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    ann(&admin).await;
    let dup = create(&admin, json!({"name": "Other", "email": "ANN@example.com", "satisfaction_score": 3})).await;
    dup.assert_error(409, "email_taken");
}

#[tokio::test]
async fn a_patch_changes_only_the_fields_it_names() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let id = ann(&admin).await;
    let patched =
        admin.send(patch(&admin, id, json!({"review": "Terrible, rude and slow.", "satisfaction_score": "1"}))).await;
    let p = patched.assert_ok(200);
    assert_eq!(p["satisfaction_score"], 1);
    assert!(p["sentiment"].as_f64().unwrap() < -0.05);
    assert_eq!(p["name"], "Ann Lee", "untouched fields stay");
}

#[tokio::test]
async fn a_patch_reports_every_invalid_field_at_once() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let id = ann(&admin).await;
    let bad =
        admin.send(patch(&admin, id, json!({"satisfaction_score": 6, "email": "nope", "feedback_at": "soon"}))).await;
    bad.assert_error(422, "validation_failed");
    let fields = bad.body["error"]["fields"].as_object().unwrap();
    assert_eq!(fields.keys().collect::<Vec<_>>(), ["email", "feedback_at", "satisfaction_score"]);
}

#[tokio::test]
async fn a_deleted_customer_is_gone_and_leaves_the_counts() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let id = ann(&admin).await;
    let delete = || admin.unsafe_request(Method::DELETE, &format!("/api/v1/customers/{id}"));
    admin.send(delete()).await.assert_ok(200);
    admin.get(&format!("/api/v1/customers/{id}")).await.assert_error(404, "not_found");
    admin.send(delete()).await.assert_error(404, "not_found");
    let summary = admin.get("/api/v1/analytics/summary").await;
    assert_eq!(summary.assert_ok(200)["count"], 0, "the daily counts follow deletes");
}

#[tokio::test]
async fn each_customer_and_response_carries_its_sentiment_class() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    for (email, review, class) in [
        ("pos@example.com", "Wonderful service, I love it!", "positive"),
        ("neg@example.com", "Terrible, rude and slow.", "negative"),
        ("neu@example.com", "", "neutral"),
    ] {
        let made =
            create(&admin, json!({"name": "X", "email": email, "satisfaction_score": 3, "review": review})).await;
        let c = made.assert_ok(201).clone();
        assert_eq!(c["sentiment_class"], class, "{c}");
        let responses = admin.get(&format!("/api/v1/customers/{}/responses", c["id"])).await;
        assert_eq!(responses.assert_ok(200)["items"][0]["sentiment_class"], class);
    }
}

#[tokio::test]
async fn create_validates_every_field() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let bad = create(
        &admin,
        json!({"name": " ", "email": "x", "satisfaction_score": 0, "review": "r".repeat(5001), "feedback_at": "2026-02-30"}),
    )
    .await;
    bad.assert_error(422, "validation_failed");
    let keys: Vec<String> = bad.body["error"]["fields"].as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys, ["email", "feedback_at", "name", "review", "satisfaction_score"]);
    create(&admin, json!({"name": "A"})).await.assert_error(422, "validation_failed");
    let no_review = create(&admin, json!({"name": "B", "email": "b@example.com", "satisfaction_score": 3})).await;
    assert_eq!(no_review.assert_ok(201)["sentiment"], 0.0);
}

#[tokio::test]
async fn customer_routes_need_a_verified_account() {
    let app = spawn_app().await;
    app.get("/api/v1/customers").await.assert_error(401, "unauthorized");
    app.signup("zed", "zed@example.com", USER_PASSWORD).await.assert_ok(201);
    let zed = app.login("zed", USER_PASSWORD).await;
    for path in
        ["/api/v1/customers", "/api/v1/customers/export", "/api/v1/analytics/summary", "/api/v1/analytics/keywords"]
    {
        zed.get(path).await.assert_error(403, "email_not_verified");
    }
    let verified = app.verified_user("yan").await;
    verified.get("/api/v1/customers").await.assert_ok(200);
}

#[tokio::test]
async fn list_filters_sorts_and_paginates() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let csv = "name,email,score,review,feedback_at\n\
        Ann,ann@example.com,5,Great friendly staff,2026-01-05\n\
        Bob,bob@example.com,1,Awful and rude,2026-01-10T12:00:00Z\n\
        Cat,cat@example.com,3,,2026-02-01\n\
        Dan,dan@example.com,4,Good prices 100%,2026-02-15\n";
    upload(&admin, csv, "").await.assert_ok(200);

    let names = |reply: &Reply| -> Vec<String> {
        reply.data()["items"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(names(&admin.get("/api/v1/customers").await), ["Dan", "Cat", "Bob", "Ann"], "newest feedback first");
    assert_eq!(names(&admin.get("/api/v1/customers?sort=name").await), ["Ann", "Bob", "Cat", "Dan"]);
    assert_eq!(names(&admin.get("/api/v1/customers?sort=-satisfaction_score").await), ["Ann", "Dan", "Cat", "Bob"]);
    assert_eq!(names(&admin.get("/api/v1/customers?q=RUDE").await), ["Bob"]);
    assert_eq!(names(&admin.get("/api/v1/customers?q=cat%40").await), ["Cat"]);
    assert_eq!(names(&admin.get("/api/v1/customers?q=100%25").await), ["Dan"], "% is matched literally");
    assert_eq!(names(&admin.get("/api/v1/customers?min_score=3&max_score=4&sort=name").await), ["Cat", "Dan"]);
    assert_eq!(names(&admin.get("/api/v1/customers?from=2026-01-10&to=2026-02-01&sort=name").await), ["Bob", "Cat"]);
    assert_eq!(names(&admin.get("/api/v1/customers?sentiment=negative").await), ["Bob"]);
    assert_eq!(names(&admin.get("/api/v1/customers?sentiment=neutral").await), ["Cat"]);
    let page = admin.get("/api/v1/customers?sort=name&page=2&per_page=3").await;
    assert_eq!(names(&page), ["Dan"]);
    assert_eq!((page.data()["total"].as_u64(), page.data()["per_page"].as_u64()), (Some(4), Some(3)));
    assert_eq!(names(&admin.get("/api/v1/customers?page=5").await), Vec::<String>::new());
    for bad in ["?page=0", "?min_score=9", "?from=tomorrow", "?sentiment=angry", "?sort=password", "?per_page=-1"] {
        admin.get(&format!("/api/v1/customers{bad}")).await.assert_error(400, "bad_request");
    }
}

#[tokio::test]
async fn a_mixed_csv_is_reported_row_by_row() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let csv = "\u{FEFF}Rating;Name;Email;Review;Feedback_At;Notes\n\
        5;Ann;ann@example.com;\"Great; really, great\nsecond line\";2026-01-05;x\n\
        7;Bob;bob@example.com;bad score;2026-01-06;\n\
        4;Cat;not-an-email;;2026-01-07;\n\
        3;;nameless@example.com;;;\n\
        4;Dan;dan@example.com;;2026-01-08T09:30:00+02:00;\n\
        2;Eve;eve@example.com;;last tuesday;\n\
        1;Fay;ANN@example.com;duplicate of row 2;2026-01-09;\n";
    let reply = upload(&admin, csv, "").await;
    let report = reply.assert_ok(200);
    assert_eq!(report["total_rows"], 7);
    assert_eq!(
        (report["inserted"].as_u64(), report["skipped"].as_u64(), report["invalid"].as_u64()),
        (Some(2), Some(1), Some(4))
    );
    assert_eq!(report["updated"], 0);
    let errors: Vec<(u64, String)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["row"].as_u64().unwrap(), e["field"].as_str().unwrap().to_string()))
        .collect();
    let expected = [(4, "satisfaction_score"), (5, "email"), (6, "name"), (8, "feedback_at")];
    assert_eq!(errors, expected.map(|(r, f)| (r, f.to_string())));
    assert_eq!(report["truncated_errors"], 0);

    let ann = &admin.get("/api/v1/customers?q=ann").await.data()["items"][0].clone();
    assert_eq!(ann["review"], "Great; really, great\nsecond line");
    assert_eq!(ann["satisfaction_score"], 5, "the first row wins under skip");
    let dan = &admin.get("/api/v1/customers?q=dan").await.data()["items"][0].clone();
    assert_eq!(dan["feedback_at"], "2026-01-08T07:30:00Z");
}

#[tokio::test]
async fn skip_versus_update_on_existing_and_repeated_emails() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    create(&admin, json!({"name": "Old Ann", "email": "ann@example.com", "satisfaction_score": 1}))
        .await
        .assert_ok(201);
    let csv = "name,email,score\nAnn,ann@example.com,5\nBob,bob@example.com,4\nBobby,bob@example.com,2\n";

    let dry = upload(&admin, csv, "?dry_run=true").await;
    assert_eq!(dry.assert_ok(200)["inserted"], 1);
    assert_eq!(admin.get("/api/v1/customers").await.data()["total"], 1, "a dry run writes nothing");

    let skip = upload(&admin, csv, "?on_conflict=skip").await;
    let s = skip.assert_ok(200);
    assert_eq!((s["inserted"].as_u64(), s["updated"].as_u64(), s["skipped"].as_u64()), (Some(1), Some(0), Some(2)));
    let names = |reply: Reply| -> Vec<(String, i64)> {
        reply.data()["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["name"].as_str().unwrap().to_string(), c["satisfaction_score"].as_i64().unwrap()))
            .collect()
    };
    assert_eq!(names(admin.get("/api/v1/customers?sort=email").await), [("Old Ann".into(), 1), ("Bob".into(), 4)]);

    let update = upload(&admin, csv, "?on_conflict=update").await;
    let u = update.assert_ok(200);
    assert_eq!((u["inserted"].as_u64(), u["updated"].as_u64(), u["skipped"].as_u64()), (Some(0), Some(3), Some(0)));
    assert_eq!(names(admin.get("/api/v1/customers?sort=email").await), [("Ann".into(), 5), ("Bobby".into(), 2)]);

    let fresh =
        upload(&admin, "name,email,score\nCy,cy@example.com,3\nCyrus,cy@example.com,4\n", "?on_conflict=update").await;
    let f = fresh.assert_ok(200);
    assert_eq!(
        (f["inserted"].as_u64(), f["updated"].as_u64()),
        (Some(1), Some(1)),
        "later rows update the earlier one"
    );
    let summary = admin.get("/api/v1/analytics/summary").await;
    let data = summary.assert_ok(200);
    assert_eq!(data["count"], 3);
    assert_eq!(data["distribution"], json!({"1": 0, "2": 1, "3": 0, "4": 1, "5": 1}), "daily counts follow updates");
}

#[tokio::test]
async fn unusable_uploads_are_refused_whole() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let empty = upload(&admin, "", "").await;
    empty.assert_error(422, "validation_failed");
    assert!(empty.body["error"]["fields"]["file"].is_array());
    let headerless = upload(&admin, "Ann,ann@example.com,5\n", "").await;
    headerless.assert_error(422, "validation_failed");
    assert!(headerless.body["error"]["fields"]["file"][0].as_str().unwrap().contains("missing"));

    let binary = "name,email,score\nAnn,ann@example.com,5\nBob,bob@example.com,4\u{0}\u{1}\u{2}\n";
    upload(&admin, binary, "").await.assert_error(400, "bad_request");
    // A NUL byte in a multipart upload: binary (Latin-1 text is read as
    // Windows-1252 since then, see `hardening::windows_files_and_day_first_dates_import`).
    let binary_part =
        reqwest::multipart::Part::bytes(b"name,email,score\nJos\0,jose@example.com,4\n".to_vec()).file_name("x.csv");
    let reply = admin
        .send(
            admin
                .unsafe_request(Method::POST, "/api/v1/customers/import")
                .multipart(reqwest::multipart::Form::new().part("file", binary_part)),
        )
        .await;
    reply.assert_error(400, "bad_request");
    assert_eq!(admin.get("/api/v1/customers").await.data()["total"], 0, "nothing from a refused file");

    let json_body = admin.send(admin.unsafe_request(Method::POST, "/api/v1/customers/import").json(&json!({}))).await;
    json_body.assert_error(415, "unsupported_media_type");
    let no_field = admin
        .send(
            admin
                .unsafe_request(Method::POST, "/api/v1/customers/import")
                .multipart(reqwest::multipart::Form::new().text("other", "x")),
        )
        .await;
    no_field.assert_error(422, "validation_failed");

    let raw = admin
        .send(
            admin
                .unsafe_request(Method::POST, "/api/v1/customers/import")
                .header("content-type", "text/csv")
                .body("name,email,score\nAnn,ann@example.com,5\n"),
        )
        .await;
    assert_eq!(raw.assert_ok(200)["inserted"], 1, "a text/csv body works too");
}

#[tokio::test]
async fn uploads_over_the_limit_are_413_and_write_nothing() {
    let app = spawn_app_with(&[("MAX_UPLOAD_BYTES", "2000")], axum::Router::new()).await;
    let admin = app.admin().await;
    let mut csv = String::from("name,email,score\n");
    for i in 0..200 {
        csv.push_str(&format!("Person {i},p{i}@example.com,4\n"));
    }
    upload(&admin, &csv, "").await.assert_error(413, "payload_too_large");
    let raw = admin
        .send(
            admin.unsafe_request(Method::POST, "/api/v1/customers/import").header("content-type", "text/csv").body(csv),
        )
        .await;
    raw.assert_error(413, "payload_too_large");
    assert_eq!(admin.get("/api/v1/customers").await.data()["total"], 0);
}

#[tokio::test]
async fn an_aborted_upload_leaves_nothing() {
    use futures::StreamExt;
    let app = spawn_app().await;
    let admin = app.admin().await;
    let mut head = String::from("name,email,score\n");
    for i in 0..5_000 {
        head.push_str(&format!("Person {i},p{i}@example.com,4\n"));
    }
    // The body sends 5,000 good rows, then fails mid-stream as a dropped connection would.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        vec![Ok(head.into_bytes()), Err(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "client went away"))];
    let body = reqwest::Body::wrap_stream(futures::stream::iter(chunks).map(|c| c));
    let result = admin
        .unsafe_request(Method::POST, "/api/v1/customers/import")
        .header("content-type", "text/csv")
        .body(body)
        .send()
        .await;
    if let Ok(response) = result {
        assert!(response.status().is_client_error(), "{}", response.status());
    }
    app.settle().await;
    assert_eq!(admin.get("/api/v1/customers").await.data()["total"], 0, "no row of the aborted upload");
    assert_eq!(admin.get("/api/v1/analytics/summary").await.data()["count"], 0);
}

/// Regression: a multipart body that ends without its closing boundary, on a connection
/// that stays open, was answered 400 while the rows read before the error were committed
/// (the upload's end looked like the end of the file to the parser).
#[tokio::test]
async fn a_multipart_upload_without_its_closing_boundary_leaves_nothing() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let mut body = String::from(
        "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"c.csv\"\r\n\
         Content-Type: text/csv\r\n\r\nname,email,score\n",
    );
    for i in 0..5_000 {
        body.push_str(&format!("Person {i},p{i}@example.com,4\n"));
    }
    let reply = admin
        .send(
            admin
                .unsafe_request(Method::POST, "/api/v1/customers/import")
                .header("content-type", "multipart/form-data; boundary=XyZ")
                .body(body),
        )
        .await;
    reply.assert_error(400, "bad_request");
    assert_eq!(admin.get("/api/v1/customers").await.data()["total"], 0, "no row of the broken upload");
    assert_eq!(admin.get("/api/v1/analytics/summary").await.data()["count"], 0);
}

#[tokio::test]
async fn errors_beyond_a_thousand_are_counted() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let mut csv = String::from("name,email,score\n");
    for i in 0..1_205 {
        csv.push_str(&format!("P{i},bad-email-{i},4\n"));
    }
    csv.push_str("Good,good@example.com,5\n");
    let report = upload(&admin, &csv, "").await;
    let r = report.assert_ok(200);
    assert_eq!(
        (r["total_rows"].as_u64(), r["invalid"].as_u64(), r["inserted"].as_u64()),
        (Some(1206), Some(1205), Some(1))
    );
    assert_eq!(r["errors"].as_array().unwrap().len(), 1000);
    assert_eq!(r["truncated_errors"], 205);
    assert_eq!(r["errors"][999]["row"], 1001);
}

#[tokio::test]
async fn export_streams_the_filtered_customers_with_formulas_neutralized() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let csv = "name,email,score,review\n\
        =HYPERLINK(\"http://evil\"),evil@example.com,1,+cmd\n\
        Ann,ann@example.com,5,\"@SUM(1,2)\"\n\
        Bob,bob@example.com,3,-minus\n";
    upload(&admin, csv, "").await.assert_ok(200);
    let response = admin.request(Method::GET, "/api/v1/customers/export?max_score=3").send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(response.headers()["content-disposition"].to_str().unwrap().contains("attachment"));
    let text = response.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2, "{text}");
    let evil = rows.iter().find(|r| &r[2] == "evil@example.com").unwrap();
    assert_eq!(&evil[1], "'=HYPERLINK(\"http://evil\")");
    assert_eq!(&evil[4], "'+cmd");
    let bob = rows.iter().find(|r| &r[2] == "bob@example.com").unwrap();
    assert_eq!(&bob[4], "'-minus");

    let big: String = (0..4_500).map(|i| format!("P{i},p{i}@example.com,4\n")).collect();
    upload(&admin, &format!("name,email,score\n{big}"), "").await.assert_ok(200);
    let all = admin.request(Method::GET, "/api/v1/customers/export").send().await.unwrap().text().await.unwrap();
    assert_eq!(all.lines().count(), 1 + 4_503, "header + every customer across chunks");

    let sample = admin.request(Method::GET, "/api/v1/customers/sample.csv").send().await.unwrap().text().await.unwrap();
    let report = upload(&admin, &sample, "?dry_run=true").await;
    let r = report.assert_ok(200);
    assert_eq!((r["invalid"].as_u64(), r["total_rows"].as_u64()), (Some(0), Some(4)), "the sample imports cleanly");
}

/// Regression (found by schemathesis): on SQLite an update read the row, then wrote, in a
/// deferred transaction; when another write committed in between, SQLite refused the
/// upgrade at once (SQLITE_BUSY_SNAPSHOT) and the request answered 500.
/// Regression (found by CI): on PostgreSQL two writers upserted the same daily counts in
/// hash order, so now and then each held a row the other wanted: a deadlock, and a 500.
#[tokio::test]
async fn concurrent_writes_all_succeed() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let mut ids = Vec::new();
    for i in 0..8 {
        let c = create(
            &admin,
            json!({"name": format!("C{i}"), "email": format!("c{i}@example.com"), "satisfaction_score": 3}),
        )
        .await;
        ids.push(c.assert_ok(201)["id"].as_i64().unwrap());
    }
    let writes = (0..64).map(|n| {
        let admin = &admin;
        let id = ids[n % ids.len()];
        async move {
            match n % 4 {
                0 => create(
                    admin,
                    json!({"name": "New", "email": format!("new{n}@example.com"), "satisfaction_score": 4}),
                )
                .await
                .assert_ok(201)
                .clone(),
                _ => admin
                    .send(
                        admin
                            .unsafe_request(Method::PATCH, &format!("/api/v1/customers/{id}"))
                            .json(&json!({"review": format!("Visit {n}"), "satisfaction_score": 1 + n % 5})),
                    )
                    .await
                    .assert_ok(200)
                    .clone(),
            }
        }
    });
    futures::future::join_all(writes).await;
    let summary = admin.get("/api/v1/analytics/summary").await;
    assert_eq!(summary.assert_ok(200)["count"], 8 + 16, "the aggregates agree with the rows");
}

/// A large import on SQLite builds the secondary indexes after its rows instead of row by
/// row; afterwards they exist exactly as the migrations made them, and a large import that
/// fails after the drop leaves them in place.
#[tokio::test]
async fn a_large_import_leaves_the_indexes_as_they_were() {
    if backend_name() != "sqlite" {
        eprintln!("SQLite only: PostgreSQL imports keep their indexes");
        return;
    }
    let app = spawn_app().await;
    let admin = app.admin().await;
    let db = sea_orm::Database::connect(&app.database_url).await.unwrap();
    let indexes = || async {
        let rows = db
            .query_all_raw(sea_orm::Statement::from_string(
                sea_orm::DbBackend::Sqlite,
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'customers' ORDER BY name",
            ))
            .await
            .unwrap();
        rows.iter().map(|r| r.try_get_by_index::<String>(0).unwrap()).collect::<Vec<_>>()
    };
    let before = indexes().await;
    assert!(before.contains(&"ix_customers_feedback_at".to_string()), "{before:?}");

    let rows: String =
        (0..60_000).map(|i| format!("N{i},n{i}@example.com,{},2026-02-{:02}\n", 1 + i % 5, 1 + i % 28)).collect();
    let import = |body: Vec<u8>| {
        admin.send(
            admin
                .unsafe_request(Method::POST, "/api/v1/customers/import")
                .header("content-type", "text/csv")
                .body(body),
        )
    };
    let report = import(format!("name,email,score,feedback_at\n{rows}").into_bytes()).await;
    assert_eq!(report.assert_ok(200)["inserted"], 60_000);
    assert_eq!(indexes().await, before);
    // The checkpoint that resets the WAL runs after the response, in the background.
    let wal = app.dir.path().join("pulse.db-wal");
    let wal_size = || std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    for _ in 0..100 {
        if wal_size() == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(wal_size(), 0, "the WAL was reset after the import");
    assert_sqlite_sound(&db).await;

    // Binary (a NUL byte) after 60,000 good rows: refused whole, the indexes untouched.
    let more: String = (0..60_000).map(|i| format!("M{i},m{i}@example.com,3,2026-02-01\n")).collect();
    let mut bad = format!("name,email,score,feedback_at\n{more}").into_bytes();
    bad.extend_from_slice(b"Bad\0,bad@example.com,3,2026-02-01\n");
    import(bad).await.assert_error(400, "bad_request");
    assert_eq!(indexes().await, before);
    let summary = admin.get("/api/v1/analytics/summary").await;
    assert_eq!(summary.assert_ok(200)["count"], 60_000);
}

/// Pages come out the same whether the matches are dense enough for SQLite to walk the
/// sort's index or so sparse that it reads and sorts them (the list chooses by the count):
/// one page at a time through 30 matches, by indexed and unindexed sorts, with a search
/// through the index and one too short for it, and a page past the end.
#[tokio::test]
async fn pages_are_the_same_whichever_way_the_matches_are_found() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let mut csv = String::from("name,email,score,review,feedback_at\n");
    for i in 0..40 {
        let review = if i % 4 == 3 { "Slow" } else { "Parcel fine" };
        let name = format!("N{:02}", (i * 7) % 40);
        csv.push_str(&format!("{name},c{i}@example.com,{},{review},2026-01-{:02}\n", i % 5 + 1, i % 28 + 1));
    }
    upload(&admin, &csv, "").await.assert_ok(200);
    let emails = async |query: &str| -> (Vec<String>, i64) {
        let data = admin.get(&format!("/api/v1/customers?{query}")).await.assert_ok(200).clone();
        let items = data["items"].as_array().unwrap().iter().map(|c| c["email"].as_str().unwrap().into()).collect();
        (items, data["total"].as_i64().unwrap())
    };
    for q in ["parcel", "pa"] {
        for sort in ["name", "-feedback_at", "email", "-satisfaction_score"] {
            let (all, total) = emails(&format!("q={q}&sort={sort}&per_page=100")).await;
            assert_eq!((all.len(), total), (30, 30), "{q} {sort}");
            for page in 1..=30 {
                let (one, total) = emails(&format!("q={q}&sort={sort}&per_page=1&page={page}")).await;
                assert_eq!((one.as_slice(), total), (&all[page - 1..page], 30), "{q} {sort} page {page}");
            }
            assert_eq!(emails(&format!("q={q}&sort={sort}&per_page=1&page=31")).await, (vec![], 30));
        }
    }
}

/// `q` goes through the search index (FTS5 on SQLite, `pg_trgm` on PostgreSQL), which
/// every kind of write keeps in step: a create, a bulk import (which indexes its rows at
/// its end), an import that updates, a rename, a new response, a delete, and an import
/// that fails and rolls back. On SQLite the FTS5 index also passes its own check against
/// the table.
#[tokio::test]
async fn the_search_index_follows_every_write() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let found = async |q: &str| -> Vec<String> {
        let reply = admin.get(&format!("/api/v1/customers?q={q}&sort=email")).await;
        reply.assert_ok(200)["items"].as_array().unwrap().iter().map(|c| c["email"].as_str().unwrap().into()).collect()
    };
    let ann = create(
        &admin,
        json!({"name": "Ann Lee", "email": "ann@example.com", "satisfaction_score": 5,
                                    "review": "Lovely staff"}),
    )
    .await;
    let ann_id = ann.assert_ok(201)["id"].as_i64().unwrap();
    assert_eq!(found("lovely").await, ["ann@example.com"]);

    let csv = "name,email,score,review,feedback_at\n\
        Bob Stone,bob@example.com,1,Parcel arrived broken,2026-01-10\n\
        Cat Wu,cat@example.com,4,Lovely parcel,2026-01-11\n";
    upload(&admin, csv, "").await.assert_ok(200);
    assert_eq!(found("parcel").await, ["bob@example.com", "cat@example.com"], "imported rows are indexed");
    assert_eq!(found("lovely").await, ["ann@example.com", "cat@example.com"]);

    let update = "name,email,score,review,feedback_at\nBob Stone,bob@example.com,4,Fixed quickly,2026-01-12\n";
    upload(&admin, update, "?on_conflict=update").await.assert_ok(200);
    assert_eq!(found("parcel").await, ["cat@example.com"], "the replaced review is no longer found");
    assert_eq!(found("quickly").await, ["bob@example.com"]);

    let renamed = admin
        .send(
            admin
                .unsafe_request(Method::PATCH, &format!("/api/v1/customers/{ann_id}"))
                .json(&json!({"name": "Ann Marsh"})),
        )
        .await;
    renamed.assert_ok(200);
    assert_eq!(found("marsh").await, ["ann@example.com"]);
    assert!(found("lee").await.is_empty());

    let response = json!({"satisfaction_score": 2, "review": "Queue was endless"});
    admin
        .send(admin.unsafe_request(Method::POST, &format!("/api/v1/customers/{ann_id}/responses")).json(&response))
        .await
        .assert_ok(201);
    assert_eq!(found("endless").await, ["ann@example.com"], "the latest review is searched");
    assert!(found("lovely").await.iter().all(|e| e != "ann@example.com"), "the earlier review is not");

    admin.send(admin.unsafe_request(Method::DELETE, &format!("/api/v1/customers/{ann_id}"))).await.assert_ok(200);
    assert!(found("endless").await.is_empty());

    let broken = "name,email,score,review,feedback_at\nDan,dan@example.com,3,Parcel lost,2026-01-13\nB\0,b@example.com,3,x,2026-01-13\n";
    upload(&admin, broken, "").await.assert_error(400, "bad_request");
    upload(&admin, "name,email,score,review\nFay,fay@example.com,5,Parcel early\n", "").await.assert_ok(200);
    assert_eq!(found("parcel").await, ["cat@example.com", "fay@example.com"], "the triggers are back after an import");
    assert_eq!(found("ca").await, ["cat@example.com"], "fewer than three characters still match");

    let odd = json!({"name": "Gil", "email": "gil@example.com", "satisfaction_score": 3,
                     "review": "abc bcd, top_up \"quoted\""});
    create(&admin, odd).await.assert_ok(201);
    assert!(found("abcd").await.is_empty(), "every trigram of `abcd` is there, but not `abcd`");
    assert_eq!(found("top_up").await, ["gil@example.com"]);
    assert!(found("top%25up").await.is_empty(), "% is matched literally");
    assert_eq!(found("%22quoted%22").await, ["gil@example.com"], "a double quote is matched literally");

    if backend_name() == "sqlite" {
        let db = sea_orm::Database::connect(&app.database_url).await.unwrap();
        db.execute_unprepared("INSERT INTO customers_search (customers_search, rank) VALUES ('integrity-check', 1)")
            .await
            .expect("the FTS5 index agrees with the customers table");
    }
}
