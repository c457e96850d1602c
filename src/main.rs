//! The `pulse` command line: serve (default), migrate, create-admin, backup.

use std::{io::IsTerminal, path::PathBuf, process::ExitCode};

use anyhow::Context;
use clap::{Parser, Subcommand};
use pulse::{
    Application,
    core::{config::Settings, database, password::PasswordHasher, telemetry},
    domain::feedback_at::DateOrder,
    services::{
        self,
        csv_import::{self, ImportOptions, OnConflict},
    },
};

// mimalloc instead of glibc's malloc: an import allocates rows on its parser thread and
// frees them on the database's, which glibc handled slowly (a 1M-row import took 3.6 s
// instead of 2.7). Its `override` feature (Cargo.toml) serves SQLite's C allocations too:
// 6 % off a 1M-row import (3.00 s to 2.82 s, medians of 5 runs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Makes mimalloc commit memory as it is used. By default it commits its first arena whole,
/// which took the server's peak RSS during a 1M-row import to 223-231 MB (166 MB without);
/// it must be set before `main`, as the first allocation makes the first arena. And freed
/// memory goes back to the system at once: mimalloc purges only when it next allocates, so
/// with its delay an idle server kept what its last burst freed (idle RSS 71 MB after one
/// login, 34 MB with this). Argon2's 19 MiB, which this would make every login fault in
/// again, is kept by the hashing threads instead (`core::password`).
#[ctor::ctor(unsafe)]
fn tune_allocator() {
    // The options' numbers in mimalloc.h (v3, the version libmimalloc-sys builds), which the
    // crate leaves unnamed.
    const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: options are plain integers, set here before any thread exists to read them.
    unsafe {
        libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0);
        libmimalloc_sys::mi_option_set(PURGE_DELAY, 0);
    }
}

