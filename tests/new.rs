//! `cairn new` (SPEC §5): ids above every branch and the index, `--parent`, templates, `--set`,
//! and the path it prints, on real git repositories.

mod common;
use common::repo::{failed, item, repo};
use common::{git_in as git, ok, Output, Test};

// ---------------------------------------------------------------------------------------------
// Helpers

/// The path `new` printed (the whole of its stdout, one line).
fn printed(out: &Output) -> String {
    ok(out);
    assert!(out.stderr.is_empty(), "stderr: {}", out.stderr);
    let path = out.stdout.strip_suffix('\n').expect("ends with a newline");
    assert!(!path.contains('\n'), "more than the path: {:?}", out.stdout);
    path.to_string()
}

/// The plan's untracked and modified files, for "nothing was written" checks.
fn status(t: &Test) -> String {
    git(
        t.path(),
        &["status", "--porcelain", "--untracked-files=all"],
    )
}

// ---------------------------------------------------------------------------------------------
// cairn new

#[test]
fn new_prints_only_the_path_of_the_file_it_wrote() {
    let t = repo();
    let out = t.run(&["new", "story", "Export to CSV", "--parent", "G-1"]);
    assert_eq!(printed(&out), "plan/stories/S-2-export-to-csv.md");
    let text = t.read("plan/stories/S-2-export-to-csv.md");
    assert!(
        text.starts_with("---\nid: S-2\ntitle: Export to CSV\nstatus: draft\ngoal: G-1\n"),
        "{text}"
    );
    assert!(text.contains("\nAs a …, I want …, so that ….\n"), "{text}");
    assert!(
        text.contains("\n## Acceptance criteria\n- [ ] …\n"),
        "{text}"
    );
    // The plan is still clean.
    let check = t.check();
    assert_eq!(check.code, 0, "{}", check.stdout);
    assert_eq!(check.rules(), Vec::<String>::new());
}

#[test]
fn the_path_is_relative_to_the_current_folder() {
    let t = repo();
    let sub = t.root().join("plan/stories");
    let out = t.run_in(&sub, &["new", "story", "From here"]);
    assert_eq!(printed(&out), "S-2-from-here.md");
    // With -C, relative to where the shell is, so `$EDITOR "$(cairn -C … new …)"` works.
    let out = t.run_in(&sub, &["-C", "../..", "new", "story", "Elsewhere"]);
    assert_eq!(printed(&out), "S-3-elsewhere.md");
    let docs = t.root().join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    let out = t.run_in(&docs, &["new", "goal", "Grow"]);
    assert_eq!(printed(&out), "../plan/goals/G-2-grow.md");
}

#[test]
fn the_id_is_above_one_that_exists_only_on_another_branch() {
    let t = repo();
    let dir = t.path();
    git(dir, &["checkout", "-q", "-b", "feature"]);
    std::fs::write(
        dir.join("plan/stories/S-7-feature.md"),
        item("S-7", "title: Feature\nstatus: draft\ngoal: G-1\n"),
    )
    .unwrap();
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "S-7 on a branch"]);
    git(dir, &["checkout", "-q", "main"]);
    assert!(!dir.join("plan/stories/S-7-feature.md").exists());

    let out = t.run(&["new", "story", "Next"]);
    assert_eq!(printed(&out), "plan/stories/S-8-next.md");

    // A remote-tracking branch counts too.
    std::fs::write(
        dir.join("plan/stories/S-20-remote.md"),
        item("S-20", "title: Remote\nstatus: draft\ngoal: G-1\n"),
    )
    .unwrap();
    git(dir, &["add", "plan/stories/S-20-remote.md"]);
    let tree = git(dir, &["write-tree"]);
    let head = git(dir, &["rev-parse", "HEAD"]);
    let remote = git(
        dir,
        &[
            "commit-tree",
            tree.trim(),
            "-p",
            head.trim(),
            "-m",
            "remote",
        ],
    );
    git(
        dir,
        &["update-ref", "refs/remotes/origin/work", remote.trim()],
    );
    git(
        dir,
        &["rm", "-q", "--cached", "plan/stories/S-20-remote.md"],
    );
    std::fs::remove_file(dir.join("plan/stories/S-20-remote.md")).unwrap();

    let out = t.run(&["new", "story", "After the remote"]);
    assert_eq!(printed(&out), "plan/stories/S-21-after-the-remote.md");
}

