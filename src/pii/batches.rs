//! Protecting query results (the reports) before anything is written,
//! with the export's rule ([`detect`]): a column whose name says phone, or
//! whose non-empty values are at least half phone numbers, has every value
//! protected; every other text column has the phone numbers inside its
//! text protected.

use std::sync::Arc;

use duckdb::arrow::array::{Array, ArrayRef, RecordBatch, StringArray};
use duckdb::arrow::datatypes::{DataType, Field, Schema};
use duckdb::arrow::util::display::{ArrayFormatter, FormatOptions};

use super::{detect, PiiPolicy, Protector};

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

/// The SQL name of an Arrow type, as [`detect`] lists types.
fn sql_type(t: &DataType) -> &'static str {
    match t {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => "VARCHAR",
        DataType::Int64 => "BIGINT",
        DataType::Int32 => "INTEGER",
        DataType::UInt64 => "UBIGINT",
        DataType::Float64 => "DOUBLE",
        DataType::Float32 => "FLOAT",
        DataType::Decimal128(..) => "DECIMAL",
        _ => "OTHER",
    }
}

/// True when the column is a phone column over all `batches`.
fn is_phone_column(name: &str, data_type: &str, columns: &[&ArrayRef], p: &Protector) -> bool {
    if detect::phone_by_name(name, None, data_type) {
        return true;
    }
    if !detect::examined_by_content(name, data_type) {
        return false;
    }
    let (mut phones, mut values) = (0i64, 0i64);
    for array in columns {
        for t in texts(array).into_iter().flatten() {
            let t = t.trim();
            if t.is_empty() {
                continue;
            }
            values += 1;
            phones += i64::from(p.is_phone(detect::integral_text(t), p.times));
        }
    }
    detect::mostly_phones(phones, values)
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
        let ty = sql_type(field.data_type());
        phone_columns.push(is_phone_column(field.name(), ty, &arrays, protector));
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
        // a number in a column's name is protected like one in its values
        let name = protector.name(field.name());
        let new_field = if changed {
            Arc::new(Field::new(name.as_ref(), DataType::Utf8, true))
        } else if name != field.name().as_str() {
            Arc::new(field.as_ref().clone().with_name(name.as_ref()))
        } else {
            field.clone()
        };
        fields.push((i, changed, new_field));
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
                                    protector.value(detect::integral_text(&t))
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
        let p = Protector::new(
            PiiPolicy::Mask,
            None,
            crate::pii::plan::Plan::new("91").unwrap(),
        );
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
