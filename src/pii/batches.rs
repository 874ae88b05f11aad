//! Protecting query results (the reports) before anything is written: a
//! column whose name says phone, or whose non-empty values are at least
//! half phone numbers, has every value protected; every other text column
//! has the phone numbers inside its text protected.

use std::sync::Arc;

use duckdb::arrow::array::{Array, ArrayRef, RecordBatch, StringArray};
use duckdb::arrow::datatypes::{DataType, Field, Schema};
use duckdb::arrow::util::display::{ArrayFormatter, FormatOptions};

use super::{detect, phone, PiiPolicy, Protector};

/// The column as optional strings (numbers as their text).
fn texts(array: &ArrayRef) -> Vec<Option<String>> {
    let options = FormatOptions::default();
    let Ok(formatter) = ArrayFormatter::try_new(array.as_ref(), &options) else {
        return vec![None; array.len()];
    };
    (0..array.len())
        .map(|i| array.is_valid(i).then(|| formatter.value(i).to_string()))
        .collect()
}

fn is_numeric_or_text(t: &DataType) -> bool {
    matches!(
        t,
        DataType::Utf8
            | DataType::LargeUtf8
            | DataType::Utf8View
            | DataType::Int64
            | DataType::Int32
            | DataType::UInt64
            | DataType::Float64
            | DataType::Decimal128(..)
    )
}

/// True when the column is a phone column over all `batches`.
fn is_phone_column(name: &str, columns: &[&ArrayRef]) -> bool {
    if detect::is_business_number(name) {
        return false;
    }
    if detect::name_says_phone(name, None) {
        return true;
    }
    let (mut phones, mut values) = (0usize, 0usize);
    for array in columns {
        for t in texts(array).into_iter().flatten() {
            let t = t.trim();
            if t.is_empty() {
                continue;
            }
            values += 1;
            let integral = t.strip_suffix(".0").unwrap_or(t);
            phones += usize::from(phone::is_phone(integral));
        }
    }
    phones > 0 && phones * 2 >= values
}

/// `batches` with every phone number protected by `protector`; columns a
/// phone policy changes become text (`drop` leaves them out).
pub fn protect(batches: &[RecordBatch], protector: &Protector) -> Vec<RecordBatch> {
    let Some(first) = batches.first() else {
        return Vec::new();
    };
    if protector.policy == PiiPolicy::Keep {
        return batches.to_vec();
    }
    let schema = first.schema();
    let mut phone_columns = Vec::new();
    for (i, field) in schema.fields().iter().enumerate() {
        let arrays: Vec<&ArrayRef> = batches.iter().map(|b| b.column(i)).collect();
        phone_columns
            .push(is_numeric_or_text(field.data_type()) && is_phone_column(field.name(), &arrays));
    }
    let mut fields = Vec::new();
    for (i, field) in schema.fields().iter().enumerate() {
        let is_text = matches!(
            field.data_type(),
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
        );
        if phone_columns[i] && protector.policy == PiiPolicy::Drop {
            continue;
        }
        let changed = phone_columns[i] || (is_text && !detect::is_business_number(field.name()));
        fields.push((
            i,
            changed,
            if changed {
                Arc::new(Field::new(field.name(), DataType::Utf8, true))
            } else {
                field.clone()
            },
        ));
    }
    let new_schema = Arc::new(Schema::new(
        fields.iter().map(|f| f.2.clone()).collect::<Vec<_>>(),
    ));
    batches
        .iter()
        .filter_map(|batch| {
            let columns: Vec<ArrayRef> = fields
                .iter()
                .map(|(i, changed, _)| {
                    let array = batch.column(*i);
                    if !changed {
                        return array.clone();
                    }
                    let values: StringArray = texts(array)
                        .into_iter()
                        .map(|v| {
                            v.map(|t| {
                                if phone_columns[*i] {
                                    protector.value(t.strip_suffix(".0").unwrap_or(&t))
                                } else {
                                    protector.text(&t).into_owned()
                                }
                            })
                        })
                        .collect();
                    Arc::new(values) as ArrayRef
                })
                .collect();
            RecordBatch::try_new(new_schema.clone(), columns).ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use duckdb::arrow::array::Int64Array;

    #[test]
    fn phone_columns_and_text_are_protected() {
        let schema = Arc::new(Schema::new(vec![
            Field::new("who", DataType::Int64, true),
            Field::new("note", DataType::Utf8, true),
            Field::new("calls", DataType::Int64, true),
        ]));
        let batch = RecordBatch::try_new(
            schema,
            vec![
                Arc::new(Int64Array::from(vec![919876543210, 919876543211])),
                Arc::new(StringArray::from(vec!["ring 9876543210 please", "none"])),
                Arc::new(Int64Array::from(vec![3, 4])),
            ],
        )
        .unwrap();
        let p = Protector {
            policy: PiiPolicy::Mask,
            key: None,
            country_code: "91".into(),
        };
        let out = protect(&[batch], &p);
        let who = out[0]
            .column(0)
            .as_any()
            .downcast_ref::<StringArray>()
            .unwrap();
        assert_eq!(who.value(0), "********3210");
        let note = out[0]
            .column(1)
            .as_any()
            .downcast_ref::<StringArray>()
            .unwrap();
        assert_eq!(note.value(0), "ring ********3210 please");
        assert_eq!(out[0].column(2).data_type(), &DataType::Int64);
    }
}
