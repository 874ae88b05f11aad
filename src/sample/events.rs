//! Synthetic event bodies for the sample archive: Call Me Back (`cmb`), a
//! User Feedback-like type (`uf`) and a small `survey_v2` type, plus the
//! optional type drift and field issues described in the webhook format notes.
//!
//! Everything is derived from the caller's [`ChaCha8Rng`], so the same random
//! stream always yields the same events (key order included: the crate builds
//! `serde_json` with `preserve_order`, and objects are built in document order).

use chrono::{DateTime, Datelike};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde_json::{Map, Value};

use super::accounts::{Account, ACCOUNTS, CONFIGS, CONFIG_WEIGHTS};
use super::feedback::{survey_payload, uf_payload};
use super::util::{epoch, phone, uuid_v4, weekday_name, weighted, ymd, DAY_SECS, IST_OFFSET};

/// The event types the generator produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EventKind {
    /// Call Me Back.
    Cmb,
    /// The (undocumented) User Feedback-like type.
    Uf,
    /// A rare, small survey type.
    SurveyV2,
}

impl EventKind {
    /// The `event_type` value.
    pub(crate) fn name(self) -> &'static str {
        match self {
            EventKind::Cmb => "cmb",
            EventKind::Uf => "uf",
            EventKind::SurveyV2 => "survey_v2",
        }
    }

    fn payload_key(self) -> &'static str {
        match self {
            EventKind::Cmb => "cmb_payload",
            EventKind::Uf => "uf_payload",
            EventKind::SurveyV2 => "survey_v2_payload",
        }
    }
}

/// A deliberately invalid field value in an otherwise valid `cmb` event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FieldIssue {
    /// `requested_date` is an impossible calendar date.
    ImpossibleDate,
    /// `preferred_from_time` is `"soon"`.
    SoonTimestamp,
    /// `is_interested` is `"maybe"`.
    MaybeBoolean,
}

impl FieldIssue {
    /// All issues, in a fixed order.
    pub(crate) const ALL: [FieldIssue; 3] = [
        FieldIssue::ImpossibleDate,
        FieldIssue::SoonTimestamp,
        FieldIssue::MaybeBoolean,
    ];

    /// The problem code the ingester reports.
    pub(crate) fn problem(self) -> &'static str {
        match self {
            FieldIssue::ImpossibleDate => "not_a_date",
            FieldIssue::SoonTimestamp => "not_a_timestamp",
            FieldIssue::MaybeBoolean => "not_a_boolean",
        }
    }

    /// The payload key that carries the bad value.
    pub(crate) fn field(self) -> &'static str {
        match self {
            FieldIssue::ImpossibleDate => "requested_date",
            FieldIssue::SoonTimestamp => "preferred_from_time",
            FieldIssue::MaybeBoolean => "is_interested",
        }
    }
}

/// Impossible `YYYY-MM-DD` dates used for the `not_a_date` issue.
const IMPOSSIBLE_DATES: [&str; 4] = ["2025-02-30", "2025-09-31", "2025-06-31", "2025-02-29"];

/// Which kinds of documented drift one event shows (all false when clean).
#[derive(Debug, Clone, Copy, Default)]
struct Drift {
    numeric_epochs: bool,
    string_bool: bool,
    numeric_created_at: bool,
    extra_keys: bool,
    no_alternate: bool,
    no_feature_set: bool,
}

/// Builds event objects; `clean` switches off drift and `null`/absent variants.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EventGen {
    clean: bool,
}

impl EventGen {
    /// A generator; with `clean` every value has its documented string form.
    pub(crate) fn new(clean: bool) -> Self {
        Self { clean }
    }

    /// Builds one valid event of `kind` created at `created_at` (epoch seconds).
    /// `issue` (only for `cmb`) injects one invalid field and disables drift.
    pub(crate) fn event(
        &self,
        rng: &mut ChaCha8Rng,
        kind: EventKind,
        created_at: i64,
        issue: Option<FieldIssue>,
    ) -> (String, Value) {
        let id = uuid_v4(rng);
        let drift = if self.clean || issue.is_some() {
            Drift::default()
        } else {
            Drift {
                numeric_epochs: rng.gen_bool(0.03),
                string_bool: rng.gen_bool(0.03),
                numeric_created_at: rng.gen_bool(0.02),
                extra_keys: rng.gen_bool(0.03),
                no_alternate: rng.gen_bool(0.03),
                no_feature_set: rng.gen_bool(0.02),
            }
        };
        let value = self.build(
            rng,
            Some(Value::from(id.clone())),
            Some(kind),
            kind,
            created_at,
            issue,
            drift,
        );
        (id, value)
    }

