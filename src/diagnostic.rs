//! Findings: what is wrong, where, and how to fix it.

use serde::Serialize;
use std::fmt;

/// A location in a file: 1-based line and column (in characters), and a length in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Span {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// Length of the highlighted text in characters on that line (at least 1 when rendered).
    pub len: usize,
}

impl Span {
    /// A span at `line`:`column` covering `len` characters.
    pub fn new(line: usize, column: usize, len: usize) -> Self {
        Span { line, column, len }
    }

    /// The start of a file.
    pub fn file_start() -> Self {
        Span::new(1, 1, 0)
    }
}

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Fails `cairn check` (exit code 1).
    Error,
    /// Reported, fails only with `--deny warnings`.
    Warning,
}

impl Severity {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// The level a rule runs at, as configured under `rules:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Report as an error.
    Error,
    /// Report as a warning.
    Warn,
    /// Do not report.
    Off,
}

macro_rules! rules {
    ($( $variant:ident => $name:literal, $level:ident, $desc:literal; )*) => {
        /// Every rule cairn checks. Names are stable and kebab-case.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule { $( #[doc = $desc] $variant, )* }

        impl Rule {
            /// Every rule, in documentation order.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant,)*];

            /// The stable kebab-case name (`broken-reference`).
            pub fn name(self) -> &'static str {
                match self { $(Rule::$variant => $name,)* }
            }

            /// The level a rule runs at when the config does not say.
            pub fn default_level(self) -> Level {
                match self { $(Rule::$variant => Level::$level,)* }
            }

            /// A one-sentence description, used by SARIF and the docs.
            pub fn description(self) -> &'static str {
                match self { $(Rule::$variant => $desc,)* }
            }
        }
    };
}

rules! {
    MergeConflict => "merge-conflict", Error, "Conflict markers left in a plan file.";
    ParseError => "parse-error", Error, "The file cannot be read as an item: unterminated front matter, YAML syntax error, front matter that is not a mapping, or invalid UTF-8.";
    MissingField => "missing-field", Error, "A required field (`id`, `title` or `status`) is absent.";
    InvalidId => "invalid-id", Error, "The id does not match `PREFIX-N` for a configured kind.";
    InvalidValue => "invalid-value", Error, "A field has the wrong type, is out of range, or is not an allowed value.";
    DuplicateId => "duplicate-id", Error, "Two files share an id.";
    BrokenReference => "broken-reference", Error, "A parent field or `depends_on` names an id that does not exist.";
    WrongKind => "wrong-kind", Error, "A reference points at an item of the wrong kind.";
    DependencyCycle => "dependency-cycle", Error, "Items depend on each other in a cycle through `depends_on`.";
    BrokenLink => "broken-link", Error, "A relative Markdown link points at a file that does not exist.";
    BrokenAnchor => "broken-anchor", Error, "A link's `#anchor` matches no heading in the target file.";
    UnknownSprint => "unknown-sprint", Error, "`sprint:` names a sprint that is not configured.";
    UnknownField => "unknown-field", Warn, "A front-matter field is neither built in nor configured.";
    OrphanStory => "orphan-story", Warn, "An item of a kind that has a parent names no parent.";
    StatusConflict => "status-conflict", Warn, "Statuses contradict each other across a dependency or a parent.";
    NotReady => "not-ready", Warn, "A story in `ready` or later lacks an estimate or acceptance criteria.";
    OverCapacity => "over-capacity", Warn, "A sprint's committed estimates exceed its capacity.";
    MoscowBalance => "moscow-balance", Warn, "More than the configured share (DSDM: 60%) of a sprint's points are Must items.";
    EmptyGoal => "empty-goal", Warn, "An active goal has no children.";
    StaleParent => "stale-parent", Off, "The parent goal changed in substance after the story was last touched (off by default; reads git history).";
}

impl Rule {
    /// Looks a rule up by its kebab-case name.
    pub fn from_name(name: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.name() == name)
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A secondary location shown with a finding ("first defined here").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    /// File relative to the plan root, with `/` separators.
    pub file: String,
    /// Where in that file.
    pub span: Span,
    /// What that location is.
    pub message: String,
}

/// One finding of `cairn check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Which rule found it.
    pub rule: Rule,
    /// Error or warning, after the configured level is applied.
    pub severity: Severity,
    /// File relative to the plan root, with `/` separators.
    pub file: String,
    /// Where in the file.
    pub span: Span,
    /// What is wrong, in the user's words.
    pub message: String,
    /// How to fix it, when cairn knows.
    pub help: Option<String>,
    /// Other locations that explain the finding.
    pub related: Vec<Related>,
}

impl Diagnostic {
    /// A finding at the rule's default severity; levels from config are applied later.
    pub fn new(
        rule: Rule,
        file: impl Into<String>,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        let severity = match rule.default_level() {
            Level::Warn | Level::Off => Severity::Warning,
            Level::Error => Severity::Error,
        };
        Diagnostic {
            rule,
            severity,
            file: file.into(),
            span,
            message: message.into(),
            help: None,
            related: Vec::new(),
        }
    }

    /// Adds a `help:` line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds an optional `help:` line.
    pub fn with_help_opt(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    /// Adds a secondary location.
    pub fn with_related(
        mut self,
        file: impl Into<String>,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        self.related.push(Related {
            file: file.into(),
            span,
            message: message.into(),
        });
        self
    }
}

/// Counts of findings by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Findings at error level.
    pub errors: usize,
    /// Findings at warning level.
    pub warnings: usize,
}

impl Summary {
    /// Counts the findings in `diagnostics`.
    pub fn of(diagnostics: &[Diagnostic]) -> Self {
        let mut s = Summary::default();
        for d in diagnostics {
            match d.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn rule_names_are_unique_kebab_case() {
        let mut seen = HashSet::new();
        for rule in Rule::ALL {
            assert!(
                seen.insert(rule.name()),
                "duplicate rule name {}",
                rule.name()
            );
            assert!(rule
                .name()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-'));
            assert_eq!(Rule::from_name(rule.name()), Some(*rule));
        }
    }
}
