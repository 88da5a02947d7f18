//! `cairn new` (ids above every branch, `--parent`, templates, `--set`, the path it prints) and
//! `cairn hook install|uninstall` with real `git commit`s (SPEC §5).

mod common;
use common::{git_cmd, git_in as git, ok, Output, Test};
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------------------------
// Helpers

/// `git commit` with the built cairn on PATH, so the hook can find it.
fn commit(dir: &Path, message: &str) -> std::process::Output {
    commit_with(dir, &["-m", message])
}

/// `git commit -q ARGS…` with the built cairn on PATH.
fn commit_with(dir: &Path, args: &[&str]) -> std::process::Output {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_cairn"));
    let path = std::env::join_paths(std::iter::once(bin.parent().unwrap().to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let args: Vec<&str> = ["commit", "-q"].iter().chain(args).copied().collect();
    git_cmd(dir, &args)
        .env("PATH", path)
        .output()
        .expect("run git commit")
}

/// Same isolation for cairn as for git: no global git config of the machine running the tests.
fn isolated(t: Test) -> Test {
    let home = t.root().display().to_string();
    t.env("HOME", &home).env("GIT_CONFIG_NOSYSTEM", "1")
}

fn item(id: &str, front_matter: &str) -> String {
    format!("---\nid: {id}\n{front_matter}---\n")
}

/// A committed plan on `main`: goal G-1 and story S-1 under `plan/goals` and `plan/stories`.
fn repo() -> Test {
    let t = isolated(Test::new())
        .file(
            "plan/goals/G-1-onboarding.md",
            item("G-1", "title: Onboarding\nstatus: active\n") + "## Why now\n",
        )
        .file(
            "plan/stories/S-1-templates.md",
            item("S-1", "title: Templates\nstatus: draft\ngoal: G-1\n"),
        );
    git(t.path(), &["init", "-q"]);
    git(t.path(), &["add", "-A"]);
    git(t.path(), &["commit", "-q", "-m", "plan"]);
    t
}

fn failed(out: &Output) {
    assert_eq!(
        out.code, 2,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
}

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
    let t = isolated(Test::new()).config(
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
    let t = isolated(Test::new()).config(
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

// ---------------------------------------------------------------------------------------------
// cairn hook

fn hooks(t: &Test) -> PathBuf {
    t.root().join(".git/hooks")
}

#[cfg(unix)]
fn executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o111 == 0o111
}

#[cfg(not(unix))]
fn executable(_: &Path) -> bool {
    true
}

fn write_hook(path: &Path, script: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, script).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

#[test]
fn hook_install_writes_an_executable_pre_commit_hook() {
    let t = repo();
    let out = t.run(&["hook", "install"]);
    ok(&out);
    assert!(
        out.stdout.contains("installed .git/hooks/pre-commit"),
        "{}",
        out.stdout
    );
    let hook = hooks(&t).join("pre-commit");
    let text = std::fs::read_to_string(&hook).unwrap();
    assert!(
        text.starts_with("#!/bin/sh\n# cairn-managed-hook\n"),
        "{text}"
    );
    assert!(text.contains("\nexec cairn check --staged\n"), "{text}");
    assert!(executable(&hook));
    // Installing again updates it in place.
    let again = t.run(&["hook", "install"]);
    ok(&again);
    assert!(again.stdout.contains("updated"), "{}", again.stdout);

    let out = t.run(&["hook", "uninstall"]);
    ok(&out);
    assert!(
        out.stdout.contains("removed .git/hooks/pre-commit"),
        "{}",
        out.stdout
    );
    assert!(!hook.exists());
    let out = t.run(&["hook", "uninstall"]);
    ok(&out);
    assert!(out.stdout.contains("no pre-commit hook"), "{}", out.stdout);
}

#[test]
fn the_hook_blocks_a_commit_with_a_broken_staged_story_and_allows_it_once_fixed() {
    let t = repo();
    ok(&t.run(&["hook", "install"]));
    let dir = t.path();
    std::fs::write(
        dir.join("plan/stories/S-2-broken.md"),
        item("S-2", "title: Broken\nstatus: in-progres\ngoal: G-1\n"),
    )
    .unwrap();
    git(dir, &["add", "-A"]);
    let out = commit(dir, "broken story");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "the commit went through");
    let said = format!("{stdout}{stderr}");
    assert!(said.contains("error[invalid-value]"), "{said}");
    assert!(said.contains("plan/stories/S-2-broken.md:4:9"), "{said}");
    assert!(said.contains("did you mean `in-progress`?"), "{said}");
    assert_eq!(git(dir, &["rev-list", "--count", "HEAD"]).trim(), "1");

    // Fixing only the work tree is not enough: the hook checks what is staged.
    std::fs::write(
        dir.join("plan/stories/S-2-broken.md"),
        item("S-2", "title: Broken\nstatus: in-progress\ngoal: G-1\n"),
    )
    .unwrap();
    assert!(!commit(dir, "still staged broken").status.success());

    git(dir, &["add", "-A"]);
    let out = commit(dir, "fixed story");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(git(dir, &["rev-list", "--count", "HEAD"]).trim(), "2");
}

#[test]
fn the_hook_checks_what_commit_all_and_commit_paths_would_record() {
    // `git commit -a` and `git commit PATH` stage into a temporary index and name it in
    // GIT_INDEX_FILE for the hook; the real index still holds the old, valid content.
    let t = repo();
    ok(&t.run(&["hook", "install"]));
    let dir = t.path();
    let story = dir.join("plan/stories/S-1-templates.md");
    std::fs::write(
        &story,
        item("S-1", "title: Templates\nstatus: in-progres\ngoal: G-1\n"),
    )
    .unwrap();
    for args in [
        &["-a", "-m", "all"][..],
        &["-m", "paths", "plan/stories/S-1-templates.md"][..],
    ] {
        let out = commit_with(dir, args);
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!out.status.success(), "git commit {args:?} went through");
        assert!(said.contains("error[invalid-value]"), "{said}");
        assert!(said.contains("plan/stories/S-1-templates.md:4:9"), "{said}");
    }
    assert_eq!(git(dir, &["rev-list", "--count", "HEAD"]).trim(), "1");
    std::fs::write(
        &story,
        item("S-1", "title: Templates\nstatus: in-progress\ngoal: G-1\n"),
    )
    .unwrap();
    let out = commit_with(dir, &["-a", "-m", "fixed"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_hook_fails_clearly_when_cairn_is_not_on_path() {
    let t = repo();
    ok(&t.run(&["hook", "install"]));
    // PATH without any folder holding a `cairn` (git and sh stay reachable).
    let path = std::env::join_paths(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
            .filter(|d| !d.join("cairn").exists()),
    )
    .unwrap();
    let out = git_cmd(t.path(), &["commit", "-q", "--allow-empty", "-m", "x"])
        .env("PATH", path)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cairn is not on PATH"), "{stderr}");
    assert!(stderr.contains(".git/hooks/pre-commit"), "{stderr}");
}

#[test]
fn the_hook_is_shared_by_linked_worktrees() {
    let t = repo();
    let wt = t.root().join("wt");
    git(
        t.path(),
        &["worktree", "add", "-q", "-b", "wt", wt.to_str().unwrap()],
    );
    let out = t.run_in(&wt, &["hook", "install"]);
    ok(&out);
    // Linked worktrees run the hooks of the main repository's git dir.
    assert!(hooks(&t).join("pre-commit").is_file());
    std::fs::write(
        wt.join("plan/stories/S-2.md"),
        item("S-2", "title: x\nstatus: nope\ngoal: G-1\n"),
    )
    .unwrap();
    git(&wt, &["add", "-A"]);
    assert!(!commit(&wt, "broken in a worktree").status.success());
}

#[test]
fn hook_install_refuses_to_clobber_a_hook_it_did_not_write() {
    let t = repo();
    let hook = hooks(&t).join("pre-commit");
    let theirs = "#!/bin/sh\necho theirs\n";
    write_hook(&hook, theirs);

    let out = t.run(&["hook", "install"]);
    failed(&out);
    assert!(
        out.stderr.contains("was not written by cairn"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("--chain"), "{}", out.stderr);
    assert_eq!(std::fs::read_to_string(&hook).unwrap(), theirs);

    // Nor does uninstall remove it.
    let out = t.run(&["hook", "uninstall"]);
    failed(&out);
    assert!(out.stderr.contains("not removing"), "{}", out.stderr);
    assert_eq!(std::fs::read_to_string(&hook).unwrap(), theirs);

    let out = t.run(&["hook", "install", "--force"]);
    ok(&out);
    assert!(std::fs::read_to_string(&hook)
        .unwrap()
        .contains("cairn-managed-hook"));
    assert!(!hooks(&t).join("pre-commit.local").exists());
}

#[test]
fn hook_install_chain_runs_the_existing_hook_first() {
    let t = repo();
    let dir = t.path();
    let hook = hooks(&t).join("pre-commit");
    // The team's own hook: fails when a file named BLOCK is staged.
    let theirs = "#!/bin/sh\nif git diff --cached --name-only | grep -q BLOCK; then echo 'local hook says no' >&2; exit 3; fi\n";
    write_hook(&hook, theirs);

    let out = t.run(&["hook", "install", "--chain"]);
    ok(&out);
    assert!(out.stdout.contains("pre-commit.local"), "{}", out.stdout);
    let local = hooks(&t).join("pre-commit.local");
    assert_eq!(std::fs::read_to_string(&local).unwrap(), theirs);
    assert!(std::fs::read_to_string(&hook)
        .unwrap()
        .starts_with("#!/bin/sh\n# cairn-managed-hook (chained)\n"));

    // The chained hook's failure fails the commit, although the plan is fine.
    std::fs::write(dir.join("BLOCK"), "x").unwrap();
    git(dir, &["add", "BLOCK"]);
    let out = commit(dir, "blocked by the local hook");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("local hook says no"));
    git(dir, &["rm", "-q", "--cached", "BLOCK"]);

    // cairn still runs after it.
    std::fs::write(
        dir.join("plan/stories/S-2.md"),
        item("S-2", "title: x\nstatus: nope\ngoal: G-1\n"),
    )
    .unwrap();
    git(dir, &["add", "plan"]);
    assert!(!commit(dir, "broken").status.success());
    std::fs::write(
        dir.join("plan/stories/S-2.md"),
        item("S-2", "title: x\nstatus: draft\ngoal: G-1\n"),
    )
    .unwrap();
    git(dir, &["add", "plan"]);
    let out = commit(dir, "both hooks pass");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Reinstalling keeps the chain; uninstalling puts the team's hook back.
    ok(&t.run(&["hook", "install"]));
    assert!(local.exists());
    let out = t.run(&["hook", "uninstall"]);
    ok(&out);
    assert!(out.stdout.contains("restored"), "{}", out.stdout);
    assert_eq!(std::fs::read_to_string(&hook).unwrap(), theirs);
    assert!(!local.exists());
}

#[test]
fn hook_install_respects_core_hooks_path() {
    let t = repo();
    git(t.path(), &["config", "core.hooksPath", "tools/hooks"]);
    let out = t.run(&["hook", "install"]);
    ok(&out);
    assert!(
        out.stdout.contains("tools/hooks/pre-commit"),
        "{}",
        out.stdout
    );
    assert!(t.root().join("tools/hooks/pre-commit").is_file());
    assert!(!hooks(&t).join("pre-commit").exists());
}

#[test]
fn the_hook_checks_a_plan_in_a_sub_folder() {
    let t = isolated(Test::empty())
        .file("app/cairn.yaml", "plan_dir: plan\n")
        .file(
            "app/plan/G-1.md",
            item("G-1", "title: Goal\nstatus: proposed\n"),
        );
    let dir = t.path();
    git(dir, &["init", "-q"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "plan"]);
    let out = t.run_in(&dir.join("app"), &["hook", "install"]);
    ok(&out);
    let text = std::fs::read_to_string(hooks(&t).join("pre-commit")).unwrap();
    assert!(
        text.contains("exec cairn -C 'app' check --staged"),
        "{text}"
    );

    std::fs::write(
        dir.join("app/plan/S-1.md"),
        item("S-1", "title: x\nstatus: draft\ngoal: G-9\n"),
    )
    .unwrap();
    git(dir, &["add", "-A"]);
    let out = commit(dir, "broken reference");
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("error[broken-reference]"), "{said}");
    assert!(said.contains("plan/S-1.md:5:7"), "{said}");
}

#[test]
fn hook_install_outside_git_is_an_error() {
    let t = isolated(Test::new());
    let out = t.run(&["hook", "install"]);
    failed(&out);
    assert!(
        out.stderr.contains("not inside a git repository"),
        "{}",
        out.stderr
    );
}
