//! The `dossier` binary: parses the command line and runs it; logs go to stderr (stdout is the protocol).

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    dossier::alloc::configure();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("DOSSIER_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    dossier::cli::run(dossier::cli::Cli::parse())
}
