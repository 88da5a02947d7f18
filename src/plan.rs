//! The plan: every item and document from a source, parsed in parallel and indexed by id.

use crate::config::{self, Config, ConfigError};
use crate::diagnostic::{Diagnostic, Rule, Span};
use crate::model::Item;
use crate::parse::item::{parse_file, ParsedFile};
use crate::parse::markdown::Link;
use crate::source::Source;
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// A file of the plan that is not (only) an item: its anchors and links, for link checking.
#[derive(Debug, Clone)]
pub struct PlanFile {
    /// Path relative to the plan root.
    pub path: String,
    /// GitHub anchors of its headings.
    pub anchors: Vec<String>,
    /// Relative links in its body.
    pub links: Vec<Link>,
    /// The index of the item defined in this file.
    pub item: Option<usize>,
}

/// Everything cairn knows about a plan.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The configuration in force.
    pub config: Config,
    /// The config file, when there is one (`cairn.yaml`).
    pub config_file: Option<String>,
    /// Text of the config file.
    pub config_text: Option<Arc<str>>,
    /// Every Markdown file under the plan directory, sorted by path.
    pub files: Vec<PlanFile>,
    /// Every item, in file order.
    pub items: Vec<Item>,
    /// Item index by id (the first file wins when ids are duplicated). FxHash: ids are short
    /// and looked up for every reference, so the faster hasher pays.
    pub by_id: rustc_hash::FxHashMap<String, usize>,
    /// Children of each item (items whose parent field names it), sorted by id.
    pub children: Vec<Vec<usize>>,
    /// Items that depend on each item, sorted by id.
    pub dependents: Vec<Vec<usize>>,
    /// Findings made while reading files.
    pub parse_diagnostics: Vec<Diagnostic>,
    /// Ids declared by files that are no item (they could not be parsed, or the id itself is
    /// invalid), with their file.
    pub unread_ids: HashMap<String, String>,
}

/// An id that names no item of the plan (see [`Plan::unknown_item`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownItem {
    /// The id asked for.
    pub id: String,
    /// The file that declares the id without being an item, when one does.
    pub declared: Option<Declared>,
    /// A did-you-mean over the plan's ids, when no file declares the id.
    pub suggestion: Option<String>,
}

/// A file that declares an id but is no item, and the finding that says why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declared {
    /// The file, relative to the plan root.
    pub file: String,
    /// Where the finding points (the `id:` value for an invalid id).
    pub span: Span,
    /// The finding's rule (`invalid-id`, `parse-error`, …), when there is one.
    pub rule: Option<Rule>,
    /// The finding's message.
    pub reason: Option<String>,
    /// The finding's help.
    pub help: Option<String>,
}

impl std::fmt::Display for UnknownItem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "no item `{}` in the plan", self.id)?;
        match &self.declared {
            Some(d) => {
                let at = format!("{}:{}:{}", d.file, d.span.line, d.span.column);
                match (d.rule, &d.reason) {
                    (Some(Rule::InvalidId), Some(why)) => {
                        write!(f, ": {at} declares it, but {why}")?
                    }
                    (Some(rule), Some(why)) => write!(
                        f,
                        ": {at} declares it, but the file is not an item ({rule}: {why})"
                    )?,
                    _ => write!(
                        f,
                        ": {at} declares it, but the file is not an item (`cairn check` says why)"
                    )?,
                }
                match &d.help {
                    Some(h) => write!(f, "\n  help: {h}"),
                    None => write!(f, "\n  help: fix {} first", d.file),
                }
            }
            None => match &self.suggestion {
                Some(h) => write!(f, "; {h}"),
                None => Ok(()),
            },
        }
    }
}

impl std::error::Error for UnknownItem {}

/// Why a plan could not be loaded at all (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The config is invalid.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A source could not be listed or read.
    #[error("cannot read {what}: {error}")]
    Io {
        /// What was being read.
        what: String,
        /// The cause, part of the message (so not a `source`: a printed chain does not repeat it).
        error: std::io::Error,
    },
}

impl Plan {
    /// Reads the config and every plan file from `source`.
    pub fn load(source: &dyn Source) -> Result<Plan, LoadError> {
        let (config, config_file, config_text) = if source.exists(config::FILE_NAME) {
            let bytes = source.read(config::FILE_NAME).map_err(|e| LoadError::Io {
                what: config::FILE_NAME.into(),
                error: e,
            })?;
            let text = String::from_utf8(bytes).map_err(|_| ConfigError {
                file: config::FILE_NAME.into(),
                span: Span::file_start(),
                message: "the config is not valid UTF-8".into(),
                help: None,
            })?;
            let config = Config::parse(&text, config::FILE_NAME)?;
            (
                config,
                Some(config::FILE_NAME.to_string()),
                Some(Arc::from(text)),
            )
        } else {
            (Config::default(), None, None)
        };
        let paths = source
            .markdown_files(&config.plan_dir)
            .map_err(|e| LoadError::Io {
                what: format!("the plan directory `{}`", config.plan_dir),
                error: e,
            })?;
        let parsed: Vec<ParsedFile> = paths
            .par_iter()
            .map(|path| match source.read(path) {
                Ok(bytes) => parse_file(path, &bytes, &config),
                Err(e) => ParsedFile::unreadable(path, &e),
            })
            .collect();
        Ok(Plan::from_parsed(config, config_file, config_text, parsed))
    }

