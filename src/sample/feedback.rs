//! Payloads of the undocumented event types: `uf_payload` (a plausible,
//! nested User Feedback shape) and the small `survey_v2_payload`.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde_json::{Map, Value};

use super::util::{epoch, phone, weighted};

/// One feedback campaign: its question and answer options (id, label, score).
struct Campaign {
    id: &'static str,
    question_id: &'static str,
    question: &'static str,
    options: &'static [(&'static str, &'static str, i64)],
}

/// The feedback campaigns: question and answer options with scores.
const CAMPAIGNS: [Campaign; 3] = [
    Campaign {
        id: "cmp_csat_postcall_2025",
        question_id: "q_csat_1",
        question: "How satisfied are you with your call with us today?",
        options: &[
            ("opt_1", "Very unhappy", 1),
            ("opt_2", "Unhappy", 2),
            ("opt_3", "Okay", 3),
            ("opt_4", "Happy", 4),
            ("opt_5", "Very happy", 5),
        ],
    },
    Campaign {
        id: "cmp_missed_call_reason_q3",
        question_id: "q_missed_1",
        question: "Why couldn't you take our call?",
        options: &[
            ("opt_busy", "I was busy", 0),
            ("opt_unknown", "Did not recognise the number", 0),
            ("opt_spam", "Thought it was spam", 0),
            ("opt_later", "Call me later", 1),
        ],
    },
    Campaign {
        id: "cmp_nps_festive",
        question_id: "q_nps_1",
        question: "आप हमें किसी मित्र को सुझाने की कितनी संभावना रखते हैं?",
        options: &[
            ("nps_0", "0", 0),
            ("nps_5", "5", 5),
            ("nps_7", "7", 7),
            ("nps_8", "8", 8),
            ("nps_9", "9", 9),
            ("nps_10", "10", 10),
        ],
    },
];
/// Tags a feedback event may carry.
const TAGS: [&str; 6] = [
    "post_call",
    "csat",
    "hindi",
    "priority",
    "repeat_caller",
    "weekend",
];
/// Which call the feedback follows.
const CALL_TYPES: [&str; 3] = ["answered", "missed", "rejected"];

/// A `uf_payload` for a feedback answered shortly before `created_at`;
/// `numeric_epochs` renders `answered_at` as a JSON number (drift).
pub(crate) fn uf_payload(
    rng: &mut ChaCha8Rng,
    business_number: &str,
    created_at: i64,
    numeric_epochs: bool,
) -> Value {
    let c = &CAMPAIGNS[weighted(rng, &[50, 30, 20])];
    let (campaign, qid, question, options) = (c.id, c.question_id, c.question, c.options);
    let (opt_id, opt_text, score) = options[rng.gen_range(0..options.len())];
    let mut p = Map::new();
    p.insert("campaign_id".into(), campaign.into());
    p.insert(
        "call_type".into(),
        CALL_TYPES[weighted(rng, &[60, 25, 15])].into(),
    );
    p.insert("business_number".into(), business_number.into());
    p.insert("client_number".into(), phone(rng).into());
    let mut q = Map::new();
    q.insert("id".into(), qid.into());
    q.insert("text".into(), question.into());
    p.insert("question".into(), Value::Object(q));
    let mut a = Map::new();
    a.insert("option_id".into(), opt_id.into());
    a.insert("text".into(), opt_text.into());
    a.insert("score".into(), score.into());
    p.insert("answer".into(), Value::Object(a));
    p.insert(
        "answered_at".into(),
        epoch(created_at - rng.gen_range(0..=90), numeric_epochs),
    );
    let n_tags = rng.gen_range(1..=2);
    let start = rng.gen_range(0..TAGS.len());
    let tags: Vec<Value> = (0..n_tags)
        .map(|i| TAGS[(start + i) % TAGS.len()].into())
        .collect();
    p.insert("tags".into(), Value::Array(tags));
    if rng.gen_bool(0.2) {
        let choices = options
            .iter()
            .map(|(id, label, _)| {
                let mut c = Map::new();
                c.insert("id".into(), (*id).into());
                c.insert("label".into(), (*label).into());
                Value::Object(c)
            })
            .collect();
        p.insert("choices".into(), Value::Array(choices));
    }
    Value::Object(p)
}

/// A small `survey_v2_payload` submitted at `created_at`.
pub(crate) fn survey_payload(rng: &mut ChaCha8Rng, created_at: i64, numeric_epochs: bool) -> Value {
    let mut p = Map::new();
    p.insert("survey_id".into(), "srv_onboarding".into());
    p.insert("version".into(), 2.into());
    p.insert(
        "channel".into(),
        (if rng.gen_bool(0.7) { "in_app" } else { "sms" }).into(),
    );
    p.insert("submitted_at".into(), epoch(created_at, numeric_epochs));
    let mut r1 = Map::new();
    r1.insert("q".into(), "ease_of_setup".into());
    r1.insert("value".into(), rng.gen_range(1..=5).into());
    let mut r2 = Map::new();
    r2.insert("q".into(), "would_recommend".into());
    r2.insert("value".into(), rng.gen_bool(0.7).into());
    p.insert(
        "responses".into(),
        Value::Array(vec![Value::Object(r1), Value::Object(r2)]),
    );
    Value::Object(p)
}
