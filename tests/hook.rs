//! `cairn hook install|uninstall` (SPEC §5) with real `git commit`s through the installed hook.

mod common;
use common::repo::{failed, item, repo};
use common::{git_cmd, git_in as git, ok, Test};
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
    let t = Test::empty()
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
    let t = Test::new();
    let out = t.run(&["hook", "install"]);
    failed(&out);
    assert!(
        out.stderr.contains("not inside a git repository"),
        "{}",
        out.stderr
    );
}

/// Regression: cairn read `core.hooksPath` from `~/.gitconfig` and `/etc/gitconfig` while git,
/// told by `GIT_CONFIG_GLOBAL`, `GIT_CONFIG_SYSTEM` or `GIT_CONFIG_NOSYSTEM` to read other files,
/// ignored them: the hook went where git never runs it. cairn installs where git looks.
#[test]
fn hook_install_reads_the_config_files_git_reads() {
    let configs = tempfile::tempdir().unwrap();
    // A home whose `.gitconfig` names one hooks folder, and a system file naming another.
    let home = configs.path().join("home");
    let system = configs.path().join("etc");
    for (dir, file, hooks) in [
        (&home, ".gitconfig", "home-hooks"),
        (&system, "gitconfig", "system-hooks"),
    ] {
        std::fs::create_dir_all(dir).unwrap();
        let at = configs.path().join(hooks);
        std::fs::write(
            dir.join(file),
            format!("[core]\n\thooksPath = {}\n", at.display()),
        )
        .unwrap();
    }
    let empty = configs.path().join("empty.config");
    std::fs::write(&empty, "").unwrap();
    let (home_file, system_file) = (home.join(".gitconfig"), system.join("gitconfig"));
    type Env<'a> = &'a [(&'a str, Option<&'a Path>)];
    let cases: &[(Env, &str)] = &[
        // What the tests run with: neither file.
        (&[("HOME", Some(&home))], ".git/hooks"),
        // `~/.gitconfig`, as git reads it without GIT_CONFIG_GLOBAL.
        (
            &[("HOME", Some(&home)), ("GIT_CONFIG_GLOBAL", None)],
            "home-hooks",
        ),
        // GIT_CONFIG_GLOBAL names it.
        (&[("GIT_CONFIG_GLOBAL", Some(&home_file))], "home-hooks"),
        // ~/.gitconfig hidden by GIT_CONFIG_GLOBAL (a file of another name, empty).
        (
            &[("HOME", Some(&home)), ("GIT_CONFIG_GLOBAL", Some(&empty))],
            ".git/hooks",
        ),
        // The system file, named by GIT_CONFIG_SYSTEM.
        (
            &[
                ("GIT_CONFIG_SYSTEM", Some(&system_file)),
                ("GIT_CONFIG_NOSYSTEM", None),
            ],
            "system-hooks",
        ),
        // …and turned off by GIT_CONFIG_NOSYSTEM.
        (
            &[
                ("GIT_CONFIG_SYSTEM", Some(&system_file)),
                ("GIT_CONFIG_NOSYSTEM", Some(Path::new("1"))),
            ],
            ".git/hooks",
        ),
    ];
    for (env, expected) in cases {
        let t = repo();
        let set = |cmd: &mut std::process::Command| {
            for (k, v) in env.iter() {
                match v {
                    Some(v) => cmd.env(k, v),
                    None => cmd.env_remove(k),
                };
            }
        };
        let mut install = t.command(&["hook", "install"]);
        set(&mut install);
        let out = install.output().unwrap();
        assert!(out.status.success(), "{env:?}: {out:?}");
        let mut ask_git = git_cmd(t.path(), &["rev-parse", "--git-path", "hooks"]);
        set(&mut ask_git);
        let git_says = String::from_utf8(ask_git.output().unwrap().stdout).unwrap();
        let git_says = t.path().join(git_says.trim());
        let wanted = if expected.starts_with('.') {
            t.path().join(expected)
        } else {
            configs.path().join(expected)
        };
        assert_eq!(git_says, wanted, "{env:?}: git itself");
        assert!(
            wanted.join("pre-commit").exists(),
            "{env:?}: cairn installed elsewhere than {}",
            wanted.display()
        );
    }
}
