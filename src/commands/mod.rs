//! One file per subcommand; each only orchestrates the stages.

pub mod config;
pub mod export;
pub mod ingest;
pub mod mail;
pub mod query;
pub mod report;
pub mod run;
pub mod sample;
pub mod schema;

/// How a command ended. `main` alone turns it into an exit status and
/// prints the problems: `Done` is 0, `Problems` 1 (everything was still
/// written), and an error 2 (the command could not run; it changed nothing,
/// or what it did say so as a problem).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Everything done within the limits asked for.
    Done,
    /// Finished, but with problems the caller asked to hear about through
    /// the exit status (strict limits, failed reports or stages).
    Problems(Vec<String>),
}

impl Outcome {
    /// `Done` when `problems` is empty.
    pub fn from_problems(problems: Vec<String>) -> Outcome {
        if problems.is_empty() {
            Outcome::Done
        } else {
            Outcome::Problems(problems)
        }
    }

    /// The exit status of this outcome.
    pub fn exit_code(&self) -> i32 {
        match self {
            Outcome::Done => 0,
            Outcome::Problems(_) => 1,
        }
    }
}