#[test]
fn the_id_is_above_one_that_exists_only_in_the_index() {
    let t = repo();
    let dir = t.path();
    std::fs::write(
        dir.join("plan/stories/S-12-staged.md"),
        item("S-12", "title: Staged\nstatus: draft\ngoal: G-1\n"),
    )
    .unwrap();
    git(dir, &["add", "plan/stories/S-12-staged.md"]);
    std::fs::remove_file(dir.join("plan/stories/S-12-staged.md")).unwrap();

    let out = t.run(&["new", "story", "After the staged one"]);
    assert_eq!(printed(&out), "plan/stories/S-13-after-the-staged-one.md");
}

#[test]
fn outside_git_the_work_tree_decides() {
    let t = Test::new()
        .file("plan/G-4.md", item("G-4", "title: Four\nstatus: active\n"))
        .file(
            "plan/S-9.md",
            item("S-9", "title: Nine\nstatus: draft\ngoal: G-4\n"),
        );
    // Items of a kind live where they already are: here, straight under plan/.
    assert_eq!(
        printed(&t.run(&["new", "story", "Ten"])),
        "plan/S-10-ten.md"
    );
    assert_eq!(
        printed(&t.run(&["new", "goal", "Five"])),
        "plan/G-5-five.md"
    );
}

#[test]
fn items_go_where_most_items_of_their_kind_live() {
    let t = repo()
        .file(
            "plan/backlog/S-2-a.md",
            item("S-2", "title: A\nstatus: draft\ngoal: G-1\n"),
        )
        .file(
            "plan/backlog/S-3-b.md",
            item("S-3", "title: B\nstatus: draft\ngoal: G-1\n"),
        );
    assert_eq!(
        printed(&t.run(&["new", "story", "C"])),
        "plan/backlog/S-4-c.md"
    );
    // A kind with no items yet gets `plan/<kind>s/`.
    let t = Test::new().config(
        "kinds:\n  epic: { prefix: E, parent: goal, statuses: { open: todo, closed: done } }\n",
    );
    assert_eq!(
        printed(&t.run(&["new", "epic", "Big thing"])),
        "plan/epics/E-1-big-thing.md"
    );
    assert_eq!(
        printed(&t.run(&["new", "story", "First"])),
        "plan/stories/S-1-first.md"
    );
}

