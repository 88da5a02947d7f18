//! Bodies as HTML: GitHub's Markdown, raw HTML shown and never run, links between plan files
//! (anchors included), links to other files of the repository, images.

use crate::common::{git_in, Test};
use crate::plans::{built, page};

fn plan_with(body: &str) -> Test {
    Test::new()
        .file(
            "plan/goals/G-1.md",
            "---\nid: G-1\ntitle: Goal\nstatus: active\n---\n## Why now\n\nText.\n",
        )
        .file(
            "plan/notes/meeting.md",
            "# Kick-off\n\n## Decisions\n\nNone.\n",
        )
        .file("plan/pic.png", b"\x89PNG\r\n\x1a\nfake".as_slice())
        .file("docs/guide.md", "# Guide\n")
        .file(
            "plan/stories/S-1.md",
            format!("---\nid: S-1\ntitle: Story\nstatus: draft\ngoal: G-1\n---\n{body}"),
        )
}

fn story_page(t: &Test) -> String {
    page(&built(t), "items/S-1.html")
}

#[test]
fn raw_html_in_a_body_is_shown_never_run() {
    let html = story_page(&plan_with(
        "Hi <img src=x onerror=alert(1)> there.\n\n<script>alert(2)</script>\n\n<div onclick=\"x()\">block</div>\n",
    ));
    assert!(!html.contains("<img src=x"), "{html}");
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(!html.contains("<div onclick"), "{html}");
    assert!(
        html.contains("Hi &lt;img src=x onerror=alert(1)&gt; there."),
        "{html}"
    );
    assert!(
        html.contains("<pre class=\"raw-html\"><code>&lt;script&gt;alert(2)&lt;/script&gt;"),
        "{html}"
    );
}

#[test]
fn links_with_unsafe_schemes_are_text() {
    let html = story_page(&plan_with(
        "[a](javascript:alert(1)) [b](data:text/html,x) [c](https://example.com/x) [d](mailto:a@b.c)\n",
    ));
    assert!(!html.contains("javascript:"), "{html}");
    assert!(!html.contains("href=\"data:"), "{html}");
    assert!(html.contains("<span class=\"unlinked\">a</span>"));
    assert!(html.contains("<a href=\"https://example.com/x\">c</a>"));
    assert!(html.contains("<a href=\"mailto:a@b.c\">d</a>"));
}

#[test]
fn github_tables_task_lists_and_strikethrough() {
    let html = story_page(&plan_with(
        "| a | b |\n|---|:-:|\n| 1 | 2 |\n\n- [x] done\n- [ ] open\n\n~~gone~~ and ~one~\n",
    ));
    assert!(html.contains("<div class=\"table-wrap\"><table>"), "{html}");
    assert!(
        html.contains("<th style=\"text-align: center\">b</th>"),
        "{html}"
    );
    assert!(
        html.contains("<input disabled=\"\" type=\"checkbox\" checked=\"\"/>\ndone"),
        "{html}"
    );
    assert!(
        html.contains("<input disabled=\"\" type=\"checkbox\"/>\nopen"),
        "{html}"
    );
    assert!(
        html.contains("<del>gone</del>") && html.contains("<del>one</del>"),
        "{html}"
    );
}

#[test]
fn links_between_plan_files_become_links_between_pages_with_their_anchors() {
    let t = plan_with(
        "[goal](../goals/G-1.md#why-now) [bad anchor](../goals/G-1.md#nope) [notes](../notes/meeting.md#decisions) [self](#acceptance) [gone](../goals/G-9.md)\n\n## Acceptance\n",
    );
    let dir = built(&t);
    let html = page(&dir, "items/S-1.html");
    assert!(
        html.contains("<a href=\"../items/G-1.html#why-now\">goal</a>"),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"../items/G-1.html\">bad anchor</a>"),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"../docs/notes/meeting.html#decisions\">notes</a>"),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"#acceptance\">self</a>")
            && html.contains("<h2 id=\"acceptance\">"),
        "{html}"
    );
    assert!(
        html.contains("<span class=\"unlinked\">gone</span>"),
        "{html}"
    );
    // The anchors are the plan's own: the ones `cairn check` validates links against.
    assert!(page(&dir, "items/G-1.html").contains("<h2 id=\"why-now\">Why now</h2>"));
    let notes = page(&dir, "docs/notes/meeting.html");
    assert!(
        notes.contains("<h1>Kick-off</h1>")
            && notes.contains("<h2 id=\"decisions\">Decisions</h2>"),
        "{notes}"
    );
    assert_eq!(
        notes.matches("Kick-off</h").count(),
        1,
        "the title is not repeated in the body"
    );
}

#[test]
fn links_to_other_repository_files_are_text_without_repo_url() {
    let html = story_page(&plan_with(
        "[guide](../../docs/guide.md) [config](../../cairn.yaml)\n",
    ));
    assert!(
        html.contains("<span class=\"unlinked\">guide</span>"),
        "{html}"
    );
    assert!(!html.contains("Edit this page"));
}

#[test]
fn links_to_other_repository_files_point_at_the_repository_with_repo_url() {
    let t = plan_with("[guide](../../docs/guide.md#setup) [missing](../../nope.md)\n")
        .config("site:\n  repo_url: https://github.com/acme/app/\n");
    git_in(t.path(), &["init", "-q"]);
    git_in(t.path(), &["add", "-A"]);
    git_in(t.path(), &["commit", "-q", "-m", "plan"]);
    let commit = git_in(t.path(), &["rev-parse", "HEAD"]).trim().to_string();
    let html = story_page(&t);
    assert!(
        html.contains(&format!(
            "<a href=\"https://github.com/acme/app/blob/{commit}/docs/guide.md#setup\">guide</a>"
        )),
        "{html}"
    );
    assert!(
        html.contains("<span class=\"unlinked\">missing</span>"),
        "{html}"
    );
    assert!(html.contains("<a class=\"edit-link\" href=\"https://github.com/acme/app/edit/main/plan/stories/S-1.md\">Edit this page</a>"), "{html}");
    assert!(html.contains(&format!("<a href=\"https://github.com/acme/app/blob/{commit}/plan/stories/S-1.md\">plan/stories/S-1.md</a>")));
}

#[test]
fn images_come_from_the_site_never_from_elsewhere() {
    let t = plan_with(
        "![a chart](../pic.png) ![remote](https://example.com/x.png) ![nothing](../none.png)\n",
    );
    let dir = built(&t);
    let html = page(&dir, "items/S-1.html");
    assert!(
        html.contains("<img src=\"../files/plan/pic.png\" alt=\"a chart\" />"),
        "{html}"
    );
    assert!(dir.join("files/plan/pic.png").is_file());
    assert!(!html.contains("<img src=\"https"), "{html}");
    assert!(html.contains("<a href=\"https://example.com/x.png\"><span class=\"image-link\">Image: </span>remote</a>"), "{html}");
    assert!(
        html.contains("<span class=\"unlinked\">nothing</span>"),
        "{html}"
    );
}

#[test]
fn body_headings_sit_under_the_page_heading() {
    let html = story_page(&plan_with("# Top\n\n### Deep\n"));
    assert!(
        html.contains("<h2 id=\"top\">Top</h2>") && html.contains("<h4 id=\"deep\">Deep</h4>"),
        "{html}"
    );
    assert_eq!(html.matches("<h1").count(), 1);
}
