//! `cairn site`: the plan as a static website for everyone who never opens the repository.
//!
//! The pages are renderers of the same engine: the roadmap, backlog, sprint, alignment, metrics
//! and forecast pages render the contexts `cairn report` builds ([`crate::report::context`]);
//! item, document, board and graph pages add what only the site shows. [`build`] returns every
//! file of the site as data; writing them is the caller's business.

pub mod layout;
pub mod links;
pub mod markdown;
pub mod pages;
pub mod paths;
pub mod search;
pub mod template;

use crate::plan::Plan;
use crate::report::{self, Report, ReportOptions};
use crate::source::Source;
use links::{Repo, Resolver};
use paths::{encode, root_of, Paths};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::HashMap;
pub use template::{SiteError, Templates};

/// The commit a site was built from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Revision {
    /// Full commit id.
    pub commit: String,
    /// The first 12 characters.
    pub short: String,
    /// Commit date, `YYYY-MM-DD`.
    pub date: String,
    /// Commit time, RFC 3339 in UTC.
    pub time: String,
}

/// What the site needs besides the plan.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The site's title (`--title`, else `site.title`, else the plan README's heading, else the
    /// folder's name: see [`title`]).
    pub title: String,
    /// The address the site is published at (`--base-url`, else `site.base_url`).
    pub base_url: Option<String>,
    /// The commit the plan was read from or sits on, when it is in git.
    pub revision: Option<Revision>,
    /// The repository's web interface (`site.repo_url`).
    pub repo: Option<Repo>,
    /// Everything the reports need: today, the source's name, the history.
    pub report: ReportOptions,
}

/// One file of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// Path inside the site, `/`-separated.
    pub path: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// The site's title when none is given: the first heading of the plan folder's `README.md`,
/// else `fallback` (the root folder's name).
pub fn title(plan: &Plan, source: &dyn Source, fallback: &str) -> String {
    if let Some(t) = &plan.config.site.title {
        return t.clone();
    }
    let readme = match plan.config.plan_dir.as_str() {
        "." | "" => "README.md".to_string(),
        dir => format!("{dir}/README.md"),
    };
    source
        .read(&readme)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .filter(|_| {
            plan.files
                .iter()
                .any(|f| f.path == readme && f.item.is_none())
        })
        .and_then(|text| pages::first_heading(&text))
        .unwrap_or_else(|| fallback.to_string())
}

/// The pages in the navigation, in order: (key, label, page).
const NAV: [(&str, &str, &str); 8] = [
    ("roadmap", "Roadmap", "index.html"),
    ("board", "Board", "board.html"),
    ("backlog", "Backlog", "backlog.html"),
    ("sprint", "Sprints", ""),
    ("alignment", "Alignment", "alignment.html"),
    ("metrics", "Metrics", "metrics.html"),
    ("forecast", "Forecast", "forecast.html"),
    ("graph", "Graph", "graph.html"),
];

/// Where [`build`] puts each file as soon as it is made (pages are made on every core, so the
/// sink is called from several threads): written out at once, a large site need not fit in memory.
pub type Sink<'a> = dyn Fn(File) -> Result<(), SiteError> + Sync + 'a;

/// What [`build`] made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Built {
    /// HTML pages.
    pub pages: usize,
    /// Files in all, pages included.
    pub files: usize,
}

