//! Copying documents (Backlog.md's docs and decisions): created once, updated while nobody edits
//! them, kept as they are otherwise.

use super::merge::KeepReason;
use super::record::Extracted;
use super::state::{self, DocumentState, State};
use super::{read_rel, DocumentOutcome, FileWrite, ImportError, Outcome};
use std::path::Path;

/// Decides what happens to each document of `extracted`, under `plan_dir`.
pub(super) fn documents(
    root: &Path,
    plan_dir: &str,
    extracted: &Extracted,
    state: &mut State,
    out: &mut Outcome,
) -> Result<(), ImportError> {
    for doc in &extracted.documents {
        let file = if plan_dir == "." || plan_dir.is_empty() {
            doc.path.clone()
        } else {
            format!("{plan_dir}/{}", doc.path)
        };
        let hash = state::hash(&doc.text);
        let last = state.documents.get(&doc.key).cloned();
        let file = last.as_ref().map_or(file, |l| l.file.clone());
        let current = read_rel(root, &file)?;
        let cur_hash = current
            .as_ref()
            .map(|b| state::hash(&String::from_utf8_lossy(b)));
        let action = match (&last, &cur_hash) {
            (_, Some(h)) if *h == hash => "unchanged",
            (Some(l), Some(h)) if *h == l.hash => "updated",
            (None, None) => "created",
            (Some(_), None) => {
                out.documents.push(DocumentOutcome {
                    file,
                    external: doc.key.clone(),
                    action: "skipped",
                    reason: Some(
                        "removed from the plan since the last import; not copied again".into(),
                    ),
                });
                continue;
            }
            (_, Some(_)) => {
                out.documents.push(DocumentOutcome {
                    file,
                    external: doc.key.clone(),
                    action: "skipped",
                    reason: Some(if last.is_some() {
                        KeepReason::EditedSince.text().into()
                    } else {
                        "a different file is already there".into()
                    }),
                });
                continue;
            }
        };
        if action != "unchanged" {
            out.writes.push(FileWrite {
                path: file.clone(),
                bytes: doc.text.clone().into_bytes(),
                new: action == "created",
            });
        }
        state.documents.insert(
            doc.key.clone(),
            DocumentState {
                file: file.clone(),
                hash,
            },
        );
        out.documents.push(DocumentOutcome {
            file,
            external: doc.key.clone(),
            action,
            reason: None,
        });
    }
    Ok(())
}
