//! The folders a client names in `initialize`: `workspaceFolders`, else `rootUri`, else
//! `rootPath`, each kept only when it names an existing folder by an absolute path.
//!
//! Clients get these wrong in the wild: Neovim 0.11, given a relative `root_dir`, sends
//! `rootUri: "file://."` (a host named `.`, no path) and `rootPath: "/."`. A name that is not an
//! absolute `file://` URI or path of a folder is dropped; the plans are found from the documents
//! anyway (see [`super::workspace`]).

use super::uri;
use lsp_types::Uri;
use serde_json::Value;
use std::path::PathBuf;
use std::str::FromStr;

/// The usable folders of `initialize`'s parameters, in the order given.
pub fn named(params: &Value) -> Vec<PathBuf> {
    let folders: Vec<PathBuf> = params
        .get("workspaceFolders")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|f| folder_path(f.get("uri")?.as_str()?))
        .collect();
    if !folders.is_empty() {
        return folders;
    }
    let root_uri = params
        .get("rootUri")
        .and_then(Value::as_str)
        .and_then(folder_path);
    let root_path = || {
        let path = PathBuf::from(params.get("rootPath")?.as_str()?);
        usable(path)
    };
    root_uri.or_else(root_path).into_iter().collect()
}

/// The folder a `file://` URI names, when it is absolute and exists.
pub fn folder_path(s: &str) -> Option<PathBuf> {
    let uri = Uri::from_str(s).ok()?;
    usable(uri::to_path(&uri)?)
}

fn usable(path: PathBuf) -> Option<PathBuf> {
    (path.is_absolute() && path.is_dir()).then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn relative_and_missing_roots_are_dropped() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_str().unwrap().to_string();
        let file_uri = format!("file://{dir}");
        // Neovim 0.11 with a relative root: nothing usable but `/.`, which is `/`.
        let nvim = json!({ "rootUri": "file://.", "rootPath": "/.",
                           "workspaceFolders": [{ "uri": "file://.", "name": "." }] });
        assert_eq!(named(&nvim), [PathBuf::from("/.")]);
        let relative = json!({ "rootUri": "file:plan", "rootPath": "." });
        assert_eq!(named(&relative), Vec::<PathBuf>::new());
        let null = json!({ "rootUri": null, "rootPath": null, "workspaceFolders": null });
        assert_eq!(named(&null), Vec::<PathBuf>::new());
        let missing = json!({ "rootUri": format!("{file_uri}/nope") });
        assert_eq!(named(&missing), Vec::<PathBuf>::new());
        // Folders win over the root; bad folders are skipped.
        let both = json!({ "rootUri": "file:///", "workspaceFolders": [
            { "uri": "not a uri", "name": "x" }, { "uri": file_uri, "name": "d" }] });
        assert_eq!(named(&both), [PathBuf::from(&dir)]);
    }
}
