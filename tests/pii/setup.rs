//! Driving the binary: a temp folder with its own HOME, ingest, export and
//! report commands, and the dropped-in reports that select raw phone
//! columns and free text.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::pii::isolated;
use crate::common::{ingest, ndjson};
use crate::planted::{night1, Cell};

/// A temp folder with a database; every command runs with HOME and the
/// XDG folders inside it (so no key can land in the user's home) and
/// without the PII environment variables.
pub struct Setup {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
    pub db: PathBuf,
    pub cells: Vec<Cell>,
}

impl Setup {
    pub fn new() -> Setup {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        std::fs::create_dir_all(root.join("home")).unwrap();
        Setup {
            db: root.join("h.duckdb"),
            root,
            _dir: dir,
            cells: Vec::new(),
        }
    }

    /// Night 1 ingested.
    pub fn night1() -> Setup {
        let mut s = Setup::new();
        let lines = night1(&mut s.cells);
        s.ingest("night1.ndjson", &lines);
        s
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    pub fn cmd(&self) -> assert_cmd::Command {
        isolated(&self.root)
    }

    pub fn ingest(&self, name: &str, lines: &[String]) {
        let file = self.path(name);
        std::fs::write(&file, ndjson(lines)).unwrap();
        let (code, summary, out) = ingest(&self.db, &[&file], &[]);
        assert_eq!(code, 0, "{}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(summary["inserted"], lines.len(), "{summary}");
        assert_eq!(summary["rejected"], 0, "{summary}");
    }

    /// Runs `cmd` and parses its JSON stdout; it must succeed.
    pub fn json(cmd: &mut assert_cmd::Command) -> Value {
        let o = cmd.output().unwrap();
        assert!(
            o.status.success(),
            "exit {:?}: {}",
            o.status.code(),
            String::from_utf8_lossy(&o.stderr)
        );
        serde_json::from_slice(&o.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&o.stdout)))
    }

    pub fn export_cmd(&self, out: &Path, extra: &[&str]) -> assert_cmd::Command {
        let mut c = self.cmd();
        c.args(["export", "--json", "--db"])
            .arg(&self.db)
            .arg("--out")
            .arg(out)
            .args(extra);
        c
    }

    /// `hookstat export --json` with the key file `key`.
    pub fn export(&self, out: &Path, key: &Path, extra: &[&str]) -> Value {
        let mut c = self.export_cmd(out, extra);
        c.arg("--pii-key-file").arg(key);
        Setup::json(&mut c)
    }

    /// `hookstat report` with the dropped-in reports of [`write_reports`].
    pub fn report(&self, out: &Path, key: &Path, extra: &[&str]) {
        let reports = write_reports(&self.path("reports-in"));
        let o = self
            .cmd()
            .arg("report")
            .arg("--db")
            .arg(&self.db)
            .arg("--out")
            .arg(out)
            .arg("--reports")
            .arg(&reports)
            .arg("--pii-key-file")
            .arg(key)
            .args(extra)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "report exit {:?}: {}",
            o.status.code(),
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

/// Dropped-in reports that select the raw phone columns and the free text.
pub fn write_reports(dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let files = [
        (
            "uf_all.sql",
            "-- title: Raw User Feedback columns\n\
             SELECT event_id, phone, customer_number, contact__msisdn, caller__alt, ref_code,\n\
             ref_float, comment, visited_at_text, visited_ms_text, business_number\n\
             FROM uf_events ORDER BY event_id;\n",
        ),
        (
            "free_text.sql",
            "-- title: What users wrote\n\
             SELECT event_id, comment AS feedback FROM uf_events ORDER BY event_id;\n",
        ),
        (
            "child_phones.sql",
            "-- title: Numbers in arrays\n\
             SELECT event_id, 'numbers' AS src, _index, value AS v FROM uf_events__numbers\n\
             UNION ALL\n\
             SELECT event_id, 'contacts', _index, coalesce(tel, whatsapp, reach) FROM uf_events__contacts\n\
             ORDER BY 1, 2, 3;\n",
        ),
        (
            "phones_chart.sql",
            "-- title: Requests per phone\n\
             -- chart: bars\n\
             -- x: phone\n\
             -- y: n\n\
             SELECT phone, count(*) AS n FROM uf_events WHERE phone IS NOT NULL\n\
             GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 25;\n",
        ),
        (
            "alt_chart.sql",
            "-- title: Requests per alternative\n\
             -- chart: bars\n\
             -- x: caller__alt\n\
             -- y: n\n\
             SELECT caller__alt, count(*) AS n FROM uf_events WHERE caller__alt IS NOT NULL\n\
             GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 25;\n",
        ),
    ];
    for (name, sql) in files {
        std::fs::write(dir.join(name), sql).unwrap();
    }
    dir.to_path_buf()
}
