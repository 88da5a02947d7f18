//! What `cairn site` writes and where: every page of docs/example, the frame of each page,
//! self-containment and accessibility basics, the output folder, --rev, --title, --base-url,
//! the `site:` config and template overrides.

use crate::check::well_formed;
use crate::common::{git_in, Test};
use crate::plans::{built, example, example_in_git, page, site};
use std::path::Path;

/// Every `.html` file under `dir`, relative, sorted.
pub fn html_pages(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else if p.extension().is_some_and(|x| x == "html") {
                let rel = p
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push(rel);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn the_example_has_every_page_type_and_a_page_per_item_and_document() {
    let t = example();
    let dir = built(&t);
    let pages = html_pages(&dir);
    for p in [
        "index.html",
        "board.html",
        "backlog.html",
        "alignment.html",
        "metrics.html",
        "forecast.html",
        "graph.html",
        "sprints/2027-S1.html",
        "sprints/2027-S4.html",
        "items/G-1.html",
        "items/S-30.html",
        "docs/README.html",
    ] {
        assert!(pages.contains(&p.to_string()), "no {p} in {pages:?}");
    }
    assert_eq!(pages.iter().filter(|p| p.starts_with("items/")).count(), 36);
    for f in [
        "assets/cairn.css",
        "assets/cairn.js",
        "search.json",
        "search-index.js",
        ".nojekyll",
    ] {
        assert!(dir.join(f).is_file(), "no {f}");
    }
    let out = site(&t, &[]);
    assert_eq!(
        out.stdout.lines().next().unwrap().split(' ').nth(1),
        Some("48")
    );
}

#[test]
fn the_index_names_the_plan_and_the_commit_it_was_built_from() {
    let t = example_in_git();
    let commit = git_in(t.path(), &["rev-parse", "HEAD"]).trim().to_string();
    let index = page(&built(&t), "index.html");
    assert!(index.contains("<a class=\"brand\" href=\"index.html\">Tasklane plan, Q1 2027</a>"));
    assert!(
        index.contains(&format!(
            "<span class=\"commit\" title=\"{commit}\">{}</span> of <time datetime=\"2027-01-04T10:00:00Z\">2027-01-04</time> (work tree)",
            &commit[..12]
        )),
        "{index}"
    );
    // The roadmap itself: goals by horizon, each linking to its page.
    for text in [
        ">Now <span",
        ">Next <span",
        ">Later <span",
        "<a class=\"id\" href=\"items/G-1.html\">G-1</a>",
    ] {
        assert!(index.contains(text), "index lacks {text}");
    }
}

#[test]
fn every_page_is_well_formed_self_contained_and_accessible() {
    let t = example();
    let dir = built(&t);
    for rel in html_pages(&dir) {
        let html = page(&dir, &rel);
        if let Err(e) = well_formed(&html) {
            panic!("{rel} is not well formed: {e}");
        }
        assert!(
            html.starts_with("<!doctype html>\n<html lang=\"en\">"),
            "{rel}: doctype, lang"
        );
        assert!(html
            .contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"));
        for landmark in [
            "<header class=\"site-bar\">",
            "<nav class=\"site-nav\" aria-label=\"Site\">",
            "<main id=\"cairn.main\"",
            "<footer",
            "role=\"search\"",
        ] {
            assert!(html.contains(landmark), "{rel}: no {landmark}");
        }
        assert!(
            html.contains("<label class=\"sr-only\" for=\"cairn.q\">"),
            "{rel}: search label"
        );
        assert_eq!(html.matches("<h1").count(), 1, "{rel}: one h1");
        let mut last = 1;
        for (i, _) in html.match_indices("<h") {
            let Some(level) = html[i + 2..].chars().next().and_then(|c| c.to_digit(10)) else {
                continue;
            };
            assert!(level <= last + 1, "{rel}: h{level} after h{last}");
            last = level;
        }
        // Nothing from elsewhere: no script, style, image or frame off the site.
        let lower = html.to_ascii_lowercase();
        for bad in [
            "src=\"http",
            "src=\"//",
            "<link rel=\"stylesheet\" href=\"http",
            "@import",
            "<iframe",
            "url(http",
        ] {
            assert!(!lower.contains(bad), "{rel} contains {bad}");
        }
        assert_eq!(
            lower.matches("<script").count(),
            1,
            "{rel}: one script, cairn's own"
        );
        // Every form control has a label.
        for (i, _) in html.match_indices("<select id=\"") {
            let id = html[i + 12..].split('"').next().unwrap();
            assert!(
                html.contains(&format!("<label for=\"{id}\">")),
                "{rel}: no label for {id}"
            );
        }
    }
    let css = std::fs::read_to_string(dir.join("assets/cairn.css")).unwrap();
    for part in [
        "@media print",
        "@media (prefers-color-scheme: dark)",
        "@media (max-width: 640px)",
        ":focus-visible",
    ] {
        assert!(css.contains(part), "the stylesheet lacks {part}");
    }
    assert!(!css.contains("url("), "the stylesheet loads nothing");
}

#[test]
fn a_folder_that_is_not_a_cairn_site_is_left_alone() {
    let t = example().file("out/notes.txt", "mine");
    let out = site(&t, &["-o", "out"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("is not empty and holds no site written by cairn"),
        "{}",
        out.stderr
    );
    assert_eq!(t.read("out/notes.txt"), "mine");
    // Not the plan's own folder either.
    let out = site(&t, &["-o", "."]);
    assert_eq!(out.code, 2);
    assert!(t.path().join("cairn.yaml").is_file());
}

#[test]
fn a_new_build_replaces_the_old_one_whole() {
    let t = example();
    let dir = built(&t);
    assert!(dir.join("items/S-30.html").is_file());
    std::fs::remove_file(t.path().join("plan/stories/S-30-weekly-status-digest.md")).unwrap();
    let dir = built(&t);
    assert!(
        !dir.join("items/S-30.html").exists(),
        "the page of a removed item lingers"
    );
    assert!(dir.join("items/S-29.html").is_file());
    let leftovers: Vec<_> = std::fs::read_dir(t.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("cairn-new") || n.contains("cairn-old"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn output_goes_where_o_says_relative_to_the_current_folder() {
    let t = example().file("sub/.keep", "");
    let out = t.run_in(
        &t.path().join("sub"),
        &["site", "-o", "public", "--today", "2027-01-20"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(t.path().join("sub/public/index.html").is_file());
    assert!(out.stdout.contains("public"), "{}", out.stdout);
}

#[test]
fn rev_builds_the_site_of_a_commit() {
    let t = example_in_git();
    let goal = t.path().join("plan/goals/G-1-ai-task-automation.md");
    let text = std::fs::read_to_string(&goal).unwrap();
    std::fs::write(
        &goal,
        text.replace("title: AI-powered task automation", "title: Renamed goal"),
    )
    .unwrap();
    let dir = built(&t);
    assert!(page(&dir, "items/G-1.html").contains("Renamed goal"));
    let out = site(&t, &["--rev", "HEAD"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let g1 = page(&t.path().join("_site"), "items/G-1.html");
    assert!(g1.contains("AI-powered task automation") && !g1.contains("Renamed goal"));
    assert!(!g1.contains("(work tree)"));
    let out = site(&t, &["--rev", "nope"]);
    assert_eq!(out.code, 2);
}

#[test]
fn the_title_comes_from_the_flag_the_config_the_readme_or_the_folder() {
    let t = example();
    assert!(
        page(&built(&t), "index.html").contains("<title>Roadmap · Tasklane plan, Q1 2027</title>")
    );
    let out = site(&t, &["--title", "Acme & Co roadmap"]);
    assert_eq!(out.code, 0);
    assert!(page(&t.path().join("_site"), "index.html")
        .contains("<title>Roadmap · Acme &amp; Co roadmap</title>"));
    let t = Test::new().config("site:\n  title: From config\n").item(
        "G-1",
        "title: G\nstatus: active\n",
        "",
    );
    assert!(page(&built(&t), "board.html").contains("<title>Board · From config</title>"));
    let t = Test::new().item("G-1", "title: G\nstatus: active\n", "");
    let folder = t.path().file_name().unwrap().to_string_lossy().into_owned();
    assert!(page(&built(&t), "index.html").contains(&format!("<title>Roadmap · {folder}</title>")));
}

#[test]
fn base_url_gives_canonical_links_and_must_be_a_web_address() {
    let t = example();
    let out = site(&t, &["--base-url", "https://acme.github.io/tasklane/"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let dir = t.path().join("_site");
    assert!(page(&dir, "items/S-5.html").contains(
        "<link rel=\"canonical\" href=\"https://acme.github.io/tasklane/items/S-5.html\">"
    ));
    let out = site(&t, &["--base-url", "acme.github.io"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("--base-url must be an http:// or https:// address"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_bad_site_config_is_located() {
    let t = Test::new().config("site:\n  repo_url: git@github.com:acme/app.git\n");
    let out = site(&t, &[]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("cairn.yaml:2:13: `site.repo_url` must be an http:// or https:// address"),
        "{}",
        out.stderr
    );
    let t = Test::new().config("site:\n  repo: https://x.org/a\n");
    let out = site(&t, &[]);
    assert!(
        out.stderr.contains("unknown key `repo`") && out.stderr.contains("repo_url"),
        "{}",
        out.stderr
    );
}

#[test]
fn templates_are_overridden_one_file_at_a_time() {
    let t = example()
        .file(".cairn/templates/site/item.html", "{% extends \"base.html\" %}{% block heading %}Custom {{ item.id }}{% endblock %}")
        .file(".cairn/templates/reports/roadmap.html", "{% extends \"base.html\" %}{% block heading %}Our roadmap{% endblock %}{% block body %}{{ goal_count }} goals{% endblock %}")
        .file(".cairn/templates/site/site.css", ".brand { color: red; }");
    let dir = built(&t);
    assert!(page(&dir, "items/S-5.html").contains("<h1>Custom S-5</h1>"));
    let index = page(&dir, "index.html");
    assert!(
        index.contains("<h1>Our roadmap</h1>") && index.contains("6 goals"),
        "{index}"
    );
    // The frame is the site's: a report override renders inside it.
    assert!(index.contains("role=\"search\""));
    assert!(
        page(&dir, "board.html").contains("class=\"board\""),
        "other pages keep the built-in"
    );
    let css = std::fs::read_to_string(dir.join("assets/cairn.css")).unwrap();
    assert!(css.contains(".brand { color: red; }") && css.contains("--ink"));
}

#[test]
fn a_template_error_names_the_template_and_line_and_exits_2() {
    let t = example().file(
        ".cairn/templates/site/board.html",
        "{% extends \"base.html\" %}\n{% block body %}{{ nope( }}{% endblock %}",
    );
    let out = site(&t, &[]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("template site/board.html: line 2"),
        "{}",
        out.stderr
    );
    assert!(
        !t.path().join("_site").exists(),
        "nothing is written when the build fails"
    );
}

#[test]
fn the_search_index_has_every_item_with_its_words() {
    let t = example();
    let dir = built(&t);
    let doc: serde_json::Value = serde_json::from_str(&page(&dir, "search.json")).unwrap();
    assert_eq!(doc["version"], 1);
    let items = doc["items"].as_array().unwrap();
    assert_eq!(items.len(), 36);
    let s5 = items.iter().find(|i| i["id"] == "S-5").unwrap();
    assert_eq!(s5["title"], "Automate recurring tasks");
    assert_eq!(s5["url"], "items/S-5.html");
    assert_eq!(s5["kind"], "story");
    assert_eq!(s5["people"], serde_json::json!(["priya", "omar"]));
    assert!(s5["text"].as_str().unwrap().contains("recur"), "{s5}");
    let script = page(&dir, "search-index.js");
    assert!(script.starts_with("window.cairnSearchIndex = {\"version\":1"));
}

#[test]
fn an_empty_plan_still_builds_every_page() {
    let t = Test::new();
    let dir = built(&t);
    for p in [
        "index.html",
        "board.html",
        "backlog.html",
        "graph.html",
        "metrics.html",
        "forecast.html",
        "alignment.html",
    ] {
        let html = page(&dir, p);
        well_formed(&html).unwrap_or_else(|e| panic!("{p}: {e}"));
    }
}