    /// Builds the indexes over already parsed files.
    pub fn from_parsed(
        config: Config,
        config_file: Option<String>,
        config_text: Option<Arc<str>>,
        parsed: Vec<ParsedFile>,
    ) -> Plan {
        let mut files = Vec::with_capacity(parsed.len());
        let mut items = Vec::with_capacity(parsed.len());
        let mut parse_diagnostics = Vec::new();
        let mut unread_ids = HashMap::new();
        for p in parsed {
            if let Some(id) = p.unread_id {
                unread_ids.entry(id).or_insert_with(|| p.file.clone());
            }
            let item = p.item.map(|it| {
                items.push(it);
                items.len() - 1
            });
            parse_diagnostics.extend(p.diagnostics);
            files.push(PlanFile {
                path: p.file,
                anchors: p.anchors,
                links: p.links,
                item,
            });
        }
        let mut by_id =
            rustc_hash::FxHashMap::with_capacity_and_hasher(items.len(), Default::default());
        for (i, item) in items.iter().enumerate() {
            by_id.entry(item.id.clone()).or_insert(i);
        }
        let mut children = vec![Vec::new(); items.len()];
        let mut dependents = vec![Vec::new(); items.len()];
        for (i, item) in items.iter().enumerate() {
            if let Some(&p) = item.parent.as_ref().and_then(|p| by_id.get(&p.id)) {
                if p != i {
                    children[p].push(i);
                }
            }
            for d in &item.depends_on {
                if let Some(&t) = by_id.get(&d.id) {
                    if !dependents[t].contains(&i) {
                        dependents[t].push(i);
                    }
                }
            }
        }
        let key = |i: &usize| (items[*i].kind, items[*i].number);
        for list in children.iter_mut().chain(dependents.iter_mut()) {
            list.sort_by_key(key);
        }
        Plan {
            config,
            config_file,
            config_text,
            files,
            items,
            by_id,
            children,
            dependents,
            parse_diagnostics,
            unread_ids,
        }
    }

    /// The item with this id.
    pub fn get(&self, id: &str) -> Option<&Item> {
        self.by_id.get(id).map(|&i| &self.items[i])
    }

    /// Why `id` names no item: the one "no such item" error of every command that takes an id.
    /// When a file declares the id but is no item (it cannot be parsed, or the id is invalid),
    /// the error names that file and the finding that says why, instead of guessing a neighbour.
    pub fn unknown_item(&self, id: &str) -> UnknownItem {
        let declared = self.unread_ids.get(id).map(|file| {
            let found = self
                .parse_diagnostics
                .iter()
                .filter(|d| &d.file == file)
                .min_by_key(|d| match d.rule {
                    Rule::InvalidId => 0,
                    Rule::MergeConflict | Rule::ParseError => 1,
                    _ => 2,
                });
            Declared {
                file: file.clone(),
                span: found.map_or_else(Span::file_start, |d| d.span),
                rule: found.map(|d| d.rule),
                reason: found.map(|d| d.message.clone()),
                help: found.and_then(|d| d.help.clone()),
            }
        });
        let suggestion = match declared {
            Some(_) => None,
            None => crate::suggest::help(id, self.items.iter().map(|i| i.id.as_str())),
        };
        UnknownItem {
            id: id.to_string(),
            declared,
            suggestion,
        }
    }

    /// The name of an item's kind.
    pub fn kind_name(&self, item: &Item) -> &str {
        &self.config.kinds[item.kind].name
    }

    /// The text of the config file, when `path` names it.
    pub fn config_text_of(&self, path: &str) -> Option<&str> {
        (Some(path) == self.config_file.as_deref())
            .then_some(self.config_text.as_deref())
            .flatten()
    }

    /// The ids of an item's ancestors, nearest first.
    pub fn ancestors(&self, item: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut cur = item;
        while let Some(&p) = self.items[cur]
            .parent
            .as_ref()
            .and_then(|p| self.by_id.get(&p.id))
        {
            if p == item || out.contains(&p) {
                break;
            }
            out.push(p);
            cur = p;
        }
        out
    }

    /// Every descendant of an item, depth first.
    pub fn descendants(&self, item: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut todo: Vec<usize> = self.children[item].iter().rev().copied().collect();
        while let Some(c) = todo.pop() {
            if c == item || !seen.insert(c) {
                continue;
            }
            out.push(c);
            todo.extend(self.children[c].iter().rev());
        }
        out
    }
}