#[test]
fn parent_must_be_an_existing_item_of_the_parent_kind() {
    let t = repo();
    let before = status(&t);

    let out = t.run(&["new", "story", "X", "--parent", "G-2"]);
    failed(&out);
    assert!(
        out.stderr
            .contains("no goal `G-2` in the plan; did you mean `G-1` (Onboarding)?"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty());

    let out = t.run(&["new", "story", "X", "--parent", "S-1"]);
    failed(&out);
    assert!(
        out.stderr
            .contains("`S-1` is a story, but the parent of a story must be a goal"),
        "{}",
        out.stderr
    );

    let out = t.run(&["new", "goal", "X", "--parent", "G-1"]);
    failed(&out);
    assert!(
        out.stderr.contains("a goal has no parent kind"),
        "{}",
        out.stderr
    );

    let out = t.run(&["new", "stroy", "X"]);
    failed(&out);
    assert!(
        out.stderr.contains("unknown kind `stroy`") && out.stderr.contains("did you mean `story`?"),
        "{}",
        out.stderr
    );

    // `--set goal=…` is validated like `--parent`.
    let out = t.run(&["new", "story", "X", "--set", "goal=G-404"]);
    failed(&out);
    assert!(out.stderr.contains("no goal `G-404`"), "{}", out.stderr);

    assert_eq!(status(&t), before, "a failed `new` wrote something");
}

#[test]
fn without_a_parent_the_parent_line_is_a_comment() {
    let t = repo();
    let path = printed(&t.run(&["new", "story", "Loose"]));
    let text = t.read(&path);
    assert!(text.contains("\n# goal:\n"), "{text}");
    // The only finding is the expected one: a story without a goal.
    let check = t.check();
    assert_eq!(check.code, 0, "{}", check.stdout);
    assert_eq!(check.rules(), ["orphan-story"]);
}

#[test]
fn set_writes_extra_fields() {
    let t = repo();
    let out = t.run(&[
        "new",
        "story",
        "Fields",
        "--parent",
        "G-1",
        "--set",
        "estimate=3",
        "--set",
        "tags=[csv, export]",
        "--set",
        "owner=Priya: PO",
        "--set",
        "status=ready",
        "--set",
        "rice.effort=0.5",
    ]);
    let text = t.read(&printed(&out));
    for line in [
        "\nstatus: ready\n",
        "\nestimate: 3\n",
        "\ntags: [csv, export]\n",
        "\nowner: \"Priya: PO\"\n",
        "\nrice: { effort: 0.5 }\n",
    ] {
        assert!(text.contains(line), "missing {line:?} in:\n{text}");
    }
    // The template's commented hints for those fields are gone.
    assert!(
        !text.contains("# estimate:") && !text.contains("# rice:"),
        "{text}"
    );
    let shown = t.run(&["show", "S-2", "--format", "json"]).json();
    assert_eq!(shown["estimate"], 3.0);
    assert_eq!(shown["status"], "ready");
    assert_eq!(t.check().rules(), Vec::<String>::new());

    failed(&t.run(&["new", "story", "X", "--set", "id=S-99"]));
    failed(&t.run(&["new", "story", "X", "--set", "novalue"]));
}

#[test]
fn titles_that_need_quoting_are_quoted() {
    let t = repo();
    let path = printed(&t.run(&["new", "story", "Export: CSV #1", "--parent", "G-1"]));
    assert_eq!(path, "plan/stories/S-2-export-csv-1.md");
    let shown = t.run(&["show", "S-2", "--format", "json"]).json();
    assert_eq!(shown["title"], "Export: CSV #1");
    failed(&t.run(&["new", "story", "   "]));
}

#[test]
fn a_template_under_dot_cairn_overrides_the_built_in_one() {
    let t = repo().file(
        ".cairn/templates/items/story.md",
        "---\nid: {{id}}\ntitle: {{title}}\nstatus: {{status}}\n{{parent_field}}: {{parent}}\nestimate: 1\n---\nOur own {{kind}} template for \"{{title}}\".\n",
    );
    let path = printed(&t.run(&["new", "story", "Custom", "--parent", "G-1"]));
    assert_eq!(
        t.read(&path),
        "---\nid: S-2\ntitle: Custom\nstatus: draft\ngoal: G-1\nestimate: 1\n---\nOur own story template for \"Custom\".\n"
    );
    // Goals still use the built-in template.
    let path = printed(&t.run(&["new", "goal", "Built in"]));
    assert!(t.read(&path).contains("\n## Why now\n"));
}

#[test]
fn a_broken_template_is_refused() {
    let t = repo().file(
        ".cairn/templates/items/story.md",
        "---\ntitle: {{title}}\nstatus: [unclosed\n---\n",
    );
    let before = status(&t);
    let out = t.run(&["new", "story", "X"]);
    failed(&out);
    assert!(
        out.stderr.contains(".cairn/templates/items/story.md"),
        "{}",
        out.stderr
    );
    assert_eq!(status(&t), before);
}

#[test]
fn a_custom_kind_gets_the_generic_template() {
    let t = Test::new().config(
        "kinds:\n  epic: { prefix: E, parent: goal, statuses: { open: todo, closed: done } }\n  story: { parent: epic }\n",
    );
    let goal = printed(&t.run(&["new", "goal", "Grow"]));
    assert_eq!(goal, "plan/goals/G-1-grow.md");
    let epic = printed(&t.run(&["new", "epic", "Sharing", "--parent", "G-1"]));
    let text = t.read(&epic);
    assert!(
        text.starts_with("---\nid: E-1\ntitle: Sharing\nstatus: open\ngoal: G-1\n"),
        "{text}"
    );
    assert!(text.contains("What this epic is about"), "{text}");
    // The story template follows the configured parent kind.
    let story = printed(&t.run(&["new", "story", "Share a link", "--parent", "E-1"]));
    assert!(t.read(&story).contains("\nepic: E-1\n"));
    let check = t.check();
    assert_eq!(check.code, 0, "{}", check.stdout);
}

#[test]
fn new_never_overwrites_a_file() {
    // A document (no front matter) already holds the name the new story would get.
    let t = repo().file("plan/stories/S-2-export.md", "Notes about exports.\n");
    let out = t.run(&["new", "story", "Export"]);
    failed(&out);
    assert!(out.stderr.contains("already exists"), "{}", out.stderr);
    assert_eq!(
        t.read("plan/stories/S-2-export.md"),
        "Notes about exports.\n"
    );
    let leftovers: Vec<_> = std::fs::read_dir(t.root().join("plan/stories"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_title_with_a_line_break_is_refused_and_nothing_is_written() {
    let t = repo();
    let before = status(&t);
    let out = t.run(&["new", "story", "Export\n---\nid: S-99"]);
    failed(&out);
    assert!(
        out.stderr
            .contains("the title must be one line of text (it holds a line break)"),
        "{}",
        out.stderr
    );
    assert_eq!(status(&t), before, "nothing written");
}
