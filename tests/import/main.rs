//! `cairn import`: Backlog.md folders, GitHub issue exports and Jira CSV exports turned into plan
//! items, re-runnable without duplicates, written all or nothing.

#[path = "../common/mod.rs"]
mod common;

mod fields;
