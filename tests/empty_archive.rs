//! A night over an empty archive folder (an unmounted share, a wrong
//! path) says so, and the page and the digest do not contradict
//! themselves: no events yet, no first night, no "latest run that loaded
//! events".

#[path = "common/mod.rs"]
mod common;

use common::hookstat;

#[test]
fn an_empty_archive_is_named_and_the_page_says_no_events_yet() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("arch")).unwrap();
    std::fs::write(
        root.join("run.toml"),
        "database = \"e.duckdb\"\narchives = [\"arch\"]\nreports_out = \"rep\"\n\
         [mail]\nfrom = \"hookstat <r@example.com>\"\nto = [\"m@example.com\"]\n",
    )
    .unwrap();
    let o = hookstat()
        .current_dir(root)
        .args(["run", "--config", "run.toml", "--mail-dry-run"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("0 seen"), "{err}");
    assert!(
        err.contains("no archive files under the paths given"),
        "{err}"
    );
    let page = std::fs::read_to_string(root.join("rep/latest/index.html")).unwrap();
    assert!(page.contains("No events loaded yet."));
    assert!(page.contains("1 ingest run so far."));
    assert!(!page.contains("First night with events"));
    assert!(!page.contains("the latest that loaded events"));
    let eml = std::fs::read_to_string(root.join("rep/latest/digest.eml")).unwrap();
    assert!(eml.contains("NO EVENTS loaded yet"), "{eml}");
    assert!(!eml.contains("First night with events"));
}
