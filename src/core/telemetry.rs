//! Log output: pretty lines in development, JSON in production (`LOG_FORMAT`).

use tracing_subscriber::{EnvFilter, fmt, layer::SubscriberExt, util::SubscriberInitExt};

use crate::core::config::LogFormat;

/// Installs the global subscriber once; later calls (tests) are ignored. The server logs
/// to stdout; the other commands to stderr, so that their stdout is only their result
/// (`pulse import` prints its report as JSON).
pub fn init(format: LogFormat, to_stderr: bool) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn,sea_orm_migration=warn,tower_http=warn"));
    let registry = tracing_subscriber::registry().with(filter);
    let writer = move || -> Box<dyn std::io::Write> {
        if to_stderr { Box::new(std::io::stderr()) } else { Box::new(std::io::stdout()) }
    };
    let _ = match format {
        LogFormat::Json => registry
            .with(fmt::layer().json().flatten_event(true).with_current_span(true).with_writer(writer))
            .try_init(),
        LogFormat::Pretty => registry.with(fmt::layer().compact().with_writer(writer)).try_init(),
    };
}
