//! Dated output folders with a `latest` link: every run writes
//! `<out>/<stamp>/` (staged beside it, renamed into place when complete),
//! then `<out>/latest` is pointed at it in one rename, then folders beyond
//! the newest `keep` are removed. A failed or killed run leaves `latest` on
//! the previous complete folder.

use std::io;
use std::path::{Path, PathBuf};

use super::MARKER;

/// Name of the link to the newest complete folder.
pub const LATEST: &str = "latest";

/// Files an earlier version wrote directly into the output folder.
fn is_flat_output(name: &str) -> bool {
    name == "index.html"
        || name == MARKER
        || [".csv", ".svg", ".png"]
            .iter()
            .any(|ext| name.ends_with(ext))
}

/// A run's dated output folder, staged until [`Dated::commit`].
pub struct Dated {
    root: PathBuf,
    stamp: String,
    staging: PathBuf,
    keep: usize,
}

/// True for names of dated folders: `2026-11-25T021500Z`, maybe with a
/// `-2` suffix. Any other name, in any script, is not one (and is never
/// sliced: a name is only compared byte by byte).
pub fn is_stamp(name: &str) -> bool {
    const SHAPE: &[u8; 18] = b"dddd-dd-ddTddddddZ";
    let b = name.as_bytes();
    if b.len() < SHAPE.len() {
        return false;
    }
    let (stamp, suffix) = b.split_at(SHAPE.len());
    let shaped = stamp.iter().zip(SHAPE).all(|(&c, &want)| match want {
        b'd' => c.is_ascii_digit(),
        want => c == want,
    });
    let suffixed = match suffix {
        [] => true,
        [b'-', n @ ..] => !n.is_empty() && n.iter().all(u8::is_ascii_digit),
        _ => false,
    };
    shaped && suffixed
}

/// The name of a folder entry when it is text (names that are not UTF-8
/// are never hookstat's own).
fn text_name(entry: &std::fs::DirEntry) -> Option<String> {
    entry.file_name().into_string().ok()
}

impl Dated {
    /// Stages a folder named `stamp` (a time such as `2026-11-25T021500Z`)
    /// under `root`, keeping the newest `keep` folders (at least 1) when
    /// committed. A second run in the same second gets a `-2` suffix.
    pub fn new(root: &Path, stamp: &str, keep: usize) -> io::Result<Dated> {
        let root = std::path::absolute(root)?;
        std::fs::create_dir_all(&root)?;
        let mut name = stamp.to_string();
        let mut n = 1;
        while root.join(&name).exists() {
            n += 1;
            name = format!("{stamp}-{n}");
        }
        let staging = root.join(format!(".{name}.hookstat-new"));
        if staging.exists() {
            std::fs::remove_dir_all(&staging)?;
        }
        std::fs::create_dir_all(&staging)?;
        Ok(Dated {
            root,
            stamp: name,
            staging,
            keep: keep.max(1),
        })
    }

    /// Where to write.
    pub fn dir(&self) -> &Path {
        &self.staging
    }

    /// The dated folder once committed.
    pub fn target(&self) -> PathBuf {
        self.root.join(&self.stamp)
    }

    /// The `latest` link, which shows the newest complete folder.
    pub fn latest(&self) -> PathBuf {
        self.root.join(LATEST)
    }

    /// Puts the folder in place, points `latest` at it, removes the oldest
    /// folders beyond the ones kept; returns the folders removed.
    pub fn commit(self) -> io::Result<Vec<PathBuf>> {
        std::fs::write(self.staging.join(MARKER), b"written by hookstat\n")?;
        std::fs::rename(&self.staging, self.target())?;
        let link = self.root.join(format!(".{LATEST}.hookstat-new"));
        let _ = std::fs::remove_file(&link);
        point(&link, &self.stamp)?;
        std::fs::rename(&link, self.latest())?;
        self.remove_flat_output()?;
        self.prune()
    }

    /// Removes the files an earlier version wrote into the folder itself
    /// (only when that version marked the folder as its own).
    fn remove_flat_output(&self) -> io::Result<()> {
        if !self.root.join(MARKER).is_file() {
            return Ok(());
        }
        for entry in std::fs::read_dir(&self.root)? {
            let entry = entry?;
            let ours = text_name(&entry).is_some_and(|n| is_flat_output(&n));
            if ours && entry.file_type()?.is_file() {
                std::fs::remove_file(entry.path())?;
            }
        }
        Ok(())
    }

