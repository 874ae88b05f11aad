//! Output folders written whole: a command writes into a hidden staging
//! folder and only a complete result takes its place, so a failed or
//! killed run leaves the previous complete output. Reports keep a history
//! (`dated.rs`): each run in its own dated folder, `latest` pointing at the
//! newest complete one.

mod dated;

pub use dated::Dated;

/// File that marks a folder as written whole by hookstat: only such
/// folders are ever removed (old dated folders, or the flat output of an
/// earlier version).
pub(crate) const MARKER: &str = ".hookstat-output";
