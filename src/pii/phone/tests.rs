//! Normal forms, times and numbers inside text. Expected E.164 forms are
//! written from the countries' public numbering plans.

use super::*;

fn plan(code: &str) -> Plan {
    Plan::new(code).unwrap()
}

#[test]
fn every_format_has_one_normal_form() {
    for text in [
        "+91 98765 43210",
        "0091-98765-43210",
        "919876543210",
        "9876543210",
        "09876543210",
        "+91 (98765) 43210",
        " 91.98765.43210 ",
        "+९१ ९८७६५ ४३२१०",
        "०९८७६५ ४३२१०",
        "＋９１ ９８７６５ ４３２１０",
    ] {
        assert_eq!(
            normalize(text, &plan("91"), Times::NONE).as_deref(),
            Some("919876543210"),
            "{text}"
        );
    }
}

#[test]
fn markets_national_and_international() {
    // (home code, national with trunk prefix, E.164 digits)
    for (code, national, e164) in [
        ("971", "050 123 4567", "971501234567"),
        ("966", "055 123 4567", "966551234567"),
        ("234", "0803 123 4567", "2348031234567"),
        ("972", "050-234-5678", "972502345678"),
        ("962", "079 123 4567", "962791234567"),
        ("98", "۰۹۱۲ ۳۴۵ ۶۷۸۹", "989123456789"),
        ("20", "٠١٠ ١٢٣٤ ٥٦٧٨", "201012345678"),
        ("254", "0712 345678", "254712345678"),
        ("92", "0300 1234567", "923001234567"),
        ("62", "0812-3456-7890", "6281234567890"),
        ("1", "(415) 555-2671", "14155552671"),
        ("44", "07400 123456", "447400123456"),
        ("880", "০১৭১২ ৩৪৫৬৭৮", "8801712345678"),
    ] {
        let p = plan(code);
        assert_eq!(
            normalize(national, &p, Times::NONE).as_deref(),
            Some(e164),
            "{national}"
        );
        // bare international digits, read in India's plan: no epoch range
        // makes them times
        assert_eq!(
            normalize(e164, &plan("91"), Times::NONE).as_deref(),
            Some(e164),
            "{e164}"
        );
        assert_eq!(
            normalize(&format!("+{e164}"), &plan("91"), Times::NONE).as_deref(),
            Some(e164)
        );
    }
    assert_eq!(
        normalize("+44 (0)7400 123456", &plan("91"), Times::NONE).as_deref(),
        Some("447400123456")
    );
}

#[test]
fn times_need_evidence() {
    let p = plan("91");
    // 2025-07-31: a valid landline of Patiala by India's plan
    let at = 1_753_945_760;
    assert_eq!(
        normalize("1753945760", &p, Times::NONE).as_deref(),
        Some("911753945760")
    );
    let near = Times::around(at + 86_400, at + 86_400);
    assert_eq!(normalize("1753945760", &p, near), None);
    assert_eq!(normalize("1753945760123", &p, near), None);
    // a UAE number is an epoch in ms of 2000, far from events of 2025
    assert_eq!(
        normalize("971501234567", &p, Times::around(at, at)).as_deref(),
        Some("971501234567")
    );
    // far from the event: the plan decides
    let far = Times::around(at - 400 * 86_400, at - 400 * 86_400);
    assert!(normalize("1753945760", &p, far).is_some());
}

#[test]
fn not_phone_numbers() {
    for text in [
        "N/A",
        "",
        "12345",
        "1700000000",
        "1753945760123",
        "98765x43210",
        "+1234567890123456",
        "2026-11-25",
        "25.11.2026 10",
        "192.168.100.200",
    ] {
        assert_eq!(normalize(text, &plan("91"), Times::NONE), None, "{text}");
    }
}

#[test]
fn numbers_are_found_inside_text() {
    let p = plan("91");
    let text = "please call me on +91 98765 43210 after 6pm, or 0091-98765-43211. id a9876543210 ts 1753945760 on 2026-11-25 9876543212";
    let near = Times::around(1_753_945_760, 1_753_945_760);
    let found: Vec<_> = find_in_text(text, &p, near)
        .into_iter()
        .map(|(r, n)| (&text[r], n))
        .collect();
    assert_eq!(
        found,
        [
            ("+91 98765 43210", "919876543210".to_string()),
            ("0091-98765-43211", "919876543211".to_string()),
            ("9876543212", "919876543212".to_string()),
        ]
    );
    let hindi = "मेरा नंबर ९८७६५ ४३२१० है";
    let found = find_in_text(hindi, &p, Times::NONE);
    assert_eq!(found.len(), 1);
    assert_eq!(&hindi[found[0].0.clone()], "९८७६५ ४३२१०");
    let arabic = "اتصل بي على ‎+٩٧١ ٥٠ ١٢٣ ٤٥٦٧ شكرا";
    let found = find_in_text(arabic, &p, Times::NONE);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].1, "971501234567");
    // an area code in parentheses is part of the number; a remark is not
    let us = "call (415) 555-2671 or (at work) 415 555 2672)";
    let found: Vec<_> = find_in_text(us, &plan("1"), Times::NONE)
        .into_iter()
        .map(|(r, _)| &us[r])
        .collect();
    assert_eq!(found, ["(415) 555-2671", "415 555 2672"]);
}

#[test]
fn uuids_are_identifiers_not_numbers() {
    let p = plan("91");
    // the last group of a UUID can be 12 decimal digits (about 1 in 280)
    let text =
        "7ab603cd-a4c4-4904-85b2-919876543210 12345678-1234-1234-1234-123456789012 +91 98765 43210";
    let found: Vec<_> = find_in_text(text, &p, Times::NONE)
        .into_iter()
        .map(|(r, _)| &text[r])
        .collect();
    assert_eq!(found, ["+91 98765 43210"]);
    assert!(is_uuid("7ab603cd-a4c4-4904-85b2-919876543210"));
    assert!(!is_uuid("7ab603cd-a4c4-4904-85b2-91987654321"));
    assert!(!is_uuid("7ab603cd a4c4-4904-85b2-919876543210"));
}
