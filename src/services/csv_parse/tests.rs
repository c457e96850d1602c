use super::*;

/// The whole file as one batch.
fn run(csv: &str) -> Result<Batch, FileError> {
    run_bytes(csv.as_bytes(), None).map(|(batch, _)| batch)
}

fn run_bytes(bytes: &[u8], order: Option<DateOrder>) -> Result<(Batch, FileSummary), FileError> {
    let mut all = Batch::default();
    let summary = parse(bytes, 1, 1_767_225_600, order, |b| {
        all.rows.extend(b.rows);
        all.invalid += b.invalid;
        all.errors.extend(b.errors);
        true
    })?;
    Ok((all, summary))
}

#[test]
fn a_mixed_file_reports_exact_lines() {
    let csv = "\u{FEFF}Name;EMAIL;rating;Review;feedback_at;extra\n\
               Ann;ann@example.com;5;\"Great, really\ngreat\";2024-03-01;x\n\
               Bob;bob@example.com;9;ok;2024-03-02T10:00:00Z;y\n\
               ;no-name@example.com;3;;;\n\
               Cy;not-an-email;4;;;\n\
               Di;di@example.com;2;;yesterday;\n\
               Ed;ed@example.com;4;;;\n";
    let Batch { rows, invalid, errors } = run(csv).unwrap();
    assert_eq!(rows.iter().map(|(l, r)| (*l, r.name.as_str())).collect::<Vec<_>>(), [(2, "Ann"), (8, "Ed")]);
    assert_eq!(rows[0].1.review, "Great, really\ngreat");
    assert_eq!(rows[0].1.feedback_at, 1_709_251_200);
    assert_eq!(rows[1].1.feedback_at, 1_767_225_600, "empty feedback_at is now");
    assert_eq!(invalid, 4);
    let got: Vec<(u64, &str)> = errors.iter().map(|e| (e.row, e.field.as_str())).collect();
    assert_eq!(got, [(4, "satisfaction_score"), (5, "name"), (6, "email"), (7, "feedback_at")]);
}

#[test]
fn delimiters_and_aliases() {
    for (csv, _) in [
        ("email,score,name\na@b.co,4,A\n", ","),
        ("email\tsatisfaction_score\tname\na@b.co\t4\tA\n", "tab"),
        ("EMAIL;Score;NAME\na@b.co;4;A\n", ";"),
    ] {
        let Batch { rows, invalid, .. } = run(csv).unwrap();
        assert_eq!((rows.len(), invalid), (1, 0), "{csv}");
        assert_eq!(rows[0].1.satisfaction_score, 4);
    }
}

#[test]
fn unusable_files_are_refused_whole() {
    assert!(matches!(run(""), Err(FileError::Unusable(_))));
    assert!(matches!(run("\u{FEFF}\n"), Err(FileError::Unusable(_))));
    let missing = run("name,review\nA,x\n").unwrap_err().to_string();
    assert!(missing.contains("email") && missing.contains("satisfaction_score"), "{missing}");
    assert!(matches!(run("\u{0}\u{1}PK\u{3}\u{4}binary"), Err(FileError::NotText)));
    let long_first_line = "x".repeat(200_000);
    assert!(run(&long_first_line).unwrap_err().to_string().contains("64 KiB"));
    let open_quote = format!("name,email,score\nA,a@b.co,\"{}\n", "y\n".repeat(2_000_000));
    assert!(run(&open_quote).unwrap_err().to_string().contains("longer than 1 MiB"));
}

#[test]
fn crlf_files_report_the_line_where_each_record_starts() {
    let csv = "name,email,score\r\nAnn,ann@example.com,5\r\nBob,bob,4\r\n\"Cy\r\nTwo\",cy@example.com,x\r\nDi,di@example.com,3\r\n";
    let Batch { rows, errors, .. } = run(csv).unwrap();
    assert_eq!(
        rows.iter().map(|(l, r)| (*l, r.email.as_str())).collect::<Vec<_>>(),
        [(2, "ann@example.com"), (6, "di@example.com")]
    );
    assert_eq!(
        errors.iter().map(|e| (e.row, e.field.as_str(), e.value.as_str())).collect::<Vec<_>>(),
        [(3, "email", "bob"), (4, "satisfaction_score", "x")]
    );
}

#[test]
fn spreadsheet_headers_encodings_and_dates() {
    let csv = b"Full Name;E-mail;Stars;Comment;Date;Notes\r\nJos\xe9;j@example.com;4;tr\xe8s bien;31/12/2025;x\r\nAnn;ann@example.com;5;;;y\r\n";
    let (batch, summary) = run_bytes(csv, Some(DateOrder::Dmy)).unwrap();
    let fields: Vec<(&str, Option<&str>)> = summary.columns.iter().map(|c| (c.header.as_str(), c.field)).collect();
    assert_eq!(
        fields,
        [
            ("Full Name", Some("name")),
            ("E-mail", Some("email")),
            ("Stars", Some("satisfaction_score")),
            ("Comment", Some("review")),
            ("Date", Some("feedback_at")),
            ("Notes", None),
        ]
    );
    assert_eq!((batch.rows[0].1.name.as_str(), batch.rows[0].1.review.as_str()), ("José", "très bien"));
    assert_eq!(batch.rows[0].1.feedback_at, 1_767_139_200);
    assert_eq!(summary.dated_today, 1);
    assert_eq!(summary.preview.len(), 2);
    assert_eq!(summary.rejected_csv, None);

    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("name,email,score\nZoë,z@example.com,5\n".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let (batch, _) = run_bytes(&utf16, None).unwrap();
    assert_eq!(batch.rows[0].1.name, "Zoë");
}

#[test]
fn rejected_rows_come_back_as_csv_with_their_reason() {
    let (_, summary) =
        run_bytes(b"name,email,score,extra\nAnn,ann@example.com,9,keep\nBob,bob@example.com,4,x\n", None).unwrap();
    assert_eq!(
        summary.rejected_csv.as_deref(),
        Some(
            "name,email,score,extra,error\nAnn,ann@example.com,9,keep,satisfaction_score must be a whole number from 1 to 5\n"
        )
    );
}
