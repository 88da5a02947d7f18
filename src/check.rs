//! `cairn check`: load a plan, run every rule, keep what renderers need.

use crate::diagnostic::{Diagnostic, Summary};
use crate::plan::{LoadError, Plan};
use crate::source::Source;
use std::collections::HashMap;
use std::sync::Arc;

/// The findings of one run, with the text of the files they point into.
#[derive(Debug, Clone)]
pub struct CheckReport {
    /// How many items the plan holds.
    pub items: usize,
    /// Findings, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    sources: HashMap<String, Arc<str>>,
}

impl CheckReport {
    /// Builds a report from findings over a plan, reading from `source` the text of the files
    /// they point into (only those: a clean plan keeps no file text in memory).
    pub fn new(plan: &Plan, source: &dyn Source, diagnostics: Vec<Diagnostic>) -> Self {
        let mut sources = HashMap::new();
        for d in &diagnostics {
            let files = std::iter::once(&d.file).chain(d.related.iter().map(|r| &r.file));
            for f in files {
                if sources.contains_key(f) {
                    continue;
                }
                let text: Option<Arc<str>> = match plan.config_text_of(f) {
                    Some(t) => Some(Arc::from(t)),
                    None => source
                        .read(f)
                        .ok()
                        .filter(|b| b.len() <= crate::parse::front_matter::MAX_FILE_BYTES)
                        .map(|b| Arc::from(String::from_utf8_lossy(&b).as_ref())),
                };
                if let Some(t) = text {
                    sources.insert(f.clone(), t);
                }
            }
        }
        CheckReport {
            items: plan.items.len(),
            diagnostics,
            sources,
        }
    }

    /// Keeps only findings whose file satisfies `keep`.
    pub fn retain_files(&mut self, keep: impl Fn(&str) -> bool) {
        self.diagnostics.retain(|d| keep(&d.file));
    }

    /// Keeps only findings in these files or folders (relative to the plan root, `/`-separated;
    /// `""` keeps everything).
    pub fn retain_paths(&mut self, wanted: &[String]) {
        self.retain_files(|f| {
            wanted.iter().any(|w| {
                let w = w.trim_end_matches('/');
                w.is_empty()
                    || f == w
                    || f.strip_prefix(w).is_some_and(|rest| rest.starts_with('/'))
            })
        });
    }

    /// The text of line `line` (1-based) of `file`, without its line ending.
    pub fn line(&self, file: &str, line: usize) -> Option<&str> {
        let text = self.sources.get(file)?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        text.split('\n')
            .nth(line.checked_sub(1)?)
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
    }

    /// Error and warning counts.
    pub fn summary(&self) -> Summary {
        Summary::of(&self.diagnostics)
    }
}

/// Loads the plan from `source` and checks it.
pub fn check(source: &dyn Source) -> Result<CheckReport, LoadError> {
    let plan = Plan::load(source)?;
    let diagnostics = crate::rules::check(&plan, source);
    Ok(CheckReport::new(&plan, source, diagnostics))
}