/// Builds every file of the site and hands each to `sink`.
pub fn build(
    plan: &Plan,
    source: &dyn Source,
    options: &Options,
    templates: &Templates,
    sink: &Sink,
) -> Result<Built, SiteError> {
    let counts = std::sync::atomic::AtomicUsize::new(0);
    let pages = std::sync::atomic::AtomicUsize::new(0);
    let sink = |f: File| -> Result<(), SiteError> {
        use std::sync::atomic::Ordering::Relaxed;
        counts.fetch_add(1, Relaxed);
        if f.path.ends_with(".html") {
            pages.fetch_add(1, Relaxed);
        }
        sink(f)
    };
    let paths = Paths::of(plan);
    let resolver = Resolver {
        plan,
        paths: &paths,
        source,
        repo: options.repo.as_ref(),
    };
    let ctx = |r: &Report| report::context(plan, r, &options.report).map_err(SiteError::from);
    let (roadmap, graph) = rayon::join(|| ctx(&Report::Roadmap), || layout::layout(plan));
    let roadmap = roadmap?;
    let shared = pages::Shared::new(plan, &paths, &roadmap, options.repo.as_ref());
    let current =
        crate::report::common::current_sprint(plan, &options.report.today).map(|s| s.name.clone());
    let sprint_page = current.as_ref().and_then(|c| paths.sprints.get(c)).cloned();

    // Everything a page's frame shows: title, navigation, revision, sprints. The same for
    // every page at one depth with one navigation entry current, so made once for each.
    let frame = |root: &str, key: &str| -> minijinja::Value {
        let nav: Vec<Value> = NAV
            .iter()
            .filter_map(|&(k, label, target)| {
                let target = if k == "sprint" {
                    sprint_page.clone()?
                } else {
                    target.to_string()
                };
                Some(json!({
                    "key": k,
                    "label": label,
                    "href": format!("{root}{}", encode(&target)),
                    "current": k == key,
                }))
            })
            .collect();
        let sprints: Vec<Value> = plan
            .config
            .sprints
            .iter()
            .map(|s| {
                json!({
                    "name": s.name,
                    "start": s.start,
                    "end": s.end,
                    "href": format!("{root}{}", encode(&paths.sprints[&s.name])),
                    "current": current.as_deref() == Some(s.name.as_str()),
                })
            })
            .collect();
        let docs: Vec<Value> = plan
            .files
            .iter()
            .filter(|f| f.item.is_none())
            .filter_map(|f| paths.files.get(&f.path).map(|p| (f, p)))
            .map(|(f, p)| {
                let name = p.trim_start_matches("docs/").trim_end_matches(".html");
                json!({ "file": f.path, "name": name, "page": p, "href": format!("{root}{}", encode(p)) })
            })
            .collect();
        minijinja::Value::from(minijinja::value::Serde(json!({
            "title": options.title,
            "docs": docs,
            "root": root,
            "key": key,
            "nav": nav,
            "sprints": sprints,
            "revision": options.revision,
            "source": options.report.source,
            "today": options.report.today,
            "method": plan.config.method.as_str(),
            "repo_url": options.repo.as_ref().map(|r| r.url.clone()),
            "version": env!("CARGO_PKG_VERSION"),
        })))
    };
    let frames: std::sync::Mutex<HashMap<(String, String), minijinja::Value>> = Default::default();
    let site = |page: &str, key: &str| -> minijinja::Value {
        let root = root_of(page);
        let base = {
            let mut frames = frames.lock().unwrap_or_else(|e| e.into_inner());
            frames
                .entry((root.clone(), key.to_string()))
                .or_insert_with(|| frame(&root, key))
                .clone()
        };
        let canonical = options
            .base_url
            .as_ref()
            .map(|b| format!("{b}/{}", encode(page)));
        let mut entries: Vec<(minijinja::Value, minijinja::Value)> = base
            .try_iter()
            .into_iter()
            .flatten()
            .map(|k| {
                let v = base.get_item(&k).unwrap_or_default();
                (k, v)
            })
            .collect();
        entries.push(("page".into(), page.into()));
        entries.push(("canonical".into(), canonical.into()));
        minijinja::Value::from_pairs(entries)
    };
    // A page written by a report's template: every item id in it links to the item.
    let report_page =
        |template: &str, ctx: Value, page: &str, key: &str| -> Result<File, SiteError> {
            let root = root_of(page);
            let html = templates.render(template, &ctx, site(page, key))?;
            let html = template::link_ids(&html, &|id| {
                paths
                    .item(plan, id)
                    .map(|p| format!("{root}{}", encode(&p)))
            });
            Ok(File {
                path: page.to_string(),
                bytes: html.into_bytes(),
            })
        };

    /// The pages drawn from the whole plan, built side by side.
    enum Job<'s> {
        Report(&'static str, Report, &'static str, &'static str),
        Sprint(&'s str),
        Board,
        Graph,
    }
    let mut jobs = vec![
        Job::Report("backlog.html", Report::Backlog, "backlog.html", "backlog"),
        Job::Report(
            "alignment.html",
            Report::Alignment,
            "alignment.html",
            "alignment",
        ),
        Job::Report("metrics.html", Report::Metrics, "metrics.html", "metrics"),
        Job::Report(
            "forecast.html",
            Report::Forecast,
            "forecast.html",
            "forecast",
        ),
        Job::Board,
        Job::Graph,
    ];
    jobs.extend(plan.config.sprints.iter().map(|s| Job::Sprint(&s.name)));
    let run = |job: &Job| -> Result<File, SiteError> {
        match job {
            Job::Report(template, Report::Forecast, page, key) => match ctx(&Report::Forecast) {
                Ok(c) => report_page(template, c, page, key),
                Err(e) => report_page(
                    "unavailable.html",
                    json!({ "heading": "Forecast", "reason": e.to_string() }),
                    page,
                    key,
                ),
            },
            Job::Report(template, report, page, key) => {
                report_page(template, ctx(report)?, page, key)
            }
            Job::Sprint(name) => report_page(
                "sprint.html",
                ctx(&Report::Sprint(Some(name.to_string())))?,
                &paths.sprints[*name],
                "sprint",
            ),
            Job::Board => report_page(
                "board.html",
                json!({ "board": pages::board(&shared, "") }),
                "board.html",
                "board",
            ),
            Job::Graph => report_page(
                "graph.html",
                json!({ "graph": graph, "root_kind": crate::kinds::root(plan).name }),
                "graph.html",
                "graph",
            ),
        }
    };
    sink(report_page(
        "index.html",
        roadmap.clone(),
        "index.html",
        "roadmap",
    )?)?;

    // A page per item and document, in parallel; the items' words go to the search index.
    let read = |path: &str| -> String {
        let bytes = source.read(path).unwrap_or_default();
        let text = crate::parse::front_matter::decode(&bytes).unwrap_or_default();
        match crate::parse::front_matter::split(text) {
            Ok(split) => split.body.to_string(),
            Err(_) => String::new(),
        }
    };
    let root_kind = crate::kinds::root(plan).name;
    // Each file's search entry (items only) and the images it shows.
    type Made = (Option<search::Entry>, Vec<String>);
    let per_file = || -> Result<Vec<Made>, SiteError> {
        plan.files
            .par_iter()
            .filter_map(|f| paths.files.get(&f.path).map(|page| (f, page)))
            .map(|(f, page)| {
                let root = root_of(page);
                let body = read(&f.path);
                match f.item {
                    Some(i) => {
                        let it = &plan.items[i];
                        let (item, rendered) = pages::item(&shared, &resolver, i, &body, &root);
                        let lane = (plan.kind_name(it) == root_kind
                            && !plan.children[i].is_empty())
                        .then(|| graph.lane(&it.id))
                        .flatten();
                        let ctx = json!({ "item": item, "lane": lane });
                        let html = templates.render("item.html", &ctx, site(page, "item"))?;
                        let people = [&it.owner, &it.assignee]
                            .into_iter()
                            .flatten()
                            .cloned()
                            .collect();
                        let entry = search::Entry {
                            id: it.id.clone(),
                            title: it.title.clone(),
                            kind: plan.kind_name(it).to_string(),
                            status: it.status.clone(),
                            category: it.category.map(|c| c.as_str().to_string()),
                            tags: it.tags.clone(),
                            people,
                            url: page.clone(),
                            text: search::words(&rendered.text, search::TEXT_LIMIT),
                        };
                        sink(File {
                            path: page.clone(),
                            bytes: html.into_bytes(),
                        })?;
                        Ok((Some(entry), rendered.images))
                    }
                    None => {
                        let (doc, rendered) = pages::doc(&shared, &resolver, &f.path, &body, &root);
                        let html = templates.render(
                            "doc.html",
                            &json!({ "doc": doc }),
                            site(page, "doc"),
                        )?;
                        sink(File {
                            path: page.clone(),
                            bytes: html.into_bytes(),
                        })?;
                        Ok((None, rendered.images))
                    }
                }
            })
            .collect::<Result<_, SiteError>>()
    };
    let (whole, per_file) =
        rayon::join(|| jobs.par_iter().try_for_each(|j| sink(run(j)?)), per_file);
    whole?;
    let per_file = per_file?;
    let mut entries = Vec::new();
    let mut images = std::collections::BTreeSet::new();
    for (entry, imgs) in per_file {
        entries.extend(entry);
        images.extend(imgs);
    }
    entries.sort_by(|a, b| {
        let key = |e: &search::Entry| {
            plan.by_id
                .get(&e.id)
                .map(|&i| (plan.items[i].kind, plan.items[i].number))
        };
        key(a).cmp(&key(b))
    });
    for path in images {
        if let Ok(bytes) = source.read(&path) {
            sink(File {
                path: format!("files/{path}"),
                bytes,
            })?;
        }
    }
    let index = search::Index {
        version: 1,
        items: entries,
    };
    let json = serde_json::to_string(&index).expect("the index serializes");
    sink(File {
        path: "search-index.js".into(),
        bytes: search::Index::script(&json).into_bytes(),
    })?;
    sink(File {
        path: "search.json".into(),
        bytes: (json + "\n").into_bytes(),
    })?;
    sink(File {
        path: "assets/cairn.css".into(),
        bytes: templates.stylesheet().into_bytes(),
    })?;
    sink(File {
        path: "assets/cairn.js".into(),
        bytes: templates.asset("cairn.js").as_bytes().to_vec(),
    })?;
    // GitHub Pages: serve the files as they are, without Jekyll.
    sink(File {
        path: ".nojekyll".into(),
        bytes: Vec::new(),
    })?;
    Ok(Built {
        pages: pages.into_inner(),
        files: counts.into_inner(),
    })
}