#[derive(Parser)]
#[command(
    name = "pulse",
    version,
    about = "Pulse: a customer-satisfaction dashboard server.",
    long_about = "Pulse serves the API and the web UI. Configuration comes from environment variables \
                  and a .env file (see .env.example)."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP server (the default): migrates, seeds the admin, serves API and UI.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Create a verified admin account; the password is read from a prompt or from stdin.
    CreateAdmin {
        #[arg(long)]
        username: String,
        #[arg(long)]
        email: String,
    },
    /// Import customers from a CSV file, through the same rules as the upload API.
    Import {
        /// The CSV file (header row with name, email, satisfaction_score; optional review, feedback_at).
        file: PathBuf,
        /// Check everything and write nothing.
        #[arg(long)]
        dry_run: bool,
        /// What to do with emails that already exist: skip the row, update the customer's latest
        /// response, or append the row as a new response.
        #[arg(long, value_enum, default_value_t = ConflictChoice::Skip)]
        on_conflict: ConflictChoice,
        /// The slug of the workspace to import into.
        #[arg(long, default_value = "default")]
        workspace: String,
        /// How to read dates like 31/12/2025 (dmy) or 12/31/2025 (mdy); without it they are refused.
        #[arg(long, value_enum)]
        date_format: Option<DateFormatChoice>,
    },
    /// Print the OpenAPI document (the same as /api/openapi.json) and exit.
    Openapi,
    /// Write a consistent copy of the live SQLite database to a new file.
    Backup {
        /// The file to create; it must not exist yet.
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum DateFormatChoice {
    Dmy,
    Mdy,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ConflictChoice {
    Skip,
    Update,
    Append,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    if matches!(cli.command, Some(Command::Openapi)) {
        println!("{}", pulse::api::docs::openapi_json());
        return ExitCode::SUCCESS;
    }
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(err) => {
            eprintln!("pulse: configuration error: {err:#}");
            return ExitCode::from(2);
        }
    };
    let command = cli.command.unwrap_or(Command::Serve);
    telemetry::init(settings.log_format, !matches!(command, Command::Serve));
    match run(command, settings).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("pulse: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, settings: Settings) -> anyhow::Result<()> {
    match command {
        Command::Serve => {
            let app = Application::build(settings).await?;
            tracing::info!(address = %app.local_addr(), "Pulse is listening");
            app.run_until(pulse::shutdown_signal()).await?;
            Ok(())
        }
        Command::Migrate => {
            let db = database::connect(&settings.database_url).await?;
            pulse::migration::apply(&db).await?;
            println!("migrations applied to {}", database::redact(&settings.database_url));
            Ok(())
        }
        Command::CreateAdmin { username, email } => {
            let password = read_password()?;
            let db = database::connect(&settings.database_url).await?;
            pulse::migration::apply(&db).await?;
            let workspace = format!("{username}'s workspace");
            let admin =
                services::users::create_admin(&db, &PasswordHasher::new(), &username, &email, &password, &workspace)
                    .await
                    .map_err(|e| anyhow::anyhow!("{}", describe(e)))?;
            println!("created admin {} <{}>", admin.username, admin.email);
            Ok(())
        }
        Command::Import { file, dry_run, on_conflict, workspace, date_format } => {
            let db = database::connect(&settings.database_url).await?;
            pulse::migration::apply(&db).await?;
            // As `serve` would at start: on a new database, the admin and its Default workspace.
            services::users::ensure_admin(&db, &PasswordHasher::new(), &settings).await?;
            let workspace = pulse::models::workspace::find_by_slug(&db, &workspace)
                .await?
                .with_context(|| format!("no workspace has the slug `{workspace}` (see --workspace)"))?;
            let source =
                tokio::fs::File::open(&file).await.with_context(|| format!("cannot open {}", file.display()))?;
            let size = source.metadata().await?.len();
            let bar = indicatif::ProgressBar::new(size).with_style(indicatif::ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
            )?);
            let options = ImportOptions {
                dry_run,
                on_conflict: match on_conflict {
                    ConflictChoice::Skip => OnConflict::Skip,
                    ConflictChoice::Update => OnConflict::Update,
                    ConflictChoice::Append => OnConflict::Append,
                },
                date_order: date_format.map(|f| match f {
                    DateFormatChoice::Dmy => DateOrder::Dmy,
                    DateFormatChoice::Mdy => DateOrder::Mdy,
                }),
            };
            let started = std::time::Instant::now();
            let report = csv_import::import(&db, workspace.id, bar.wrap_async_read(source), options, None)
                .await
                .map_err(|e| anyhow::anyhow!("{}", describe(e)))?;
            bar.finish_and_clear();
            report.tidy_up(&db, options.dry_run).await;
            db.close().await?;
            println!("{}", serde_json::to_string_pretty(&report)?);
            let rows_per_second = report.total_rows as f64 / started.elapsed().as_secs_f64().max(1e-9);
            eprintln!(
                "{} rows in {:.2?} ({rows_per_second:.0} rows/s): {} inserted, {} updated, {} appended, {} skipped, \
                 {} invalid{}",
                report.total_rows,
                started.elapsed(),
                report.inserted,
                report.updated,
                report.appended,
                report.skipped,
                report.invalid,
                if dry_run { " (dry run: nothing written)" } else { "" }
            );
            Ok(())
        }
        Command::Openapi => unreachable!("handled before settings are read"),
        Command::Backup { out } => {
            let db = database::connect(&settings.database_url).await?;
            database::backup(&db, &out).await?;
            println!("backup written to {}", out.display());
            Ok(())
        }
    }
}

/// From a hidden prompt on a terminal, else the first line of stdin; never from argv.
fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ")?;
        let again = rpassword::prompt_password("Repeat password: ")?;
        anyhow::ensure!(first == again, "the passwords do not match");
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).context("cannot read the password from stdin")?;
        Ok(line.trim_end_matches(['\r', '\n']).to_string())
    }
}

fn describe(err: pulse::core::error::AppError) -> String {
    match err {
        pulse::core::error::AppError::Validation(fields) => fields
            .iter()
            .map(|(field, problems)| format!("{field} {}", problems.join(", ")))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}
