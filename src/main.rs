//! The `hookstat` binary: parses the command line, runs the subcommand and
//! turns the outcome into an exit status (0 ok, 1 `--strict` limits
//! exceeded, 2 could not run).

use clap::Parser;

use hookstat::cli::{Cli, Command};
use hookstat::commands;

/// Parser threads allocate many small strings; mimalloc keeps that cheap.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = Cli::parse();
    let outcome = match &cli.command {
        Command::Ingest(args) => commands::ingest::run(args),
        Command::Query(args) => commands::query::run(args),
        Command::Sample(args) => commands::sample::run(args),
    };
    match outcome {
        Ok(code) => std::process::exit(code),
        Err(err) => {
            eprintln!("hookstat: error: {err:#}");
            std::process::exit(2);
        }
    }
}
