//! Column types inferred from values, and how they widen.
//!
//! A column's type is the narrowest that holds every value seen so far:
//! BOOLEAN, BIGINT, DOUBLE, TIMESTAMP (epoch seconds in a column named
//! `*_at` or `*_time`: whole seconds between 2000 and 2100 as integers or
//! digit strings, by [`coerce::whole_epoch_micros`]), VARCHAR. Widening:
//! BIGINT -> DOUBLE; any other mix -> VARCHAR. JSON null never changes a
//! type.

use std::borrow::Cow;

use super::generic::Leaf;
use crate::validate::coerce;

/// SQL type of a flattened column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColumnType {
    /// BOOLEAN
    Boolean,
    /// BIGINT
    BigInt,
    /// DOUBLE
    Double,
    /// TIMESTAMP (UTC), from epoch seconds
    Timestamp,
    /// VARCHAR
    Varchar,
}

impl ColumnType {
    /// The SQL spelling.
    pub fn sql(self) -> &'static str {
        match self {
            ColumnType::Boolean => "BOOLEAN",
            ColumnType::BigInt => "BIGINT",
            ColumnType::Double => "DOUBLE",
            ColumnType::Timestamp => "TIMESTAMP",
            ColumnType::Varchar => "VARCHAR",
        }
    }

    /// Parses [`ColumnType::sql`] output.
    pub fn from_sql(text: &str) -> Option<ColumnType> {
        [
            ColumnType::Boolean,
            ColumnType::BigInt,
            ColumnType::Double,
            ColumnType::Timestamp,
            ColumnType::Varchar,
        ]
        .into_iter()
        .find(|t| t.sql().eq_ignore_ascii_case(text))
    }

    /// The narrowest type for one value in a column called `column`.
    pub fn of(leaf: &Leaf, column: &str) -> ColumnType {
        match leaf {
            Leaf::Bool(_) => ColumnType::Boolean,
            Leaf::Int(i) if is_epoch_name(column) && coerce::whole_epoch_micros(*i).is_some() => {
                ColumnType::Timestamp
            }
            Leaf::Int(_) => ColumnType::BigInt,
            Leaf::Float(_) => ColumnType::Double,
            Leaf::Text(s)
                if is_epoch_name(column) && coerce::whole_epoch_micros_text(s).is_some() =>
            {
                ColumnType::Timestamp
            }
            Leaf::Text(_) => ColumnType::Varchar,
        }
    }

    /// The narrowest type holding both.
    pub fn widen(self, other: ColumnType) -> ColumnType {
        use ColumnType::*;
        match (self, other) {
            (a, b) if a == b => a,
            (BigInt, Double) | (Double, BigInt) => Double,
            _ => Varchar,
        }
    }
}

fn is_epoch_name(column: &str) -> bool {
    column.ends_with("_at") || column.ends_with("_time") || column == "at" || column == "time"
}

/// A value converted for a column of a given type.
#[derive(Debug, Clone, PartialEq)]
pub enum Typed<'a> {
    /// BOOLEAN cell.
    Bool(bool),
    /// BIGINT cell.
    Int(i64),
    /// DOUBLE cell.
    Float(f64),
    /// TIMESTAMP cell, µs since 1970.
    Micros(i64),
    /// VARCHAR cell (borrowed from a text leaf).
    Text(Cow<'a, str>),
}

/// Converts `leaf` for a column of type `ty` (which [`ColumnType::of`] and
/// [`ColumnType::widen`] guarantee can hold it).
pub fn convert(leaf: &Leaf, ty: ColumnType) -> Typed<'_> {
    match (ty, leaf) {
        (ColumnType::Boolean, Leaf::Bool(b)) => Typed::Bool(*b),
        (ColumnType::BigInt, Leaf::Int(i)) => Typed::Int(*i),
        (ColumnType::Double, Leaf::Int(i)) => Typed::Float(*i as f64),
        (ColumnType::Double, Leaf::Float(f)) => Typed::Float(*f),
        (ColumnType::Timestamp, Leaf::Int(i)) => match coerce::whole_epoch_micros(*i) {
            Some(micros) => Typed::Micros(micros),
            None => Typed::Text(Cow::Owned(i.to_string())),
        },
        (ColumnType::Timestamp, Leaf::Text(s)) => match coerce::whole_epoch_micros_text(s) {
            Some(micros) => Typed::Micros(micros),
            None => Typed::Text(Cow::Borrowed(s)),
        },
        (_, Leaf::Text(s)) => Typed::Text(Cow::Borrowed(s)),
        (_, other) => Typed::Text(Cow::Owned(other.to_text())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ColumnType::*;

    #[test]
    fn inference() {
        assert_eq!(
            ColumnType::of(&Leaf::Text("1754116200".into()), "answered_at"),
            Timestamp
        );
        assert_eq!(
            ColumnType::of(&Leaf::Text("1754116200".into()), "answer"),
            Varchar
        );
        assert_eq!(
            ColumnType::of(&Leaf::Int(1754116200), "sent_time"),
            Timestamp
        );
        assert_eq!(ColumnType::of(&Leaf::Int(17), "sent_time"), BigInt);
        // milliseconds and seconds beyond 2100 are numbers, not times
        assert_eq!(
            ColumnType::of(&Leaf::Int(1754116200000), "sent_time"),
            BigInt
        );
        assert_eq!(ColumnType::of(&Leaf::Int(9999999999), "sent_time"), BigInt);
        assert_eq!(
            ColumnType::of(&Leaf::Text("0999999999".into()), "x_at"),
            Timestamp
        );
        assert_eq!(
            ColumnType::of(&Leaf::Text("soon".into()), "sent_at"),
            Varchar
        );
        assert_eq!(ColumnType::of(&Leaf::Float(1.5), "x"), Double);
        assert_eq!(ColumnType::of(&Leaf::Bool(true), "x"), Boolean);
    }

    #[test]
    fn widening_order() {
        assert_eq!(BigInt.widen(Double), Double);
        assert_eq!(Double.widen(BigInt), Double);
        assert_eq!(BigInt.widen(Varchar), Varchar);
        assert_eq!(Boolean.widen(BigInt), Varchar);
        assert_eq!(Timestamp.widen(BigInt), Varchar);
        assert_eq!(Timestamp.widen(Timestamp), Timestamp);
        for t in [Boolean, BigInt, Double, Timestamp, Varchar] {
            assert_eq!(Varchar.widen(t), Varchar);
            assert_eq!(ColumnType::from_sql(t.sql()), Some(t));
        }
    }

    #[test]
    fn conversion() {
        assert_eq!(convert(&Leaf::Int(2), Double), Typed::Float(2.0));
        assert_eq!(convert(&Leaf::Int(2), Varchar), Typed::Text("2".into()));
        assert_eq!(
            convert(&Leaf::Text("1754116200".into()), Timestamp),
            Typed::Micros(1_754_116_200_000_000)
        );
        assert_eq!(
            convert(&Leaf::Bool(true), Varchar),
            Typed::Text("true".into())
        );
    }
}
