//! The 13 markets and their two mobile numbers each, written by hand:
//! E.164 digits, the `+CC` form and the national form with the trunk
//! prefix.

/// One planted mobile number.
pub struct Phone {
    /// E.164 digits without `+`: the normal form that is hashed.
    pub e164: &'static str,
    /// `+CC` and the national significant number, grouped with spaces.
    pub intl: &'static str,
    /// National form with the trunk prefix, written the local way.
    pub national: &'static str,
}

pub struct Market {
    pub name: &'static str,
    /// Country calling code (`--pii-country-code`).
    pub code: &'static str,
    /// Trunk prefix of national numbers.
    pub trunk: &'static str,
    pub phones: [Phone; 2],
}

const fn phone(e164: &'static str, intl: &'static str, national: &'static str) -> Phone {
    Phone {
        e164,
        intl,
        national,
    }
}

pub const MARKETS: [Market; 13] = [
    Market {
        name: "India",
        code: "91",
        trunk: "0",
        phones: [
            phone("919876543210", "+91 98765 43210", "098765 43210"),
            phone("917012345678", "+91 70123 45678", "070123 45678"),
        ],
    },
    Market {
        name: "UAE",
        code: "971",
        trunk: "0",
        phones: [
            // a millisecond epoch of October 2000: still a phone number
            phone("971501234567", "+971 50 123 4567", "050 123 4567"),
            phone("971551234567", "+971 55 123 4567", "055 123 4567"),
        ],
    },
    Market {
        name: "Saudi Arabia",
        code: "966",
        trunk: "0",
        phones: [
            phone("966551234567", "+966 55 123 4567", "055 123 4567"),
            phone("966538765432", "+966 53 876 5432", "053 876 5432"),
        ],
    },
    Market {
        name: "Nigeria",
        code: "234",
        trunk: "0",
        phones: [
            // a millisecond epoch of 2044
            phone("2348031234567", "+234 803 123 4567", "0803 123 4567"),
            phone("2347061234567", "+234 706 123 4567", "0706 123 4567"),
        ],
    },
    Market {
        name: "Israel",
        code: "972",
        trunk: "0",
        phones: [
            // (972 52-1xx is not an allocated mobile range: 52-2xx is)
            phone("972522345678", "+972 52 234 5678", "052-234-5678"),
            phone("972547654321", "+972 54 765 4321", "054-765-4321"),
        ],
    },
    Market {
        name: "Jordan",
        code: "962",
        trunk: "0",
        phones: [
            phone("962791234567", "+962 7 9123 4567", "07 9123 4567"),
            phone("962777654321", "+962 7 7765 4321", "07 7765 4321"),
        ],
    },
    Market {
        name: "Iran",
        code: "98",
        trunk: "0",
        phones: [
            phone("989123456789", "+98 912 345 6789", "0912 345 6789"),
            phone("989351234567", "+98 935 123 4567", "0935 123 4567"),
        ],
    },
    Market {
        name: "Egypt",
        code: "20",
        trunk: "0",
        phones: [
            phone("201012345678", "+20 10 12345678", "010 12345678"),
            phone("201223456789", "+20 12 23456789", "012 23456789"),
        ],
    },
    Market {
        name: "Kenya",
        code: "254",
        trunk: "0",
        phones: [
            phone("254712345678", "+254 712 345678", "0712 345678"),
            phone("254722987654", "+254 722 987654", "0722 987654"),
        ],
    },
    Market {
        name: "Pakistan",
        code: "92",
        trunk: "0",
        phones: [
            phone("923001234567", "+92 300 1234567", "0300 1234567"),
            phone("923451234567", "+92 345 1234567", "0345 1234567"),
        ],
    },
    Market {
        name: "Indonesia",
        code: "62",
        trunk: "0",
        phones: [
            phone("6281234567890", "+62 812 3456 7890", "0812-3456-7890"),
            phone("6285712345678", "+62 857 1234 5678", "0857-1234-5678"),
        ],
    },
    Market {
        name: "US",
        code: "1",
        trunk: "1",
        phones: [
            // national numbers are written without the trunk `1` locally
            phone("14155552671", "+1 415 555 2671", "(415) 555-2671"),
            phone("17185042736", "+1 718 504 2736", "(718) 504-2736"),
        ],
    },
    Market {
        name: "UK",
        code: "44",
        trunk: "0",
        phones: [
            // (07911 1xxxxx is not allocated, nor the drama range 07700 900xxx)
            phone("447912345678", "+44 7912 345678", "07912 345678"),
            phone("447412345678", "+44 7412 345678", "07412 345678"),
        ],
    },
];

impl Phone {
    /// National significant number: E.164 without the country code.
    pub fn nsn(&self, m: &Market) -> &'static str {
        &self.e164[m.code.len()..]
    }
}