    /// Builds a clean `cmb` event with a custom `event_id` value (or none) and
    /// optionally without `event_type`: the base of the bad records.
    pub(crate) fn bad_base(
        &self,
        rng: &mut ChaCha8Rng,
        created_at: i64,
        event_id: Option<Value>,
        with_type: bool,
    ) -> Value {
        let kind = EventKind::Cmb;
        let ty = with_type.then_some(kind);
        self.build(rng, event_id, ty, kind, created_at, None, Drift::default())
    }

    #[allow(clippy::too_many_arguments)]
    fn build(
        &self,
        rng: &mut ChaCha8Rng,
        event_id: Option<Value>,
        event_type: Option<EventKind>,
        kind: EventKind,
        created_at: i64,
        issue: Option<FieldIssue>,
        drift: Drift,
    ) -> Value {
        let account = pick_account(rng, issue.is_some());
        let payload = match kind {
            EventKind::Cmb => self.cmb_payload(rng, account, created_at, issue, drift),
            EventKind::Uf => {
                uf_payload(rng, account.numbers[0].0, created_at, drift.numeric_epochs)
            }
            EventKind::SurveyV2 => survey_payload(rng, created_at, drift.numeric_epochs),
        };
        let mut m = Map::new();
        if let Some(id) = event_id {
            m.insert("event_id".into(), id);
        }
        m.insert("client_account_id".into(), account.id.into());
        if let Some(t) = event_type {
            m.insert("event_type".into(), t.name().into());
        }
        m.insert(
            "created_at".into(),
            epoch(created_at, drift.numeric_created_at),
        );
        m.insert(kind.payload_key().into(), payload);
        Value::Object(m)
    }

    fn cmb_payload(
        &self,
        rng: &mut ChaCha8Rng,
        account: &Account,
        created_at: i64,
        issue: Option<FieldIssue>,
        drift: Drift,
    ) -> Value {
        let (business_number, feature_set) =
            account.numbers[rng.gen_range(0..account.numbers.len())];
        let (config, interest) = CONFIGS[weighted(rng, &CONFIG_WEIGHTS)];
        let requested_at = created_at - rng.gen_range(0..=120);
        let interested = issue.is_some() || rng.gen_bool(interest);
        let (client_number, alternate) = if rng.gen_bool(0.05) {
            ("Phone Number Not Available".to_string(), phone(rng))
        } else if rng.gen_bool(0.15) {
            (phone(rng), phone(rng))
        } else {
            (phone(rng), String::new())
        };
        let mut p = Map::new();
        p.insert("business_number".into(), business_number.into());
        let legacy = drift.extra_keys && account.legacy_groups;
        if !(drift.no_feature_set || legacy) {
            p.insert("feature_set".into(), feature_set.into());
        }
        p.insert("client_number".into(), client_number.into());
        p.insert(
            "requested_at".into(),
            epoch(requested_at, drift.numeric_epochs),
        );
        if interested && (account.slot_picker || issue.is_some()) {
            slot_fields(rng, &mut p, requested_at, issue, drift);
        } else {
            self.no_slot_fields(rng, &mut p, account);
        }
        let interested_v = match issue {
            Some(FieldIssue::MaybeBoolean) => Value::from("maybe"),
            _ if drift.string_bool => Value::from(if interested { "true" } else { "false" }),
            _ => Value::Bool(interested),
        };
        p.insert("is_interested".into(), interested_v);
        if !drift.no_alternate {
            p.insert("alternate_number".into(), alternate.into());
        }
        p.insert("cmb_config_name".into(), config.into());
        if drift.extra_keys {
            p.insert(
                "number_group".into(),
                format!("G{}", rng.gen_range(1..=4)).into(),
            );
        }
        Value::Object(p)
    }

