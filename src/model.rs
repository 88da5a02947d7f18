//! Items and their typed fields.

use crate::config::Category;
use crate::diagnostic::Span;
use serde::Serialize;
use std::fmt;

/// Fields every kind may have, plus the goal and story tables of the spec.
pub const BUILTIN_FIELDS: &[&str] = &[
    "id",
    "title",
    "status",
    "owner",
    "external",
    "tags",
    "depends_on",
    "moscow",
    "rice",
    "ice",
    "wsjf",
    "horizon",
    "key_results",
    "estimate",
    "sprint",
    "assignee",
];

/// Fields of kinds that have no parent, or have children (goals, epics).
pub const GOAL_FIELDS: &[&str] = &["horizon", "key_results"];
/// Fields of kinds that have a parent (stories, epics).
pub const STORY_FIELDS: &[&str] = &["estimate", "sprint", "assignee"];

/// A reference to another item or a sprint, where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ref {
    /// The id or name as written.
    pub id: String,
    /// Where it was written.
    pub span: Span,
}

/// A MoSCoW class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Moscow {
    /// Must have.
    Must,
    /// Should have.
    Should,
    /// Could have.
    Could,
    /// Won't have (this time).
    Wont,
}

impl Moscow {
    /// The canonical names.
    pub const NAMES: [&'static str; 4] = ["must", "should", "could", "wont"];

    /// Parses a class, case-insensitively, accepting `won't` and `won’t`.
    pub fn parse(s: &str) -> Option<Moscow> {
        match s.trim().to_lowercase().replace(['\'', '’'], "").as_str() {
            "must" => Some(Moscow::Must),
            "should" => Some(Moscow::Should),
            "could" => Some(Moscow::Could),
            "wont" => Some(Moscow::Wont),
            _ => None,
        }
    }

    /// The canonical lowercase name.
    pub fn as_str(self) -> &'static str {
        Moscow::NAMES[self as usize]
    }
}

impl fmt::Display for Moscow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// RICE inputs; each is `None` when absent or invalid.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Rice {
    /// People or events per period.
    pub reach: Option<f64>,
    /// 3, 2, 1, 0.5 or 0.25.
    pub impact: Option<f64>,
    /// 0–1.
    pub confidence: Option<f64>,
    /// Person-months, > 0.
    pub effort: Option<f64>,
}

/// ICE inputs, each 1–10.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Ice {
    /// Impact.
    pub impact: Option<f64>,
    /// Confidence.
    pub confidence: Option<f64>,
    /// Ease.
    pub ease: Option<f64>,
}

/// WSJF inputs on the modified Fibonacci scale.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Wsjf {
    /// User and business value.
    pub business_value: Option<f64>,
    /// Time criticality.
    pub time_criticality: Option<f64>,
    /// Risk reduction and opportunity enablement.
    pub risk_reduction: Option<f64>,
    /// Job size.
    pub job_size: Option<f64>,
}

/// A key result of a goal.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum KeyResult {
    /// Free text.
    Text(String),
    /// A measurable result.
    Metric {
        /// What is measured.
        metric: String,
        /// Where it should get to.
        target: Option<String>,
        /// Where it is now.
        current: Option<String>,
    },
}

/// The value of a custom field.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum CustomValue {
    /// A string or date.
    Str(String),
    /// A number.
    Num(f64),
    /// A boolean.
    Bool(bool),
    /// A list of strings.
    List(Vec<String>),
}

/// One goal, story or other item, as read from its file.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// `G-3`.
    pub id: String,
    /// The number after the prefix.
    pub number: u64,
    /// Index into the config's kinds.
    pub kind: usize,
    /// File relative to the plan root.
    pub file: String,
    /// Where the id is written.
    pub id_span: Span,
    /// The title (empty when missing).
    pub title: String,
    /// The status, when present and valid.
    pub status: Option<String>,
    /// Where the status is written (or the front matter's end when missing).
    pub status_span: Span,
    /// The status's category.
    pub category: Option<Category>,
    /// The parent named in the field called after the parent kind.
    pub parent: Option<Ref>,
    /// Items this one depends on.
    pub depends_on: Vec<Ref>,
    /// Owners (a string or a list in the file; trackers allow several).
    pub owner: Vec<String>,
    /// Assignees (a string or a list in the file).
    pub assignee: Vec<String>,
    /// Keys of the item in the trackers it was imported from (`jira:PROJ-12`).
    pub external: Vec<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// MoSCoW class.
    pub moscow: Option<Moscow>,
    /// RICE inputs.
    pub rice: Option<Rice>,
    /// ICE inputs.
    pub ice: Option<Ice>,
    /// WSJF inputs.
    pub wsjf: Option<Wsjf>,
    /// Story points.
    pub estimate: Option<f64>,
    /// The sprint it is committed to.
    pub sprint: Option<Ref>,
    /// `now`, `next`, `later`, `YYYY-Qn` or `YYYY-MM`.
    pub horizon: Option<String>,
    /// Key results.
    pub key_results: Vec<KeyResult>,
    /// Custom fields, in file order.
    pub custom: Vec<(String, CustomValue)>,
    /// The first paragraph of the body.
    pub statement: Option<String>,
    /// Checked and total acceptance criteria.
    pub criteria: Option<(usize, usize)>,
    /// The line of the closing `---`, where missing fields would go.
    pub front_matter_end: Span,
    /// True when the parent field is present, even if its value was invalid.
    pub parent_written: bool,
}

/// Names joined for display (`ana, ben`), or `None` when there are none.
pub fn joined_names(names: &[String]) -> Option<String> {
    (!names.is_empty()).then(|| names.join(", "))
}

/// True for `YYYY-MM-DD` with a plausible month and day.
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if !(digits(0..4) && digits(5..7) && digits(8..10)) {
        return false;
    }
    let month: u32 = s[5..7].parse().unwrap_or(0);
    let day: u32 = s[8..10].parse().unwrap_or(0);
    (1..=12).contains(&month) && (1..=31).contains(&day)
}

/// Splits `S-14` into its prefix and number.
pub fn split_id(id: &str) -> Option<(&str, u64)> {
    let (prefix, num) = id.split_once('-')?;
    if prefix.is_empty() || !prefix.chars().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    if num.is_empty() || num.starts_with('0') || !num.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some((prefix, num.parse().ok().filter(|&n| n > 0)?))
}

/// A number as people write it: `5`, `0.5`, `1920` (no `.0`, at most two decimals).
pub fn fmt_num(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else if n.abs() >= 1e15 {
        // No cents to round at this size, and scaling by 100 could overflow to `inf`.
        format!("{n}")
    } else {
        format!("{}", (n * 100.0).round() / 100.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert_eq!(split_id("S-14"), Some(("S", 14)));
        assert_eq!(split_id("S-0"), None);
        assert_eq!(split_id("S-014"), None);
        assert_eq!(split_id("s-1"), None);
        assert_eq!(split_id("S14"), None);
    }

    #[test]
    fn moscow_spellings() {
        assert_eq!(Moscow::parse("Won’t"), Some(Moscow::Wont));
        assert_eq!(Moscow::parse("won't"), Some(Moscow::Wont));
        assert_eq!(Moscow::parse("MUST"), Some(Moscow::Must));
        assert_eq!(Moscow::parse("maybe"), None);
    }

    #[test]
    fn dates() {
        assert!(is_date("2027-01-04"));
        assert!(!is_date("2027-13-04"));
        assert!(!is_date("27-01-04"));
    }
}
