//! cairn: a Git-native, plain-text planner.
//!
//! The engine takes files from a [`source::Source`] (the work tree, later the git index or a
//! commit), builds a [`plan::Plan`], and returns data: findings, item lists, details. Renderers in
//! [`render`] turn that data into text. Nothing here touches the terminal or the process.

pub mod check;
pub mod config;
pub mod diagnostic;
pub mod git;
pub mod init;
pub mod model;
pub mod parse;
pub mod plan;
pub mod query;
pub mod render;
pub mod root;
pub mod rules;
pub mod score;
pub mod source;
pub mod suggest;
pub mod write;

pub use check::{check, CheckReport};
pub use plan::{LoadError, Plan};
