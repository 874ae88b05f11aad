//! Bookkeeping for the parts of an event that go over a budget: their
//! concrete JSON paths (rendered only when needed) and the field issues
//! that name the budgets.

use super::generic::push_key;
use crate::budgets::Budget;
use crate::validate::coerce::Problem;
use crate::validate::FieldIssue;

/// One step of a concrete path: a key or an array index.
#[derive(Clone, Copy)]
pub enum Step<'a> {
    /// An object key.
    Key(&'a str),
    /// An array index.
    Index(usize),
}

/// The concrete path to a value, as a chain on the stack: rendered only
/// when a part goes over a budget.
pub struct Trail<'a> {
    parent: Option<&'a Trail<'a>>,
    step: Step<'a>,
}

impl<'a> Trail<'a> {
    pub fn root(step: Step<'a>) -> Self {
        Trail { parent: None, step }
    }

    pub fn child(&'a self, step: Step<'a>) -> Trail<'a> {
        Trail {
            parent: Some(self),
            step,
        }
    }

    pub fn render(&self) -> String {
        let mut steps = vec![self.step];
        let mut at = self.parent;
        while let Some(t) = at {
            steps.push(t.step);
            at = t.parent;
        }
        let mut out = String::from("$");
        for step in steps.into_iter().rev() {
            match step {
                Step::Key(k) => push_key(&mut out, k),
                Step::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }
}

/// Budget hits of one event: the first path moved and how many parts.
#[derive(Default)]
pub struct Hits(Vec<(Budget, String, u64)>);

impl Hits {
    /// Counts one part moved because of `budget`.
    pub fn add(&mut self, budget: Budget, path: &str) {
        match self.0.iter_mut().find(|h| h.0 == budget) {
            Some(hit) => hit.2 += 1,
            None => self.0.push((budget, path.to_string(), 1)),
        }
    }

    /// One field issue per budget hit: the first path moved is the field,
    /// the number of parts moved the raw value.
    pub fn into_issues(self) -> Vec<FieldIssue> {
        self.0
            .into_iter()
            .map(|(budget, field, count)| FieldIssue {
                field,
                raw_value: count.to_string(),
                problem: Problem::OverBudget(budget),
            })
            .collect()
    }
}
