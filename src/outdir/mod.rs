//! Output folders that are replaced, not overwritten: a command writes
//! into a hidden staging folder beside the target, and only a complete
//! result takes the target's place. A failed or killed run leaves the
//! previous complete output. Reports keep a history (`dated.rs`): each run
//! in its own dated folder, `latest` pointing at the newest complete one.

mod dated;

use std::io;
use std::path::{Path, PathBuf};

pub use dated::Dated;

/// File that marks a folder as written whole by hookstat, so it may be
/// swapped out as a unit. A folder without it may hold other files: the
/// new files are then renamed into it one by one.
pub(crate) const MARKER: &str = ".hookstat-output";

/// A staging folder for `target`.
pub struct Staged {
    staging: PathBuf,
    target: PathBuf,
}

pub(crate) fn sibling(target: &Path, suffix: &str) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    let parent = target.parent().unwrap_or(Path::new(""));
    parent.join(format!(".{name}.{suffix}"))
}

impl Staged {
    /// Creates an empty staging folder for `target` (removing what a killed
    /// run left there).
    pub fn new(target: &Path) -> io::Result<Staged> {
        let target = std::path::absolute(target)?;
        let staging = sibling(&target, "hookstat-new");
        if staging.exists() {
            std::fs::remove_dir_all(&staging)?;
        }
        std::fs::create_dir_all(&staging)?;
        Ok(Staged { staging, target })
    }

    /// Where to write.
    pub fn dir(&self) -> &Path {
        &self.staging
    }

    /// The final folder.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Puts the staged files in place of the target's.
    pub fn commit(self) -> io::Result<()> {
        std::fs::write(self.staging.join(MARKER), b"written by hookstat\n")?;
        if !self.target.exists() {
            return std::fs::rename(&self.staging, &self.target);
        }
        if self.target.join(MARKER).is_file() {
            let old = sibling(&self.target, "hookstat-old");
            if old.exists() {
                std::fs::remove_dir_all(&old)?;
            }
            std::fs::rename(&self.target, &old)?;
            std::fs::rename(&self.staging, &self.target)?;
            return std::fs::remove_dir_all(&old);
        }
        // a folder with files of its own: replace only ours, file by file
        for entry in std::fs::read_dir(&self.staging)? {
            let entry = entry?;
            if entry.file_name() != MARKER {
                std::fs::rename(entry.path(), self.target.join(entry.file_name()))?;
            }
        }
        std::fs::remove_dir_all(&self.staging)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_its_own_folder_and_keeps_foreign_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let staged = Staged::new(&out).unwrap();
        std::fs::write(staged.dir().join("a.csv"), "1").unwrap();
        staged.commit().unwrap();
        let staged = Staged::new(&out).unwrap();
        std::fs::write(staged.dir().join("b.csv"), "2").unwrap();
        staged.commit().unwrap();
        assert!(!out.join("a.csv").exists(), "stale report removed");
        assert_eq!(std::fs::read_to_string(out.join("b.csv")).unwrap(), "2");

        let foreign = dir.path().join("mine");
        std::fs::create_dir(&foreign).unwrap();
        std::fs::write(foreign.join("notes.txt"), "keep").unwrap();
        let staged = Staged::new(&foreign).unwrap();
        std::fs::write(staged.dir().join("c.csv"), "3").unwrap();
        staged.commit().unwrap();
        assert!(foreign.join("notes.txt").exists());
        assert!(foreign.join("c.csv").exists());
        assert!(!dir.path().join(".mine.hookstat-new").exists());
    }
}
