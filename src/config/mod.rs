//! `cairn.yaml`: kinds, statuses, scoring, sprints, rule levels and custom fields.
//!
//! Every key is optional. Configured kinds are merged over the built-in `goal` and `story`, so a
//! team adds an `epic` without restating the rest. Unknown keys are errors (with did-you-mean), so
//! a typo in the config never silently changes behaviour.

use crate::diagnostic::{Level, Rule, Span};
use std::collections::HashMap;
use std::fmt;

mod load;

/// The config file's name.
pub const FILE_NAME: &str = "cairn.yaml";

/// One of the four status categories every workflow maps to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// Not started.
    Todo,
    /// In progress.
    Doing,
    /// Finished.
    Done,
    /// Abandoned.
    Dropped,
}

impl Category {
    /// All categories, in workflow order.
    pub const ALL: [Category; 4] = [
        Category::Todo,
        Category::Doing,
        Category::Done,
        Category::Dropped,
    ];

    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Todo => "todo",
            Category::Doing => "doing",
            Category::Done => "done",
            Category::Dropped => "dropped",
        }
    }

    /// Parses a lowercase name.
    pub fn from_name(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Done or dropped: nothing more will happen.
    pub fn is_closed(self) -> bool {
        matches!(self, Category::Done | Category::Dropped)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A kind of item (`goal`, `story`, or one the team adds).
#[derive(Debug, Clone, PartialEq)]
pub struct Kind {
    /// The kind's name, also the name of the field its children use to point at it.
    pub name: String,
    /// Id prefix (`G` for `G-3`).
    pub prefix: String,
    /// The kind this kind's items belong to.
    pub parent: Option<String>,
    /// Statuses in workflow order, each with its category.
    pub statuses: Vec<(String, Category)>,
}

impl Kind {
    /// The category of a status of this kind.
    pub fn category(&self, status: &str) -> Option<Category> {
        self.statuses
            .iter()
            .find(|(s, _)| s == status)
            .map(|(_, c)| *c)
    }

    /// The position of a status in the workflow.
    pub fn status_index(&self, status: &str) -> Option<usize> {
        self.statuses.iter().position(|(s, _)| s == status)
    }
}

/// The scoring method used to rank items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// reach × impact × confidence / effort.
    Rice,
    /// impact × confidence × ease.
    Ice,
    /// (business value + time criticality + risk reduction) / job size.
    Wsjf,
    /// MoSCoW class only.
    Moscow,
    /// A custom expression.
    Formula,
}

impl Method {
    /// Every method name, for messages.
    pub const NAMES: [&'static str; 5] = ["rice", "ice", "wsjf", "moscow", "formula"];

    /// Parses a method name.
    pub fn from_name(s: &str) -> Option<Method> {
        Some(match s {
            "rice" => Method::Rice,
            "ice" => Method::Ice,
            "wsjf" => Method::Wsjf,
            "moscow" => Method::Moscow,
            "formula" => Method::Formula,
            _ => return None,
        })
    }

    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Rice => "rice",
            Method::Ice => "ice",
            Method::Wsjf => "wsjf",
            Method::Moscow => "moscow",
            Method::Formula => "formula",
        }
    }
}

/// A configured sprint.
#[derive(Debug, Clone, PartialEq)]
pub struct Sprint {
    /// The name stories use in `sprint:`.
    pub name: String,
    /// First day, `YYYY-MM-DD`.
    pub start: Option<String>,
    /// Last day, `YYYY-MM-DD`.
    pub end: Option<String>,
    /// Story points the team can take.
    pub capacity: Option<f64>,
    /// Where the sprint is defined in the config.
    pub span: Span,
    /// Where its capacity is written.
    pub capacity_span: Option<Span>,
    /// Where its name is written.
    pub name_span: Option<Span>,
}

/// The type of a custom field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// Any string.
    String,
    /// Any number.
    Number,
    /// A whole number.
    Integer,
    /// `true` or `false`.
    Boolean,
    /// `YYYY-MM-DD`.
    Date,
    /// A list of strings.
    List,
}

impl FieldType {
    const NAMES: [&'static str; 6] = ["string", "number", "integer", "boolean", "date", "list"];

    fn from_name(s: &str) -> Option<FieldType> {
        Some(match s {
            "string" => FieldType::String,
            "number" => FieldType::Number,
            "integer" => FieldType::Integer,
            "boolean" => FieldType::Boolean,
            "date" => FieldType::Date,
            "list" => FieldType::List,
            _ => return None,
        })
    }

    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        FieldType::NAMES[self as usize]
    }
}