    fn prune(&self) -> io::Result<Vec<PathBuf>> {
        let mut dated: Vec<String> = std::fs::read_dir(&self.root)?
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .filter_map(|e| text_name(&e))
            .filter(|n| is_stamp(n) && n.as_str() != self.stamp)
            .collect();
        dated.sort();
        let extra = (dated.len() + 1).saturating_sub(self.keep);
        let mut removed = Vec::new();
        for name in dated.into_iter().take(extra) {
            let path = self.root.join(name);
            // only folders hookstat wrote whole
            if path.join(MARKER).is_file() {
                std::fs::remove_dir_all(&path)?;
                removed.push(path);
            }
        }
        Ok(removed)
    }
}

#[cfg(unix)]
fn point(link: &Path, to: &str) -> io::Result<()> {
    std::os::unix::fs::symlink(to, link)
}

#[cfg(not(unix))]
fn point(link: &Path, to: &str) -> io::Result<()> {
    // no symlinks: `latest` is a file naming the folder
    std::fs::write(link, to)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(root: &Path, stamp: &str, keep: usize) -> Vec<PathBuf> {
        let d = Dated::new(root, stamp, keep).unwrap();
        std::fs::write(d.dir().join("index.html"), stamp).unwrap();
        d.commit().unwrap()
    }

    #[test]
    fn latest_follows_the_newest_and_old_ones_are_pruned() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("out");
        run(&root, "2026-11-23T020000Z", 2);
        run(&root, "2026-11-24T020000Z", 2);
        let removed = run(&root, "2026-11-25T020000Z", 2);
        assert_eq!(removed, vec![root.join("2026-11-23T020000Z")]);
        let latest = std::fs::read_to_string(root.join("latest/index.html")).unwrap();
        assert_eq!(latest, "2026-11-25T020000Z");
        assert!(root.join("2026-11-24T020000Z/index.html").is_file());
        // same second again: a suffixed folder, latest follows
        run(&root, "2026-11-25T020000Z", 5);
        assert!(root.join("2026-11-25T020000Z-2").is_dir());
        let link = std::fs::read_link(root.join("latest")).unwrap();
        assert_eq!(link, PathBuf::from("2026-11-25T020000Z-2"));
    }

    #[test]
    fn an_unfinished_run_leaves_latest_alone_and_foreign_folders_stay() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("out");
        run(&root, "2026-11-24T020000Z", 1);
        std::fs::create_dir_all(root.join("2020-01-01T000000Z")).unwrap(); // not ours
        let unfinished = Dated::new(&root, "2026-11-25T020000Z", 1).unwrap();
        std::fs::write(unfinished.dir().join("index.html"), "half").unwrap();
        drop(unfinished);
        let latest = std::fs::read_to_string(root.join("latest/index.html")).unwrap();
        assert_eq!(latest, "2026-11-24T020000Z");
        run(&root, "2026-11-26T020000Z", 1);
        assert!(root.join("2020-01-01T000000Z").is_dir());
        assert!(!root.join("2026-11-24T020000Z").exists());
    }

    #[test]
    fn flat_output_of_an_earlier_version_is_replaced_by_the_link() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("out");
        std::fs::create_dir_all(&root).unwrap();
        for f in ["index.html", "a.csv", MARKER, "notes.txt"] {
            std::fs::write(root.join(f), "old").unwrap();
        }
        run(&root, "2026-11-25T020000Z", 3);
        assert!(!root.join("a.csv").exists() && !root.join("index.html").exists());
        assert!(root.join("notes.txt").exists());
        assert!(is_stamp("2026-11-25T020000Z-2") && !is_stamp("latest"));
    }

    #[test]
    fn only_stamps_are_stamps_whatever_the_script() {
        for name in [
            "2026-11-25T020000Z",
            "2026-11-25T020000Z-2",
            "2026-11-25T020000Z-17",
        ] {
            assert!(is_stamp(name), "{name}");
        }
        for name in [
            "2026-11-25T021500é",
            "2026-11-25T02150é",
            "2026-11-25T020000Z-",
            "2026-11-25T020000Zx",
            "2026-11-25T020000Z-2é",
            "२०२६-११-२५T०२१५००Z",
            "٢٠٢٦-١١-٢٥T٠٢١٥٠٠Z",
            "2026-11-25T02🙂00Z",
            "2026-11-25 020000Z",
            "",
        ] {
            assert!(!is_stamp(name), "{name}");
        }
    }
}
