//! `cairn site`: the plan as a static website, written to a folder.

use super::context::{Context, SourceArgs};
use super::{print, Exit};
use anyhow::{bail, Context as _};
use cairn::report::ReportOptions;
use cairn::site::{self, links::Repo, Options, Revision, Templates};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// The folder the site goes to when `-o` is not given, under the plan root (what GitHub's
/// `actions/upload-pages-artifact` uploads by default).
pub const DEFAULT_DIR: &str = "_site";

/// The file that marks a folder as a site cairn wrote, which it may replace.
const MARKER: &str = ".cairn-site";

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write the site to DIR, replacing the site cairn wrote there before [default: _site in the
    /// plan root].
    #[arg(long, short, value_name = "DIR")]
    output: Option<PathBuf>,
    /// Build the site from a commit, tag or branch, without checking it out.
    #[arg(long, value_name = "REV")]
    rev: Option<String>,
    /// The address the site will be published at (`https://acme.github.io/app`), for canonical
    /// links [default: site.base_url].
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// The site's title [default: site.title, else the plan README's first heading, else the
    /// folder's name].
    #[arg(long, value_name = "TEXT")]
    title: Option<String>,
    /// Today's date, `YYYY-MM-DD` (default: the system date): which sprint is current.
    #[arg(long, value_name = "DATE", hide = true)]
    today: Option<String>,
    /// Neither read nor write the history cache in `.git/cairn/`.
    #[arg(long)]
    no_cache: bool,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Exit> {
    let from = SourceArgs {
        staged: false,
        rev: args.rev.clone(),
    };
    let (root, source, plan) = ctx.load(&from)?;
    for end in [cairn::kinds::root, cairn::kinds::leaf] {
        if let Some(note) = end(&plan).note(None) {
            ctx.note(&note);
        }
    }
    let base_url = match args.base_url.as_deref() {
        Some(u) => Some(web_address(u)?),
        None => plan.config.site.base_url.clone(),
    };
    let today = args.today.clone().unwrap_or_else(super::sprint::today);
    if cairn::timefmt::parse_date(&today).is_none() {
        bail!("--today must be a date `YYYY-MM-DD`, found `{today}`");
    }
    let repo = cairn::git::Repo::discover(&root).ok();
    let revision = repo.as_ref().and_then(|r| revision(r, args.rev.as_deref()));
    let history = repo.as_ref().and_then(|r| {
        let walk = cairn::history::WalkOptions {
            rev: args.rev.clone(),
            cache: !args.no_cache,
            ..Default::default()
        };
        cairn::history::walk(r, &plan.config, &walk).ok()
    });
    let links = plan.config.site.repo_url.as_ref().map(|url| Repo {
        url: url.clone(),
        rev: revision
            .as_ref()
            .map(|r| r.commit.clone())
            .or_else(|| args.rev.clone())
            .unwrap_or_else(|| "HEAD".into()),
        branch: plan
            .config
            .site
            .branch
            .clone()
            .or_else(|| repo.as_ref().and_then(|r| branch(r, args.rev.as_deref())))
            .unwrap_or_else(|| "main".into()),
        prefix: repo.as_ref().map(|r| r.prefix.clone()).unwrap_or_default(),
    });
    let folder = root
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "Plan".into());
    let title = args
        .title
        .clone()
        .unwrap_or_else(|| site::title(&plan, source.as_ref(), &folder));
    let options = Options {
        title,
        base_url,
        revision,
        repo: links,
        report: ReportOptions {
            now: cairn::timefmt::parse_date(&today).map_or(0, |d| d + 86_399),
            today,
            source: args.rev.clone().unwrap_or_else(|| "work tree".into()),
            history,
            goal: None,
            forecast: None,
        },
    };
    let lookup = |dir: &str, name: &str| {
        source
            .read(&format!("{dir}/{name}"))
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
    };
    let templates = Templates::new(&lookup)?;
    let out = match &args.output {
        Some(dir) => ctx.cwd()?.join(dir),
        None => root.join(DEFAULT_DIR),
    };
    let built = write(&out, |sink| {
        site::build(&plan, source.as_ref(), &options, &templates, sink).map_err(Into::into)
    })?;
    let pages = built.pages;
    print(&format!(
        "wrote {pages} pages to {}; open {}\n",
        out.display(),
        out.join("index.html").display()
    ))?;
    Ok(Exit::Ok)
}

/// `url` as a web address without a trailing `/`, or an error that says what was expected.
fn web_address(url: &str) -> anyhow::Result<String> {
    let u = url.trim();
    let rest = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"));
    match rest {
        Some(r) if !r.is_empty() && !r.starts_with('/') && !u.contains(char::is_whitespace) => {
            Ok(u.trim_end_matches('/').to_string())
        }
        _ => bail!("--base-url must be an http:// or https:// address, found `{url}`"),
    }
}

