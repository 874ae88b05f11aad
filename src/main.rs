//! The `hookstat` binary: parses the command line, runs the subcommand and
//! turns its outcome into an exit status, the one place that does (0 done,
//! 1 finished with problems, 2 could not run), printing problems and errors.

use clap::Parser;

use hookstat::cli::{Cli, Command};
use hookstat::commands::{self, Outcome};

/// Parser threads allocate many small strings; mimalloc keeps that cheap.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = Cli::parse();
    let outcome = match &cli.command {
        Command::Run(args) => commands::run::run(args),
        Command::Ingest(args) => commands::ingest::run(args),
        Command::Query(args) => commands::query::run(args),
        Command::Report(args) => commands::report::run(args),
        Command::Export(args) => commands::export::run(args),
        Command::Schema(args) => commands::schema::run(args),
        Command::Sample(args) => commands::sample::run(args),
    };
    match outcome {
        Ok(outcome) => {
            if let Outcome::Problems(problems) = &outcome {
                for problem in problems {
                    eprintln!("hookstat: {problem}");
                }
            }
            std::process::exit(outcome.exit_code())
        }
        Err(err) => {
            eprintln!("hookstat: error: {}", describe(&err));
            std::process::exit(2);
        }
    }
}

/// The error and its causes on one line, without repeating a cause that the
/// message before it already quotes, and without DuckDB's generic
/// "Error code 1: Unknown error code".
fn describe(err: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in err.chain() {
        let text = cause.to_string().trim().to_string();
        let noise = text.starts_with("Error code ") && text.ends_with("Unknown error code");
        if text.is_empty() || noise || parts.iter().any(|p| p.contains(&text)) {
            continue;
        }
        parts.push(text);
    }
    parts.join(": ")
}
