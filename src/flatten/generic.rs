//! Flattening any JSON object into rows, without knowing its field names.
//!
//! Nested objects become columns whose paths join keys (`answer` ->
//! `text` is the column `answer__text` once named); arrays become rows of
//! child tables: objects give one row each with their own columns, scalars
//! one row each with a `value` column, arrays inside arrays a grandchild
//! table. JSON `null` leaves no cell. Every other scalar leaf lands in
//! exactly one cell of exactly one row.
//!
//! Data in keys is data: the members of an object whose keys are data
//! ([`is_data_key`]: phone numbers, dates, UUIDs) are rows of the child
//! table of the object's path, like the elements of an array there
//! (`{"call_log": {"919876543210": "answered"}}` is a row of
//! `…__call_log` with `key` `919876543210` and `value` `answered`, at
//! `$.call_log.*`, the key cell at `$.call_log.*~`); `_index` is the
//! member's position in the object (its keys in sorted order, as parsed).
//! Within the budgets, a member counts as an array element; one over
//! them is kept whole at its concrete path (`$.call_log["919876543210"]`).
//! Members keyed by names stay columns, even in the same object. The key
//! cell is no leaf of the JSON: it does not count against the leaves
//! budget (its row counts against the array elements budget, as an
//! element does). The payload's own key is never data.

mod members;
mod path;

use serde_json::{Map, Value};

use super::naming::is_data_key;
use super::overflow::{Hits, Step, Trail};
use crate::budgets::{Budget, Budgets};
use crate::validate::FieldIssue;
pub(crate) use path::push_key;
pub use path::{json_path, Segment};

/// A scalar leaf.
#[derive(Debug, Clone, PartialEq)]
pub enum Leaf {
    /// `true` / `false`.
    Bool(bool),
    /// An integer that fits in i64.
    Int(i64),
    /// Any other number.
    Float(f64),
    /// A string.
    Text(String),
}

impl Leaf {
    fn from_value(v: &Value) -> Option<Leaf> {
        match v {
            Value::Bool(b) => Some(Leaf::Bool(*b)),
            Value::Number(n) => Some(match n.as_i64() {
                Some(i) => Leaf::Int(i),
                None => Leaf::Float(n.as_f64().unwrap_or(f64::NAN)),
            }),
            Value::String(s) => Some(Leaf::Text(s.clone())),
            _ => None,
        }
    }

    /// The leaf as text, as a VARCHAR column stores it.
    pub fn to_text(&self) -> String {
        match self {
            Leaf::Bool(b) => b.to_string(),
            Leaf::Int(i) => i.to_string(),
            Leaf::Float(f) => {
                serde_json::Number::from_f64(*f).map_or_else(|| f.to_string(), |n| n.to_string())
            }
            Leaf::Text(s) => s.clone(),
        }
    }
}

/// A flattened row.
#[derive(Debug, Clone, PartialEq)]
pub struct FlatRow {
    /// Path of the array whose element this row is, or of the object whose
    /// data-keyed member it is (empty for the event row).
    pub table_path: Vec<Segment>,
    /// [`json_path`] of `table_path` (`$` for the event row).
    pub table_json_path: String,
    /// Position in that array or object (None for the event row).
    pub index: Option<i64>,
    /// Identifies the row within its event: element and member positions
    /// joined by `.` (`2`, `2.0`); empty for the event row.
    pub key: String,
    /// The parent row's key (None when the parent is the event row).
    pub parent_key: Option<String>,
    /// The keys of the data-keyed members on the way to this row, one per
    /// [`Segment::Members`] of `table_path`: with `key`, the row's concrete
    /// path.
    pub members: Vec<String>,
    /// Cells: the leaf's path relative to the row (naming) and full path
    /// (registry key), with its value.
    pub cells: Vec<Cell>,
}

