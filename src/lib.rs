//! cairn: a Git-native, plain-text planner.
//!
//! The engine takes files from a [`source::Source`] (the work tree, later the git index or a
//! commit), builds a [`plan::Plan`], and returns data: findings, item lists, details. Renderers in
//! [`render`] turn that data into text. Nothing here touches the terminal or the process.

pub mod check;
pub mod config;
pub mod diagnostic;
pub mod diff;
pub mod edit;
pub mod git;
pub mod graph;
pub mod history;
pub mod hook;
pub mod ids;
pub mod import;
pub mod init;
pub mod kinds;
pub mod live;
pub mod lsp;
pub mod mcp;
pub mod model;
pub mod new;
pub mod parse;
pub mod plan;
pub mod priority;
pub mod query;
pub mod render;
pub mod renumber;
pub mod report;
pub mod root;
pub mod rules;
pub mod schema;
pub mod site;
pub mod source;
pub mod suggest;
pub mod timefmt;
pub mod write;

pub use check::{check, CheckReport};
pub use plan::{LoadError, Plan};
