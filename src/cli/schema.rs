//! `cairn schema`: a JSON Schema of the front matter under the current config.

use super::context::{load_error, Context};
use super::{print, Exit};
use anyhow::Context as _;
use cairn::config::{self, Config};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only the front matter of this kind (`story`); by default every kind, chosen by id prefix.
    #[arg(long, value_name = "KIND", add = clap_complete::ArgValueCandidates::new(super::completions::kinds))]
    kind: Option<String>,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Exit> {
    let (root, _) = ctx.root()?;
    let path = root.join(config::FILE_NAME);
    let config = if path.is_file() {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        Config::parse(&text, config::FILE_NAME)
            .map_err(|e| load_error(cairn::LoadError::Config(e)))?
    } else {
        Config::default()
    };
    let schema = cairn::schema::schema(&config, args.kind.as_deref())?;
    print(&format!("{}\n", serde_json::to_string_pretty(&schema)?))?;
    Ok(Exit::Ok)
}
