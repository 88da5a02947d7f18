//! Publishing findings: cairn's diagnostics as LSP diagnostics, sent only for files whose
//! findings changed, and an empty list for files that no longer have any.

use super::position::span_range;
use super::state::State;
use crate::diagnostic::{self, Severity};
use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    PublishDiagnosticsParams,
};
use std::collections::{BTreeMap, HashMap};

/// The findings last sent to the editor, by file, with the version of the buffer they were sent
/// for (a finding in the same character column moves in UTF-16 columns when an emoji is typed
/// before it, so an edited buffer with findings is always sent again).
#[derive(Debug, Default)]
pub struct Published {
    by_file: HashMap<String, (Vec<diagnostic::Diagnostic>, Option<i32>)>,
}

impl Published {
    /// The notifications that bring the editor up to date with `state`'s findings on the files
    /// for which `mine` is true (the others are left to the plan they belong to).
    pub fn update(
        &mut self,
        state: &mut State,
        mut mine: impl FnMut(&str) -> bool,
    ) -> Vec<PublishDiagnosticsParams> {
        let findings = state.findings();
        let mut now: BTreeMap<&str, Vec<diagnostic::Diagnostic>> = BTreeMap::new();
        for d in findings.iter() {
            now.entry(d.file.as_str()).or_default().push(d.clone());
        }
        now.retain(|file, _| mine(file));
        let mut out = Vec::new();
        let mut sent = HashMap::with_capacity(now.len());
        for (file, diags) in now {
            let version = state.doc(file).map(|d| d.version);
            let same = self
                .by_file
                .get(file)
                .is_some_and(|(d, v)| *d == diags && *v == version);
            if !same {
                if let Some(p) = publish(state, file, &diags) {
                    out.push(p);
                }
            }
            sent.insert(file.to_string(), (diags, version));
        }
        for file in self.by_file.keys().filter(|f| !sent.contains_key(*f)) {
            if let Some(p) = publish(state, file, &[]) {
                out.push(p);
            }
        }
        self.by_file = sent;
        out
    }

    /// The notifications that clear every finding published for `state`, a plan no longer served.
    pub fn withdraw(self, state: &State) -> Vec<PublishDiagnosticsParams> {
        let mut files: Vec<&String> = self.by_file.keys().collect();
        files.sort();
        files
            .into_iter()
            .filter_map(|file| publish(state, file, &[]))
            .collect()
    }
}

fn publish(
    state: &State,
    file: &str,
    diags: &[diagnostic::Diagnostic],
) -> Option<PublishDiagnosticsParams> {
    let uri = state.uri_of(file)?;
    let text = if diags.is_empty() {
        None
    } else {
        state.text(file)
    };
    let diagnostics = diags
        .iter()
        .map(|d| to_lsp(state, d, text.as_deref()))
        .collect();
    Some(PublishDiagnosticsParams {
        uri,
        diagnostics,
        version: state.doc(file).map(|d| d.version),
    })
}

/// One finding as an LSP diagnostic; `text` is the text of its file.
pub fn to_lsp(
    state: &State,
    d: &diagnostic::Diagnostic,
    text: Option<&str>,
) -> lsp_types::Diagnostic {
    let related: Vec<DiagnosticRelatedInformation> = d
        .related
        .iter()
        .filter_map(|r| {
            let uri = state.uri_of(&r.file)?;
            let range = if r.file == d.file {
                span_range(text, r.span)
            } else {
                span_range(state.text(&r.file).as_deref(), r.span)
            };
            Some(DiagnosticRelatedInformation {
                location: Location { uri, range },
                message: r.message.clone(),
            })
        })
        .collect();
    let message = match &d.help {
        Some(help) => format!("{}\nhelp: {help}", d.message),
        None => d.message.clone(),
    };
    lsp_types::Diagnostic {
        range: span_range(text, d.span),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(d.rule.name().to_string())),
        code_description: None,
        source: Some("cairn".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}