    /// The slot of a user who picked none: "NA" or "", and preferred
    /// times empty, null or absent.
    fn no_slot_fields(&self, rng: &mut ChaCha8Rng, p: &mut Map<String, Value>, account: &Account) {
        let na = if !account.slot_picker || rng.gen_bool(0.6) {
            "NA"
        } else {
            ""
        };
        p.insert("requested_date".into(), na.into());
        p.insert("requested_slot".into(), na.into());
        let variant = if self.clean { 0 } else { rng.gen_range(0..10) };
        match variant {
            0..=4 => {
                p.insert("preferred_from_time".into(), "".into());
                p.insert("preferred_to_time".into(), "".into());
            }
            5..=7 => {
                p.insert("preferred_from_time".into(), Value::Null);
                p.insert("preferred_to_time".into(), Value::Null);
            }
            _ => {}
        }
    }

    /// A copy of a `cmb` event whose content differs from `event` (a changed
    /// `cmb_config_name` or `alternate_number`), without any field issue.
    pub(crate) fn conflicting_copy(&self, rng: &mut ChaCha8Rng, event: &Value) -> Value {
        let mut copy = event.clone();
        if let Some(Value::Object(p)) = copy.get_mut("cmb_payload") {
            let current = p
                .get("cmb_config_name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            if rng.gen_bool(0.5) {
                let others: Vec<&str> = CONFIGS
                    .iter()
                    .map(|c| c.0)
                    .filter(|n| *n != current)
                    .collect();
                p.insert(
                    "cmb_config_name".into(),
                    others[rng.gen_range(0..others.len())].into(),
                );
            } else {
                let old = p
                    .get("alternate_number")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                let mut new = phone(rng);
                while new == old {
                    new = phone(rng);
                }
                p.insert("alternate_number".into(), new.into());
            }
        }
        copy
    }
}

/// The chosen slot: its local date and weekday and the 30-minute window
/// (with the planted field issues).
fn slot_fields(
    rng: &mut ChaCha8Rng,
    p: &mut Map<String, Value>,
    requested_at: i64,
    issue: Option<FieldIssue>,
    drift: Drift,
) {
    let from = slot_start(rng, requested_at);
    let local = DateTime::from_timestamp(from + IST_OFFSET, 0)
        .unwrap_or_default()
        .date_naive();
    let date = match issue {
        Some(FieldIssue::ImpossibleDate) => {
            IMPOSSIBLE_DATES[rng.gen_range(0..IMPOSSIBLE_DATES.len())].to_string()
        }
        _ => ymd(local.year(), local.month(), local.day()),
    };
    p.insert("requested_date".into(), date.into());
    p.insert(
        "requested_slot".into(),
        weekday_name(local.weekday()).into(),
    );
    let from_v = match issue {
        Some(FieldIssue::SoonTimestamp) => Value::from("soon"),
        _ => epoch(from, drift.numeric_epochs),
    };
    p.insert("preferred_from_time".into(), from_v);
    p.insert(
        "preferred_to_time".into(),
        epoch(from + 1800, drift.numeric_epochs),
    );
}

/// Picks an account by weight; `slot_picker_only` restricts to slot-picker ones.
fn pick_account(rng: &mut ChaCha8Rng, slot_picker_only: bool) -> &'static Account {
    loop {
        let a = &ACCOUNTS[weighted(
            rng,
            &[ACCOUNTS[0].weight, ACCOUNTS[1].weight, ACCOUNTS[2].weight],
        )];
        if a.slot_picker || !slot_picker_only {
            return a;
        }
    }
}

/// Start of a 30-minute window 1 h to 3 days after `requested_at`, on :00/:30,
/// preferably between 09:00 and 21:00 IST.
fn slot_start(rng: &mut ChaCha8Rng, requested_at: i64) -> i64 {
    let mut t = 0;
    for _ in 0..8 {
        let raw = requested_at + rng.gen_range(3_600..=3 * DAY_SECS - 1_800);
        t = (raw + 1_799) / 1_800 * 1_800;
        let ist_hour = (t + IST_OFFSET).rem_euclid(DAY_SECS) / 3_600;
        if (9..21).contains(&ist_hour) {
            break;
        }
    }
    t
}
