//! Re-import: what to do with each field of an item that is already in the plan.
//!
//! Three values decide: what the source says now (`new`), what the file holds (`current`), and
//! what the last import wrote (`last`, from the state file). When the file already says what the
//! source says, nothing changes. When the file still holds what the last import wrote, nobody
//! touched it, so the source's new value is written. A field no import ever wrote and the file
//! does not have is filled in. Anything else is the user's: it is kept and the summary says so.
//! `--overwrite` lets the source win everywhere.

use super::value::FieldValue;

/// What happens to one field.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// The file already holds the source's value.
    Same,
    /// Write the source's value (or remove the field, for `None`).
    Write(Option<FieldValue>),
    /// Keep the file's value: edited since the last import, or never written by one.
    Keep(KeepReason),
}

/// Why a value is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeepReason {
    /// It differs from what the last import wrote.
    EditedSince,
    /// No import wrote it before (an item linked by hand, or a lost state file).
    NotOwned,
}

impl KeepReason {
    /// For the summary.
    pub fn text(self) -> &'static str {
        match self {
            KeepReason::EditedSince => "edited in the plan since the last import",
            KeepReason::NotOwned => "set in the plan before any import wrote it",
        }
    }
}

/// Decides one field. `last` is `None` when the import never owned the field, `Some(None)` when
/// it wrote the field absent.
pub fn decide(
    new: Option<&FieldValue>,
    current: Option<&FieldValue>,
    last: Option<Option<&FieldValue>>,
    overwrite: bool,
) -> Decision {
    if new == current {
        return Decision::Same;
    }
    match last {
        _ if overwrite => Decision::Write(new.cloned()),
        Some(last) if last == current => Decision::Write(new.cloned()),
        Some(_) => Decision::Keep(KeepReason::EditedSince),
        // A field nobody wrote is filled in: that overwrites nothing.
        None if current.is_none() => Decision::Write(new.cloned()),
        None => Decision::Keep(KeepReason::NotOwned),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> FieldValue {
        FieldValue::Text(s.into())
    }

    #[test]
    fn the_three_values_decide() {
        let (draft, done, review) = (t("draft"), t("done"), t("review"));
        // Untouched since the last import: the source wins.
        assert_eq!(
            decide(Some(&done), Some(&draft), Some(Some(&draft)), false),
            Decision::Write(Some(done.clone()))
        );
        // Edited by the user: kept, even when the source changes again.
        assert_eq!(
            decide(Some(&done), Some(&review), Some(Some(&draft)), false),
            Decision::Keep(KeepReason::EditedSince)
        );
        // The user's edit agrees with the source: nothing to do.
        assert_eq!(
            decide(Some(&done), Some(&done), Some(Some(&draft)), false),
            Decision::Same
        );
        // Removed by the source, untouched in the file: removed.
        assert_eq!(
            decide(None, Some(&draft), Some(Some(&draft)), false),
            Decision::Write(None)
        );
        // Removed by the user: the source does not put it back.
        assert_eq!(
            decide(Some(&done), None, Some(Some(&draft)), false),
            Decision::Keep(KeepReason::EditedSince)
        );
        // Never owned: kept, unless --overwrite.
        assert_eq!(
            decide(Some(&done), Some(&review), None, false),
            Decision::Keep(KeepReason::NotOwned)
        );
        assert_eq!(
            decide(Some(&done), Some(&review), None, true),
            Decision::Write(Some(done.clone()))
        );
        // Never owned but absent: filled in.
        assert_eq!(
            decide(Some(&done), None, None, false),
            Decision::Write(Some(done))
        );
    }
}