/// A custom front-matter field a team adds.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDef {
    /// The field's key.
    pub name: String,
    /// Its type.
    pub ty: FieldType,
    /// Allowed values (strings and lists only).
    pub values: Option<Vec<String>>,
    /// Smallest allowed number.
    pub min: Option<f64>,
    /// Largest allowed number.
    pub max: Option<f64>,
}

/// The resolved configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The folder, relative to the root, whose Markdown files make up the plan.
    pub plan_dir: String,
    /// Kinds in declaration order (built-ins first).
    pub kinds: Vec<Kind>,
    /// How items are scored.
    pub method: Method,
    /// The expression for `method: formula`, as written.
    pub formula: Option<String>,
    /// The parsed formula.
    pub formula_expr: Option<crate::priority::formula::Expr>,
    /// `scoring.ice.mode: mean`: ICE as the average of its inputs instead of their product.
    pub ice_mean: bool,
    /// `planning.must_limit`: the share of a sprint's points that may be Must items (DSDM: 60%).
    pub must_limit: f64,
    /// Sprints in declaration order.
    pub sprints: Vec<Sprint>,
    /// Rule levels that differ from the defaults.
    pub rules: HashMap<Rule, Level>,
    /// Custom fields.
    pub fields: Vec<FieldDef>,
    /// `site:`: what `cairn site` needs besides the plan.
    pub site: SiteConfig,
}

/// The `site:` section: settings of the static site (`cairn site`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteConfig {
    /// The site's title (default: the plan README's first heading, else the root folder's name).
    pub title: Option<String>,
    /// The repository's web address (`https://github.com/acme/app`): links to repository files
    /// and "edit this page" point there.
    pub repo_url: Option<String>,
    /// The branch "edit this page" opens (default: the branch being built, else `main`).
    pub branch: Option<String>,
    /// The address the site is published at, for absolute links in feeds and `<link rel=canonical>`.
    pub base_url: Option<String>,
}

/// A config that cannot be used, with its location.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{}:{}: {message}", span.line, span.column)]
pub struct ConfigError {
    /// The config file.
    pub file: String,
    /// Where the problem is.
    pub span: Span,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

fn default_kinds() -> Vec<Kind> {
    use Category::*;
    let statuses = |list: &[(&str, Category)]| {
        list.iter()
            .map(|(s, c)| (s.to_string(), *c))
            .collect::<Vec<_>>()
    };
    vec![
        Kind {
            name: "goal".into(),
            prefix: "G".into(),
            parent: None,
            statuses: statuses(&[
                ("proposed", Todo),
                ("active", Doing),
                ("achieved", Done),
                ("dropped", Dropped),
            ]),
        },
        Kind {
            name: "story".into(),
            prefix: "S".into(),
            parent: Some("goal".into()),
            statuses: statuses(&[
                ("draft", Todo),
                ("ready", Todo),
                ("in-progress", Doing),
                ("review", Doing),
                ("done", Done),
                ("dropped", Dropped),
            ]),
        },
    ]
}

impl Default for Config {
    fn default() -> Self {
        Config {
            plan_dir: "plan".into(),
            kinds: default_kinds(),
            method: Method::Rice,
            formula: None,
            formula_expr: None,
            ice_mean: false,
            must_limit: 0.6,
            sprints: Vec::new(),
            rules: HashMap::new(),
            fields: Vec::new(),
            site: SiteConfig::default(),
        }
    }
}

impl Config {
    /// The kind with this name.
    pub fn kind(&self, name: &str) -> Option<&Kind> {
        self.kinds.iter().find(|k| k.name == name)
    }

    /// The index of the kind whose prefix is `prefix`.
    pub fn kind_by_prefix(&self, prefix: &str) -> Option<usize> {
        self.kinds.iter().position(|k| k.prefix == prefix)
    }

    /// True when some kind names `kind` as its parent.
    pub fn has_children(&self, kind: &str) -> bool {
        self.kinds.iter().any(|k| k.parent.as_deref() == Some(kind))
    }

    /// The sprint with this name.
    pub fn sprint(&self, name: &str) -> Option<&Sprint> {
        self.sprints.iter().find(|s| s.name == name)
    }

    /// The custom field with this name.
    pub fn field(&self, name: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The level a rule runs at.
    pub fn level(&self, rule: Rule) -> Level {
        self.rules
            .get(&rule)
            .copied()
            .unwrap_or(rule.default_level())
    }
}
