//! Reading files: front matter, YAML with spans, Markdown bodies, and items built from them.

pub mod anchor;
mod anchor_table;
#[cfg(test)]
mod differential;
mod fast_markdown;
mod fast_yaml;
mod fields;
pub mod front_matter;
pub mod item;
pub mod markdown;
mod scalar;
#[cfg(test)]
mod slugger_fixtures;
pub mod yaml;
#[cfg(test)]
mod yaml_regressions;
#[cfg(test)]
mod yaml_suite;
