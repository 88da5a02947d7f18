//! What every source reader produces: tracker-neutral records, documents to copy, sprints, and
//! the problems found on the way, each located in the source file.

use serde::Serialize;

/// Where in the source a record or a problem comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Origin {
    /// The source file, as the user named it (`backlog/tasks/back-3 - x.md`, `issues.json`).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

impl Origin {
    /// A position in `file`.
    pub fn new(file: &str, line: usize, column: usize) -> Origin {
        Origin {
            file: file.to_string(),
            line: line.max(1),
            column: column.max(1),
        }
    }
}

/// How bad a source problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The record (or part of it) could not be imported.
    Error,
    /// Imported, but something was repaired, dropped or guessed.
    Warning,
}

/// A problem in the source, with its location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Error (not imported) or warning (imported with a loss or a repair).
    pub level: Level,
    /// Where.
    #[serde(flatten)]
    pub at: Origin,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when there is a fix.
    pub help: Option<String>,
}

impl Problem {
    /// An error at `at`.
    pub fn error(at: Origin, message: impl Into<String>) -> Problem {
        Problem {
            level: Level::Error,
            at,
            message: message.into(),
            help: None,
        }
    }

    /// A warning at `at`.
    pub fn warning(at: Origin, message: impl Into<String>) -> Problem {
        Problem {
            level: Level::Warning,
            ..Problem::error(at, message)
        }
    }

    /// With a `help:` line.
    pub fn help(mut self, help: impl Into<String>) -> Problem {
        self.help = Some(help.into());
        self
    }
}

/// What a record becomes: a goal (milestones, epics) or a story (tasks, issues).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// An item of the story kind's parent kind.
    Goal,
    /// An item of the story kind.
    Story,
}

/// The status a record has in its tracker.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SourceStatus {
    /// The name looked up in the status map (`To Do`, `not_planned`).
    pub name: String,
    /// The tracker's own category for the status, when it says (Jira's `Status Category`), used
    /// when the map does not know the name.
    pub category: Option<crate::config::Category>,
    /// Archived in the tracker (Backlog.md's `archive/`): anything not done becomes dropped.
    pub archived: bool,
    /// A closing reason that turns a done status into dropped (Jira's `Won't Do` resolution).
    pub dropped_reason: Option<String>,
}

/// One issue, task or milestone of the source, before it is mapped to cairn fields.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Record {
    /// The `external:` key (`jira:PROJ-12`).
    pub key: String,
    /// Goal or story.
    pub role: Option<Role>,
    /// The title.
    pub title: String,
    /// The tracker's status.
    pub status: SourceStatus,
    /// The tracker's priority, looked up in the priority map.
    pub priority: Option<String>,
    /// Labels.
    pub tags: Vec<String>,
    /// Assignees (stories) or owners (goals).
    pub people: Vec<String>,
    /// The key of the goal record it belongs to (milestone, epic).
    pub parent: Option<String>,
    /// The key of the story it is a sub-task of.
    pub part_of: Option<String>,
    /// Keys of the records it depends on (is blocked by).
    pub depends_on: Vec<String>,
    /// Keys of the records it blocks (they depend on it).
    pub blocks: Vec<String>,
    /// The sprint it is in.
    pub sprint: Option<String>,
    /// Story points.
    pub estimate: Option<f64>,
    /// `YYYY-MM` for goals with a due date.
    pub horizon: Option<String>,
    /// Created, `YYYY-MM-DD`.
    pub created: Option<String>,
    /// Closed, `YYYY-MM-DD`.
    pub closed: Option<String>,
    /// Backlog.md's manual order.
    pub ordinal: Option<f64>,
    /// The tracker's issue type (`bug`, `Story`).
    pub issue_type: Option<String>,
    /// The Markdown body.
    pub body: String,
    /// Where it is in the source.
    pub origin: Option<Origin>,
    /// Where its status is written, when the source says more precisely than `origin`.
    pub status_at: Option<Origin>,
    /// Where its priority is written, likewise.
    pub priority_at: Option<Origin>,
}

/// A Markdown document copied as is (Backlog.md's docs and decisions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The source's key for it (`backlog-md:doc-1`).
    pub key: String,
    /// Where it goes, relative to the plan directory (`backlog/docs/doc-1 - Guide.md`).
    pub path: String,
    /// The text.
    pub text: String,
}

/// Everything one source read gave.
#[derive(Debug, Clone, Default)]
pub struct Extracted {
    /// The source's name (`backlog-md`, `github`, `jira`).
    pub source: &'static str,
    /// How many files or rows were read.
    pub read: usize,
    /// The records, in source order.
    pub records: Vec<Record>,
    /// Documents to copy.
    pub documents: Vec<Document>,
    /// Sprint names the records use, in source order.
    pub sprints: Vec<String>,
    /// Problems, in source order.
    pub problems: Vec<Problem>,
    /// Source statuses in the tracker's own workflow order with their category (Backlog.md's
    /// `statuses:`), used when neither the map nor the defaults know a name.
    pub workflow: Vec<(String, crate::config::Category)>,
}