/// The commit the site is built from: `rev`, else HEAD (none in a repository without commits).
fn revision(repo: &cairn::git::Repo, rev: Option<&str>) -> Option<Revision> {
    let commit = repo.commit(rev.unwrap_or("HEAD")).ok()?;
    let id = commit.id().to_string();
    let time = commit.time().seconds();
    Some(Revision {
        short: id[..12.min(id.len())].to_string(),
        commit: id,
        date: cairn::timefmt::date(time),
        time: cairn::timefmt::rfc3339(time),
    })
}

/// The branch being built: `rev` when it names a local branch, else the branch HEAD is on.
fn branch(repo: &cairn::git::Repo, rev: Option<&str>) -> Option<String> {
    match rev {
        Some(r) => repo
            .repo
            .find_branch(r, git2::BranchType::Local)
            .ok()
            .map(|_| r.to_string()),
        None => {
            let head = repo.repo.head().ok()?;
            head.is_branch()
                .then(|| head.shorthand().map(str::to_string))
                .flatten()
        }
    }
}

/// Writes the site to `dir` all at once: `build` hands each file to the sink, which writes it
/// into a fresh folder beside `dir`; that folder then takes `dir`'s place, so a reader (or a web
/// server) never sees half a site, and pages of removed items do not linger. A folder that is not
/// empty and was not written by `cairn site` is left alone, and so is `dir` when the build fails.
fn write<T>(dir: &Path, build: impl FnOnce(&site::Sink) -> anyhow::Result<T>) -> anyhow::Result<T> {
    if dir.exists() {
        if !dir.is_dir() {
            bail!("{} exists and is not a folder", dir.display());
        }
        let empty = std::fs::read_dir(dir)
            .with_context(|| format!("cannot read {}", dir.display()))?
            .next()
            .is_none();
        if !empty && !dir.join(MARKER).is_file() {
            bail!(
                "{} is not empty and holds no site written by cairn; choose another folder with -o, or empty this one",
                dir.display()
            );
        }
    }
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)
        .with_context(|| format!("cannot create {}", parent.display()))?;
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".into());
    let fresh = parent.join(format!(".{name}.cairn-new-{}", std::process::id()));
    let old = parent.join(format!(".{name}.cairn-old-{}", std::process::id()));
    remove_in_parallel(&fresh);
    let made = std::sync::Mutex::new(std::collections::HashSet::<PathBuf>::new());
    let sink = |f: site::File| -> Result<(), site::SiteError> {
        let path = fresh.join(&f.path);
        let io = |error: std::io::Error| site::SiteError::Write {
            path: path.display().to_string(),
            error,
        };
        if let Some(folder) = path.parent() {
            let known = made
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .contains(folder);
            if !known {
                std::fs::create_dir_all(folder).map_err(io)?;
                made.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(folder.to_path_buf());
            }
        }
        std::fs::write(&path, &f.bytes).map_err(io)
    };
    let result = std::fs::create_dir_all(&fresh)
        .with_context(|| format!("cannot create {}", fresh.display()))
        .and_then(|()| build(&sink))
        .and_then(|built| {
            std::fs::write(
                fresh.join(MARKER),
                "This folder was written by `cairn site`, which replaces it whole on every run.\n",
            )
            .context("cannot write the site's marker file")?;
            Ok(built)
        });
    let built = match result {
        Ok(b) => b,
        Err(e) => {
            remove_in_parallel(&fresh);
            return Err(e);
        }
    };
    if dir.exists() {
        std::fs::rename(dir, &old)
            .with_context(|| format!("cannot move the previous site {} aside", dir.display()))?;
    }
    if let Err(e) = std::fs::rename(&fresh, dir) {
        let _ = std::fs::rename(&old, dir);
        remove_in_parallel(&fresh);
        return Err(e).with_context(|| format!("cannot put the site in {}", dir.display()));
    }
    remove_in_parallel(&old);
    Ok(built)
}

/// Removes the folder `dir` and everything in it, the files on every core: a site of 10,000
/// items is 10,000 files, and removing them one by one took a second.
fn remove_in_parallel(dir: &Path) {
    let mut files = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            match e.file_type() {
                Ok(t) if t.is_dir() => todo.push(e.path()),
                _ => files.push(e.path()),
            }
        }
    }
    files.par_iter().for_each(|f| {
        let _ = std::fs::remove_file(f);
    });
    let _ = std::fs::remove_dir_all(dir);
}