/// One scalar leaf of a row.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// Path from the row's root, for naming the column.
    pub name_path: Vec<String>,
    /// Full path from the event root.
    pub path: Vec<Segment>,
    /// [`json_path`] of `path`: the registry key of its column.
    pub json_path: String,
    /// The value.
    pub leaf: Leaf,
}

/// Per-event budgets of the flattening ([`crate::budgets::Budgets`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlatLimits {
    /// Scalar leaves that become cells.
    pub max_leaves: usize,
    /// Array elements that become child rows.
    pub max_array_elements: usize,
    /// Deepest container level flattened (the event object is level 1).
    pub max_depth: usize,
}

impl FlatLimits {
    /// No limits (for tests and tools).
    pub const UNLIMITED: FlatLimits = FlatLimits {
        max_leaves: usize::MAX,
        max_array_elements: usize::MAX,
        max_depth: usize::MAX,
    };
}

impl From<&Budgets> for FlatLimits {
    fn from(b: &Budgets) -> Self {
        FlatLimits {
            max_leaves: b.max_leaves,
            max_array_elements: b.max_array_elements,
            max_depth: b.max_depth,
        }
    }
}

/// A part of an event kept as JSON instead of cells: its concrete JSON path
/// (`$.uf_payload.nums[10000:]` for the tail of an array) and its JSON text.
pub type OverflowPart = (String, String);

/// An event flattened within its budgets.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Flattened {
    /// The event row, then array rows.
    pub rows: Vec<FlatRow>,
    /// Parts over a budget, for the event row's `_overflow` column.
    pub overflow: Vec<OverflowPart>,
    /// One issue per budget hit: the first path moved and how many parts.
    pub issues: Vec<FieldIssue>,
}

/// Flattens the non-envelope parts of `event` without limits; see
/// [`flatten_within`].
pub fn flatten(
    event: &Map<String, Value>,
    skip: &[&str],
    root_key: &str,
    root_skip: &[&str],
) -> Vec<FlatRow> {
    flatten_within(event, skip, root_key, root_skip, FlatLimits::UNLIMITED).rows
}

/// Flattens the non-envelope parts of `event`: every key except those in
/// `skip`. The object under `root_key` (the event's `<type>_payload`)
/// contributes its fields, except those in `root_skip`, without its own
/// name as prefix. What goes over `limits` is kept as JSON parts.
pub fn flatten_within(
    event: &Map<String, Value>,
    skip: &[&str],
    root_key: &str,
    root_skip: &[&str],
    limits: FlatLimits,
) -> Flattened {
    let mut w = Walker {
        limits,
        leaves: 0,
        elements: 0,
        out: Flattened::default(),
        hits: Hits::default(),
    };
    w.out.rows.push(FlatRow {
        table_path: Vec::new(),
        table_json_path: "$".to_string(),
        index: None,
        key: String::new(),
        parent_key: None,
        members: Vec::new(),
        cells: Vec::new(),
    });
    let mut top_members = None;
    for (pos, (k, v)) in event.iter().enumerate() {
        if skip.contains(&k.as_str()) {
            continue;
        }
        let path = vec![Segment::Key(k.clone())];
        let trail = Trail::root(Step::Key(k));
        match v {
            _ if k != root_key && is_data_key(k) => {
                let table = top_members.get_or_insert_with(|| w.member_table(&[], 0));
                w.member(table, pos, k, v, 1, &trail);
            }
            Value::Object(fields) if k == root_key => {
                let mut members = None;
                for (cpos, (ck, cv)) in fields.iter().enumerate() {
                    if root_skip.contains(&ck.as_str()) {
                        continue;
                    }
                    let t = trail.child(Step::Key(ck));
                    if is_data_key(ck) {
                        let table = members.get_or_insert_with(|| w.member_table(&path, 0));
                        w.member(table, cpos, ck, cv, 2, &t);
                        continue;
                    }
                    let mut p = path.clone();
                    p.push(Segment::Key(ck.clone()));
                    w.walk(cv, p, vec![ck.clone()], 0, 3, &t);
                }
            }
            _ => w.walk(v, path, vec![k.clone()], 0, 2, &trail),
        }
    }
    w.out.issues = w.hits.into_issues();
    w.out
}

