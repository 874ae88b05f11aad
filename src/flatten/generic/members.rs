//! The members of an object whose keys are data: rows of a child table,
//! as the elements of an array are, each with a `key` cell.

use serde_json::Value;

use super::{json_path, Cell, FlatRow, Leaf, Segment, Walker};
use crate::budgets::Budget;
use crate::flatten::overflow::Trail;

/// The child table of one object's data-keyed members, and what each of
/// its rows shares.
pub(super) struct MemberTable {
    /// The object's path plus [`Segment::Members`].
    path: Vec<Segment>,
    /// [`json_path`] of `path`.
    json_path: String,
    /// `path` plus [`Segment::MemberKey`]: the path of the `key` cells.
    key_path: Vec<Segment>,
    /// [`json_path`] of `key_path`.
    key_json_path: String,
    /// The key of the row holding the object (None for the event row).
    parent_key: Option<String>,
    /// The member keys on the way to the row holding the object.
    members: Vec<String>,
}

/// A child row's key: its position after its parent row's key.
pub(super) fn row_key(parent_key: Option<&str>, position: usize) -> String {
    match parent_key {
        Some(p) => format!("{p}.{position}"),
        None => position.to_string(),
    }
}

impl Walker {
    /// The member table of the object at `path`, held by `rows[row]`.
    pub(super) fn member_table(&self, path: &[Segment], row: usize) -> MemberTable {
        let holder = &self.out.rows[row];
        let mut table_path = path.to_vec();
        table_path.push(Segment::Members);
        let mut key_path = table_path.clone();
        key_path.push(Segment::MemberKey);
        MemberTable {
            json_path: json_path(&table_path),
            path: table_path,
            key_json_path: json_path(&key_path),
            key_path,
            parent_key: (!holder.table_path.is_empty()).then(|| holder.key.clone()),
            members: holder.members.clone(),
        }
    }

    /// Adds the member `key: value` at `position` of an object at `level`
    /// as a row of `table`: a `key` cell, and `value` flattened as an array
    /// element would be. Over the elements budget, the member is kept as
    /// an overflow part at `trail` (the member's concrete path).
    pub(super) fn member(
        &mut self,
        table: &MemberTable,
        position: usize,
        key: &str,
        value: &Value,
        level: usize,
        trail: &Trail<'_>,
    ) {
        if self.elements >= self.limits.max_array_elements {
            self.overflow(Budget::ArrayElements, trail.render(), value.to_string());
            return;
        }
        self.elements += 1;
        let mut members = table.members.clone();
        members.push(key.to_string());
        self.out.rows.push(FlatRow {
            table_path: table.path.clone(),
            table_json_path: table.json_path.clone(),
            index: Some(position as i64),
            key: row_key(table.parent_key.as_deref(), position),
            parent_key: table.parent_key.clone(),
            members,
            cells: vec![Cell {
                name_path: vec!["key".to_string()],
                path: table.key_path.clone(),
                json_path: table.key_json_path.clone(),
                leaf: Leaf::Text(key.to_string()),
            }],
        });
        let row = self.out.rows.len() - 1;
        let name = if value.is_object() || value.is_array() {
            Vec::new()
        } else {
            vec!["value".to_string()]
        };
        self.walk(value, table.path.clone(), name, row, level + 1, trail);
    }
}
