//! Reading files: front matter, YAML with spans, Markdown bodies, and items built from them.

mod fast_yaml;
pub mod front_matter;
pub mod item;
pub mod markdown;
pub mod yaml;