/// Walks one event, counting what it flattens against the limits.
struct Walker {
    limits: FlatLimits,
    leaves: usize,
    elements: usize,
    out: Flattened,
    hits: Hits,
}

impl Walker {
    /// Keeps `json` (the text of the value at `path`) as an overflow part.
    fn overflow(&mut self, budget: Budget, path: String, json: String) {
        self.hits.add(budget, &path);
        self.out.overflow.push((path, json));
    }

    /// Adds the leaves of `v` (a container at `level`) to `rows[row]` and
    /// its arrays and data-keyed members as new rows.
    fn walk(
        &mut self,
        v: &Value,
        path: Vec<Segment>,
        name: Vec<String>,
        row: usize,
        level: usize,
        trail: &Trail<'_>,
    ) {
        if (v.is_object() || v.is_array()) && level > self.limits.max_depth {
            self.overflow(Budget::Depth, trail.render(), v.to_string());
            return;
        }
        match v {
            Value::Null => {}
            Value::Object(map) => {
                let mut members = None;
                for (pos, (k, child)) in map.iter().enumerate() {
                    let t = trail.child(Step::Key(k));
                    if is_data_key(k) {
                        let table = members.get_or_insert_with(|| self.member_table(&path, row));
                        self.member(table, pos, k, child, level, &t);
                        continue;
                    }
                    let mut p = path.clone();
                    p.push(Segment::Key(k.clone()));
                    let mut n = name.clone();
                    n.push(k.clone());
                    self.walk(child, p, n, row, level + 1, &t);
                }
            }
            Value::Array(items) => self.walk_array(items, path, row, level, trail),
            scalar => {
                if self.leaves >= self.limits.max_leaves {
                    self.overflow(Budget::Leaves, trail.render(), scalar.to_string());
                    return;
                }
                if let Some(leaf) = Leaf::from_value(scalar) {
                    self.leaves += 1;
                    self.out.rows[row].cells.push(Cell {
                        name_path: name,
                        json_path: json_path(&path),
                        path,
                        leaf,
                    });
                }
            }
        }
    }

    fn walk_array(
        &mut self,
        items: &[Value],
        path: Vec<Segment>,
        row: usize,
        level: usize,
        trail: &Trail<'_>,
    ) {
        let rows = &self.out.rows;
        let mut table_path = path;
        table_path.push(Segment::Elements);
        let parent_key = (!rows[row].table_path.is_empty()).then(|| rows[row].key.clone());
        let members = rows[row].members.clone();
        let table_json_path = json_path(&table_path);
        for (i, item) in items.iter().enumerate() {
            if self.elements >= self.limits.max_array_elements {
                let rest = serde_json::to_string(&items[i..]).unwrap_or_default();
                self.overflow(
                    Budget::ArrayElements,
                    format!("{}[{i}:]", trail.render()),
                    rest,
                );
                return;
            }
            self.elements += 1;
            let key = members::row_key(parent_key.as_deref(), i);
            self.out.rows.push(FlatRow {
                table_path: table_path.clone(),
                table_json_path: table_json_path.clone(),
                index: Some(i as i64),
                key,
                parent_key: parent_key.clone(),
                members: members.clone(),
                cells: Vec::new(),
            });
            let child = self.out.rows.len() - 1;
            let name = if item.is_object() || item.is_array() {
                Vec::new()
            } else {
                vec!["value".to_string()]
            };
            let t = trail.child(Step::Index(i));
            self.walk(item, table_path.clone(), name, child, level + 1, &t);
        }
    }
}

#[cfg(test)]
mod member_tests;
#[cfg(test)]
mod tests;
