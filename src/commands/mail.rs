//! The mail stage of `run` and `report`: the digest of the report just
//! written, always saved as `digest.eml` in its dated folder, then sent
//! unless it is a dry run. A failure is a problem naming the mail stage;
//! what the night wrote before it stands.

use std::path::Path;

use anyhow::{Context, Result};

use super::config::load_file;
use super::report::ReportRun;
use crate::digest::{letter, subject};
use crate::mail::{self, MailSettings};

/// The file name of the saved message.
pub const EML: &str = "digest.eml";

/// What the mail stage did, for `run --json`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MailSummary {
    /// The subject line.
    pub subject: String,
    /// The saved message.
    pub eml: String,
    /// Sent to the server (false: dry run or failure).
    pub sent: bool,
    /// Recipients.
    pub to: Vec<String>,
}

impl MailSummary {
    /// The line the commands print: "sent: <subject> (<eml>)" or "saved: …".
    pub fn line(&self) -> String {
        let how = if self.sent { "sent" } else { "saved" };
        format!("{how}: {} ({})", self.subject, self.eml)
    }
}

/// The `[mail]` settings and `[strict] alerts` of a configuration file
/// (`report --settings`); other keys are not used by `report`.
pub fn from_config(path: Option<&Path>, dry_run: bool) -> Result<(Option<MailSettings>, bool)> {
    let Some(path) = path else {
        if dry_run {
            anyhow::bail!("--mail-dry-run needs --settings with a [mail] section");
        }
        return Ok((None, false));
    };
    let config = load_file(path)?;
    let base = path.parent().unwrap_or(Path::new(""));
    let mail = config
        .mail
        .as_ref()
        .map(|m| m.resolve(base, !dry_run))
        .transpose()?;
    if dry_run && mail.is_none() {
        anyhow::bail!(
            "--mail-dry-run needs a [mail] section in {}",
            path.display()
        );
    }
    let strict = config.strict.and_then(|s| s.alerts).unwrap_or(false);
    Ok((mail, strict))
}

/// Writes `digest.eml` into the report's folder and sends it when `send`.
/// Err is the problem line ("mail stage failed: …").
pub fn stage(
    settings: &MailSettings,
    report: &ReportRun,
    send: bool,
) -> Result<MailSummary, String> {
    deliver(settings, report, send).map_err(|e| format!("mail stage failed: {e:#}"))
}

fn deliver(settings: &MailSettings, report: &ReportRun, send: bool) -> Result<MailSummary> {
    let facts = report.digest.as_ref().context("the report has no digest")?;
    let folder = Path::new(&report.folder);
    let leads = subject::leads_from_decision(folder);
    let links = letter::Links {
        folder: &report.folder,
        charts: &report.charts,
    };
    let letter = letter::letter(facts, &leads, &links, chrono::Utc::now());
    let message = mail::compose(settings, &letter)?;
    let eml = folder.join(EML);
    // saved first: a refused or failed send still leaves the message
    mail::write_eml(&message, &eml)?;
    let summary = MailSummary {
        subject: letter.subject,
        eml: eml.display().to_string(),
        sent: false,
        to: settings.to.clone(),
    };
    if !send {
        return Ok(summary);
    }
    mail::send(settings, &message)
        .with_context(|| format!("the message is saved as {}", eml.display()))?;
    Ok(MailSummary {
        sent: true,
        ..summary
    })
}

/// The digest's flags as problems (`[strict] alerts = true`); `stale` is
/// left out, it is a problem of its own ("stale data: …", always).
pub fn alert_problems(report: &ReportRun) -> Vec<String> {
    report
        .digest
        .iter()
        .flat_map(|d| &d.alerts)
        .filter(|a| a.kind != "stale")
        .map(|a| format!("alert: {}", a.message))
        .collect()
}
