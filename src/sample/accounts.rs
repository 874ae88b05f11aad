//! The businesses of the sample archive: accounts with their numbers and
//! console quirks, and the Call Me Back configurations they compare.

/// One business account: its numbers (with feature sets) and console quirks.
pub(super) struct Account {
    pub(super) id: &'static str,
    /// Whether the customer uses the slot picker (date + 30-minute window).
    pub(super) slot_picker: bool,
    /// Older console: numbers grouped in "number groups" (drift source).
    pub(super) legacy_groups: bool,
    pub(super) numbers: &'static [(&'static str, &'static str)],
    pub(super) weight: u32,
}

pub(super) const ACCOUNTS: [Account; 3] = [
    Account {
        id: "91c173bb-28d8-4030-9722-8663ff9589f3",
        slot_picker: true,
        legacy_groups: false,
        numbers: &[
            ("910987654321", "Fresh Flower Delivery"),
            ("918045671230", "Wedding & Event Décor"),
        ],
        weight: 45,
    },
    Account {
        id: "3f6a2c1e-7b4d-4e8a-9c2f-5d1b8e7a6c40",
        slot_picker: true,
        legacy_groups: false,
        numbers: &[
            ("912261234567", "Home Loans – Top-up"),
            ("912267654321", "Credit Cards"),
            ("911140001234", "Personal Loans"),
        ],
        weight: 35,
    },
    Account {
        id: "c2e9d4b7-1a3f-4f6e-8b5d-0e7c9a2b4d18",
        slot_picker: false,
        legacy_groups: true,
        numbers: &[("914466778899", "Broadband (Metro)")],
        weight: 20,
    },
];

/// Call Me Back configurations with their (different) interest rates.
pub(super) const CONFIGS: [(&str, f64); 5] = [
    ("CMB Default", 0.55),
    ("CMB Evening Slots", 0.65),
    ("Festive Offer", 0.45),
    ("कॉल बैक ऑफ़र", 0.50),
    ("Diwali 🎉 Promo", 0.60),
];
/// How often each configuration is used.
pub(super) const CONFIG_WEIGHTS: [u32; 5] = [40, 20, 15, 15, 10];
