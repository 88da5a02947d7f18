//! The GitHub Action's scripts, run as the runner runs them but against a release served from a
//! temp folder (file://), a fake `cargo` and a fake `gh`: no network. action-install.sh checks
//! the archive's SHA-256 and refuses a mismatch, falls back to `cargo install` where there is no
//! binary, and reuses a cached build; action-check.sh sets the outputs, the annotations and the
//! job summary; action-diff.sh keeps one comment per pull request. Unix only: the scripts are
//! bash, which GitHub's Windows runners provide as Git Bash, and these tests cannot start it.
#![cfg(unix)]

mod common;

use common::{git_in, Test};
use std::path::{Path, PathBuf};
use std::process::Command;

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A folder with a fake release, fake tools and the files the runner would provide.
struct Runner {
    dir: tempfile::TempDir,
    env: Vec<(String, String)>,
}

/// What a script run did.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Runner {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["bin", "home", "temp", "tool-cache"] {
            std::fs::create_dir(dir.path().join(sub)).unwrap();
        }
        let r = Runner {
            dir,
            env: Vec::new(),
        };
        std::fs::write(r.path("github_output"), "").unwrap();
        std::fs::write(r.path("github_path"), "").unwrap();
        std::fs::write(r.path("summary.md"), "").unwrap();
        r
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn env(mut self, k: &str, v: &str) -> Self {
        self.env.push((k.into(), v.into()));
        self
    }

    /// An executable script in the runner's bin/ (first on PATH).
    fn tool(self, name: &str, script: &str) -> Self {
        let path = self.path("bin").join(name);
        std::fs::write(&path, script).unwrap();
        chmod_x(&path);
        self
    }

    /// A `cargo` that logs its arguments and "builds" a cairn that prints VERSION.
    fn fake_cargo(self) -> Self {
        let log = self.path("cargo.log");
        self.tool(
            "cargo",
            &format!(
                r#"#!/bin/sh
echo "$@" >> '{log}'
root=""
while [ $# -gt 0 ]; do
    if [ "$1" = --root ]; then root=$2; fi
    shift
done
mkdir -p "$root/bin"
printf '#!/bin/sh\necho "cairn {VERSION}"\n' > "$root/bin/cairn"
chmod +x "$root/bin/cairn"
"#,
                log = log.display()
            ),
        )
    }

    fn cargo_log(&self) -> String {
        std::fs::read_to_string(self.path("cargo.log")).unwrap_or_default()
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    /// `bash scripts/SCRIPT ARGS` in `cwd` with the runner's environment and nothing from the
    /// machine's but the system folders of PATH (so no real cargo).
    fn run_in(&self, cwd: &Path, script: &str, args: &[&str]) -> Run {
        let mut cmd = Command::new("bash");
        cmd.arg(repo_root().join("scripts").join(script))
            .args(args)
            .current_dir(cwd)
            .env_clear()
            .env(
                "PATH",
                format!(
                    "{}:/usr/local/bin:/usr/bin:/bin",
                    self.path("bin").display()
                ),
            )
            .env("HOME", self.path("home"))
            .env("LC_ALL", "C")
            .env("RUNNER_TEMP", self.path("temp"))
            .env("RUNNER_TOOL_CACHE", self.path("tool-cache"))
            .env("GITHUB_OUTPUT", self.path("github_output"))
            .env("GITHUB_PATH", self.path("github_path"))
            .env("GITHUB_STEP_SUMMARY", self.path("summary.md"));
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run bash");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    fn run(&self, script: &str, args: &[&str]) -> Run {
        self.run_in(self.dir.path(), script, args)
    }

    /// `key=value` lines the scripts wrote to GITHUB_OUTPUT, last one wins.
    fn output(&self, key: &str) -> Option<String> {
        self.read("github_output")
            .lines()
            .rev()
            .find_map(|l| l.strip_prefix(&format!("{key}=")).map(str::to_string))
    }
}

fn chmod_x(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn ok(run: &Run) {
    assert_eq!(
        run.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
}

/// RUNNER_OS and RUNNER_ARCH of this machine, and the release target the installer picks.
fn this_runner() -> Option<(&'static str, &'static str, &'static str)> {
    let found = match (std::env::consts::OS, std::env::consts::ARCH) {
        ("linux", "x86_64") => ("Linux", "X64", "x86_64-unknown-linux-musl"),
        ("linux", "aarch64") => ("Linux", "ARM64", "aarch64-unknown-linux-musl"),
        ("macos", "x86_64") => ("macOS", "X64", "x86_64-apple-darwin"),
        ("macos", "aarch64") => ("macOS", "ARM64", "aarch64-apple-darwin"),
        _ => {
            eprintln!("skipped: cairn builds no release for this machine");
            return None;
        }
    };
    Some(found)
}

/// A release of this version at `runner/releases` (download/vX and latest/download): the
/// archive for this machine and one for Windows, packaged by scripts/release.sh around a small
/// stand-in that answers `--version` like cairn (the debug build is too big to compress in every
/// test; tests/release.rs packages the real one).
fn release(runner: Runner) -> Option<(Runner, &'static str)> {
    let (os, arch, target) = this_runner()?;
    let stand_in = runner.path("stand-in");
    std::fs::write(&stand_in, format!("#!/bin/sh\necho 'cairn {VERSION}'\n")).unwrap();
    chmod_x(&stand_in);
    let cairn = env!("CARGO_BIN_EXE_cairn");
    let dist = runner.path(&format!("releases/download/v{VERSION}"));
    let script = repo_root().join("scripts/release.sh");
    let run = |args: &[&str]| {
        let out = Command::new("bash")
            .arg(&script)
            .args(args)
            .current_dir(runner.dir.path())
            .env("TMPDIR", runner.path("temp"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&["assets", cairn, "assets"]);
    for t in [target, "x86_64-pc-windows-msvc"] {
        if t.contains("windows") && Command::new("zip").arg("-v").output().is_err() {
            continue;
        }
        run(&[
            "package",
            VERSION,
            t,
            stand_in.to_str().unwrap(),
            "assets",
            dist.to_str().unwrap(),
        ]);
    }
    run(&["sums", dist.to_str().unwrap()]);
    let latest = runner.path("releases/latest/download");
    std::fs::create_dir_all(&latest).unwrap();
    for entry in std::fs::read_dir(&dist).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), latest.join(entry.file_name())).unwrap();
    }
    let url = format!("file://{}", runner.path("releases").display());
    let runner = runner
        .env("RUNNER_OS", os)
        .env("RUNNER_ARCH", arch)
        .env("CAIRN_RELEASES_URL", &url)
        .env("CAIRN_REPOSITORY", "octo/cairn")
        .fake_cargo();
    Some((runner, target))
}

#[test]
fn installs_the_release_binary_for_the_runner_after_checking_its_sha256() {
    let Some((r, target)) = release(Runner::new()) else {
        return;
    };
    let r = r.env("CAIRN_VERSION", &format!("v{VERSION}"));
    let run = r.run("action-install.sh", &["install"]);
    ok(&run);
    assert_eq!(r.output("method").as_deref(), Some("release"));
    assert_eq!(r.output("version").as_deref(), Some(VERSION));
    assert_eq!(r.output("target").as_deref(), Some(target));
    // Installed in the tool cache, and its bin/ on the PATH of the next steps.
    let bin = PathBuf::from(r.output("bin").unwrap());
    assert!(bin.starts_with(r.path("tool-cache")), "{}", bin.display());
    assert_eq!(r.read("github_path").trim(), bin.display().to_string());
    let version = Command::new(bin.join("cairn"))
        .arg("--version")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("cairn {VERSION}")
    );
    // The man pages and completions came along, next to bin/.
    let dir = bin.parent().unwrap();
    assert!(dir.join("man/cairn-check.1").is_file());
    assert!(dir.join("complete/cairn.fish").is_file());
    assert_eq!(r.cargo_log(), "", "no build when a binary fits");
    // Nothing left behind in RUNNER_TEMP.
    assert_eq!(std::fs::read_dir(r.path("temp")).unwrap().count(), 0);
}

#[test]
fn latest_is_the_default_unless_the_action_is_pinned_to_a_release() {
    let Some((r, _)) = release(Runner::new()) else {
        return;
    };
    // `uses: octo/cairn@v0` (a moving tag) with no folder to read the action's version from:
    // the latest release.
    let r = r.env("CAIRN_ACTION_REF", "v0");
    let run = r.run("action-install.sh", &["plan"]);
    ok(&run);
    assert!(
        run.stdout.contains(&format!("version={VERSION}\n")),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("method=release\n"), "{}", run.stdout);
    // `uses: octo/cairn@v9.9.9`, found from the folder the runner put the action in when
    // github.action_ref is empty: that release, which does not exist here.
    let r = r.env("CAIRN_ACTION_REF", "").env(
        "CAIRN_ACTION_PATH",
        "/home/runner/work/_actions/octo/cairn/v9.9.9",
    );
    let run = r.run("action-install.sh", &["plan"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("/download/v9.9.9/SHA256SUMS: is `9.9.9` a release of octo/cairn?"),
        "{}",
        run.stderr
    );
}

/// A moving tag (`@v1`, `@v0.2`) or a commit pinned by its hash once installed the latest
/// release, so `@v1` would have run cairn 2.0 under the 1.x action's scripts. It installs the
/// version in the action's own Cargo.toml, and the latest only when that is not released.
#[test]
fn a_moving_tag_installs_the_release_the_actions_files_are_from() {
    let Some((r, target)) = release(Runner::new()) else {
        return;
    };
    // The latest release is a newer major one: 99.0.0, which must not be picked.
    let latest = r.path("releases/latest/download");
    for entry in std::fs::read_dir(&latest).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if let Some(rest) = name.strip_prefix(&format!("cairn-{VERSION}-")) {
            std::fs::rename(&path, latest.join(format!("cairn-99.0.0-{rest}"))).unwrap();
        }
    }
    let sums = latest.join("SHA256SUMS");
    let renamed = std::fs::read_to_string(&sums)
        .unwrap()
        .replace(&format!("cairn-{VERSION}-"), "cairn-99.0.0-");
    std::fs::write(&sums, renamed).unwrap();
    // What the runner checks out for `uses: octo/cairn@v0`: the repository at that tag.
    let action = r.path("work/_actions/octo/cairn/v0");
    std::fs::create_dir_all(&action).unwrap();
    let manifest = |version: &str| {
        std::fs::write(
            action.join("Cargo.toml"),
            format!("[package]\r\nname = \"cairn\"\r\nversion = \"{version}\"\r\n\r\n[dependencies]\r\nversion = \"1\"\r\n"),
        )
        .unwrap();
    };
    manifest(VERSION);
    let r = r.env("CAIRN_ACTION_PATH", action.to_str().unwrap());
    let run = r.run("action-install.sh", &["plan"]);
    ok(&run);
    assert!(
        run.stdout.contains(&format!("version={VERSION}\n")),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("method=release\n"), "{}", run.stdout);
    // On a platform without a binary, the build is of that version too.
    let arm = r.env("RUNNER_ARCH", "ARM");
    let run = arm.run("action-install.sh", &["plan"]);
    ok(&run);
    assert!(
        run.stdout
            .contains(&format!("version={VERSION}\nmethod=cargo\n")),
        "{}",
        run.stdout
    );
    // `uses: octo/cairn@main` between releases: its version has no release yet, so the latest.
    manifest("1.0.0-dev");
    // (The runner's own architecture again: the later value wins.)
    let (_, arch, _) = this_runner().unwrap();
    let r = arm.env("RUNNER_ARCH", arch);
    let run = r.run("action-install.sh", &["plan"]);
    ok(&run);
    assert!(run.stdout.contains("version=99.0.0\n"), "{}", run.stdout);
    assert!(
        run.stderr.contains("cairn 1.0.0-dev (the action's Cargo.toml) is not released; installing the latest release"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.contains(&format!("target={target}\n")),
        "{}",
        run.stdout
    );
}

#[test]
fn a_checksum_mismatch_is_refused_and_nothing_is_installed() {
    let Some((r, target)) = release(Runner::new()) else {
        return;
    };
    // The archive changed after SHA256SUMS was written (a corrupt or tampered download).
    let archive = r.path(&format!(
        "releases/download/v{VERSION}/cairn-{VERSION}-{target}.tar.gz"
    ));
    let mut bytes = std::fs::read(&archive).unwrap();
    bytes.extend_from_slice(b"tampered");
    std::fs::write(&archive, bytes).unwrap();
    let r = r.env("CAIRN_VERSION", VERSION);
    let run = r.run("action-install.sh", &["install"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "error: checksum mismatch for cairn-{VERSION}-{target}.tar.gz: SHA256SUMS says "
        )),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("not installing it"), "{}", run.stderr);
    // No fallback to a build, nothing on PATH, no cairn anywhere in the tool cache.
    assert_eq!(r.cargo_log(), "");
    assert_eq!(r.read("github_path"), "");
    let found = Command::new("find")
        .arg(r.path("tool-cache"))
        .args(["-name", "cairn", "-type", "f"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&found.stdout), "");
}

#[test]
fn an_unknown_platform_falls_back_to_cargo_install_and_reuses_the_cached_build() {
    let Some((r, _)) = release(Runner::new()) else {
        return;
    };
    // 32-bit Arm Linux: cairn has no binary for it.
    let r = r
        .env("RUNNER_OS", "Linux")
        .env("RUNNER_ARCH", "ARM")
        .env("CAIRN_VERSION", "latest");
    let plan = r.run("action-install.sh", &["plan"]);
    ok(&plan);
    assert!(plan.stdout.contains("method=cargo\n"), "{}", plan.stdout);
    assert!(plan.stdout.contains("target=\n"), "{}", plan.stdout);
    let dir = r.output("dir").unwrap();
    assert!(
        dir.ends_with(&format!("cairn/{VERSION}-cargo/arm")),
        "{dir}"
    );

    let run = r.run("action-install.sh", &["install"]);
    ok(&run);
    assert!(
        run.stderr
            .contains("cairn has no release binary for Linux on ARM; building it with cargo"),
        "{}",
        run.stderr
    );
    assert_eq!(
        r.cargo_log(),
        format!(
            "install --locked --root {dir} --git https://github.com/octo/cairn --tag v{VERSION} cairn\n"
        )
    );
    assert_eq!(r.read("github_path").trim(), format!("{dir}/bin"));

    // The next run finds the build that actions/cache restored: no second build.
    let again = r.run("action-install.sh", &["install"]);
    ok(&again);
    assert!(again.stderr.contains("already built"), "{}", again.stderr);
    assert_eq!(r.cargo_log().lines().count(), 1);
}

#[test]
fn a_release_without_a_binary_for_the_platform_falls_back_to_cargo_install() {
    let Some((r, target)) = release(Runner::new()) else {
        return;
    };
    // A release whose build for this platform failed: SHA256SUMS lists only the others.
    for folder in [
        format!("download/v{VERSION}"),
        "latest/download".to_string(),
    ] {
        let sums = r.path(&format!("releases/{folder}/SHA256SUMS"));
        let kept: String = std::fs::read_to_string(&sums)
            .unwrap()
            .lines()
            .filter(|l| !l.contains(target))
            .map(|l| format!("{l}\n"))
            .collect();
        std::fs::write(&sums, kept).unwrap();
    }
    let run = r.run("action-install.sh", &["install"]);
    ok(&run);
    assert!(
        run.stderr.contains(&format!(
            "the cairn {VERSION} release has no binary for {target}; building it with cargo"
        )),
        "{}",
        run.stderr
    );
    assert_eq!(r.output("method").as_deref(), Some("cargo"));
    assert!(r.cargo_log().contains(&format!("--tag v{VERSION} cairn")));
}

#[test]
fn a_fallback_without_cargo_says_what_to_install() {
    let Some((r, _)) = release(Runner::new()) else {
        return;
    };
    std::fs::remove_file(r.path("bin/cargo")).unwrap();
    let r = r.env("RUNNER_ARCH", "ARM");
    let run = r.run("action-install.sh", &["install"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("error: no cargo to build cairn with; install a Rust toolchain first"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_version_that_is_not_a_release_is_refused() {
    let r = Runner::new()
        .env("CAIRN_REPOSITORY", "octo/cairn")
        .env("CAIRN_VERSION", "main");
    let run = r.run("action-install.sh", &["plan"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(
            "error: version `main` is neither `latest` nor a release like 0.2.0 or v0.2.0"
        ),
        "{}",
        run.stderr
    );
    // Without a repository there is nowhere to download from.
    let r = Runner::new().env("CAIRN_VERSION", "latest");
    let run = r.run("action-install.sh", &["plan"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("CAIRN_REPOSITORY"), "{}", run.stderr);
}

/// A plan with one error (a broken reference) and one warning (an orphan story).
fn plan_with_findings() -> Test {
    Test::new()
        .item("G-1", "title: Goal\nstatus: active\n", "")
        .item("S-1", "title: One\nstatus: draft\ngoal: G-9\n", "")
        .item("S-2", "title: Two\nstatus: draft\ngoal: G-1\n", "")
        .item("S-3", "title: Orphan\nstatus: draft\n", "")
}

fn with_cairn(r: Runner) -> Runner {
    r.env("CAIRN", env!("CARGO_BIN_EXE_cairn"))
        .env("NO_COLOR", "1")
}

#[test]
fn check_sets_outputs_annotates_and_writes_the_summary() {
    let plan = plan_with_findings();
    let r = with_cairn(Runner::new());
    let run = r.run_in(plan.path(), "action-check.sh", &[]);
    assert_eq!(run.code, 1, "errors fail the step:\n{}", run.stderr);
    assert_eq!(r.output("errors").as_deref(), Some("1"));
    assert_eq!(r.output("warnings").as_deref(), Some("1"));
    assert_eq!(r.output("exit-code").as_deref(), Some("1"));
    // One workflow command per finding.
    assert!(
        run.stdout.contains("::error file=plan/S-1.md,line="),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("::warning file=plan/S-3.md,"),
        "{}",
        run.stdout
    );
    // The human report, fenced, in the job summary.
    let summary = r.read("summary.md");
    assert!(
        summary.starts_with("## cairn check\n\n```text\n"),
        "{summary}"
    );
    assert!(summary.contains("error[broken-reference]"), "{summary}");
    assert!(summary.trim_end().ends_with("```"), "{summary}");
    assert!(
        !summary.contains('\x1b'),
        "no colour in the summary: {summary}"
    );
}

#[test]
fn check_inputs_turn_annotations_and_summary_off_and_pass_args() {
    let plan = Test::new()
        .item("G-1", "title: Goal\nstatus: proposed\n", "")
        .item("S-1", "title: Orphan\nstatus: draft\n", "");
    std::fs::create_dir(plan.path().join("sub dir")).unwrap();
    let r = with_cairn(Runner::new())
        .env("CAIRN_ANNOTATIONS", "false")
        .env("CAIRN_SUMMARY", "false");
    let run = r.run_in(plan.path(), "action-check.sh", &[]);
    ok(&run);
    assert_eq!(r.output("warnings").as_deref(), Some("1"));
    assert!(!run.stdout.contains("::warning"), "{}", run.stdout);
    assert_eq!(r.read("summary.md"), "");
    // Quoted words stay one argument; `--deny warnings` makes the warning fail the step.
    let inside = plan.path().join("sub dir");
    let r = r.env("CAIRN_ARGS", "-C \"..\" --deny warnings");
    let run = r.run_in(&inside, "action-check.sh", &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    // A bad argument is a failed run (2), said as an error annotation.
    let r = r.env("CAIRN_ARGS", "--no-such-flag");
    let run = r.run_in(plan.path(), "action-check.sh", &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stdout
            .contains("::error title=cairn::cairn check could not run (exit code 2)"),
        "{}",
        run.stdout
    );
    let r = r.env("CAIRN_ARGS", "-C 'unterminated");
    let run = r.run_in(plan.path(), "action-check.sh", &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stdout.contains("cannot split the `args` input"),
        "{}",
        run.stdout
    );
}

/// A `gh` that logs each call, answers the comment listing with FAKE_GH_EXISTING, copies the
/// body it is given to gh.body, and fails writes when FAKE_GH_FAIL is set.
fn fake_gh(r: Runner) -> Runner {
    let log = r.path("gh.log");
    let body = r.path("gh.body");
    r.tool(
        "gh",
        &format!(
            r#"#!/bin/bash
echo "$*" >> '{log}'
if [[ " $* " == *" --paginate "* ]]; then
    [ -n "${{FAKE_GH_EXISTING:-}}" ] && echo "$FAKE_GH_EXISTING"
    exit 0
fi
for arg in "$@"; do
    case $arg in body=@*) cp "${{arg#body=@}}" '{body}' ;; esac
done
if [ -n "${{FAKE_GH_FAIL:-}}" ]; then echo "HTTP 403: Resource not accessible by integration" >&2; exit 1; fi
echo '{{}}'
"#,
            log = log.display(),
            body = body.display()
        ),
    )
}

/// A repository whose `main` has G-1 proposed; the pull request's commit makes it active.
/// Returns the plan and the base commit.
fn pull_request() -> (Test, String) {
    let t = Test::new().item("G-1", "title: Onboarding\nstatus: proposed\n", "");
    git_in(t.path(), &["init", "-q"]);
    git_in(t.path(), &["add", "-A"]);
    git_in(t.path(), &["commit", "-q", "-m", "base"]);
    let base = git_in(t.path(), &["rev-parse", "HEAD"]).trim().to_string();
    std::fs::write(
        t.path().join("plan/G-1.md"),
        "---\nid: G-1\ntitle: Onboarding\nstatus: active\n---\n",
    )
    .unwrap();
    git_in(t.path(), &["commit", "-q", "-am", "start onboarding"]);
    (t, base)
}

fn diff_runner(base: &str) -> Runner {
    fake_gh(with_cairn(Runner::new()))
        .env("CAIRN_BASE", base)
        .env("CAIRN_PR", "7")
        .env("GITHUB_REPOSITORY", "octo/app")
        .env("GH_TOKEN", "token")
}

#[test]
fn diff_comment_posts_the_plan_changes_once_then_updates_that_comment() {
    let (t, base) = pull_request();
    let r = diff_runner(&base);
    let run = r.run_in(t.path(), "action-diff.sh", &[]);
    ok(&run);
    let log = r.read("gh.log");
    assert!(
        log.contains("api --method POST repos/octo/app/issues/7/comments -F body=@"),
        "{log}"
    );
    let body = r.read("gh.body");
    assert!(body.starts_with("<!-- cairn diff-comment -->\n"), "{body}");
    assert!(
        body.contains("| **G-1** Onboarding | status | proposed | active |"),
        "{body}"
    );

    // The next push: the comment carrying the marker is edited, not a second one posted.
    let r = r.env("FAKE_GH_EXISTING", "4242");
    let run = r.run_in(t.path(), "action-diff.sh", &[]);
    ok(&run);
    let last = r.read("gh.log").lines().last().unwrap().to_string();
    assert!(
        last.starts_with("api --method PATCH repos/octo/app/issues/comments/4242 -F body=@"),
        "{last}"
    );
}

#[test]
fn diff_comment_fetches_the_base_of_a_shallow_checkout() {
    let (t, base) = pull_request();
    // actions/checkout's default: one commit deep.
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", t.path().display());
    git_in(clone.path(), &["clone", "-q", "--depth", "1", &url, "work"]);
    let work = clone.path().join("work");
    assert!(
        common::git_cmd(&work, &["cat-file", "-e", &format!("{base}^{{commit}}")])
            .output()
            .map(|o| !o.status.success())
            .unwrap()
    );
    let r = diff_runner(&base).env("HOME", work.to_str().unwrap());
    let run = r.run_in(&work, "action-diff.sh", &[]);
    ok(&run);
    assert!(
        r.read("gh.body").contains("proposed | active"),
        "{}",
        run.stderr
    );
}

#[test]
fn diff_comment_without_plan_changes_posts_nothing() {
    let (t, _) = pull_request();
    let head = git_in(t.path(), &["rev-parse", "HEAD"]).trim().to_string();
    let r = diff_runner(&head);
    let run = r.run_in(t.path(), "action-diff.sh", &[]);
    ok(&run);
    assert!(
        run.stdout.contains("no plan changes; no comment"),
        "{}",
        run.stdout
    );
    assert!(!r.read("gh.log").contains("POST"), "{}", r.read("gh.log"));
}

#[test]
fn diff_comment_that_may_not_comment_writes_the_summary_and_warns() {
    let (t, base) = pull_request();
    let r = diff_runner(&base).env("FAKE_GH_FAIL", "1");
    let run = r.run_in(t.path(), "action-diff.sh", &[]);
    ok(&run);
    assert!(
        run.stdout
            .contains("::warning title=cairn::diff-comment: cannot comment on #7 (HTTP 403"),
        "{}",
        run.stdout
    );
    assert!(r.read("summary.md").contains("proposed | active"));
    // Outside a pull request the step says so and does nothing.
    let r = diff_runner("").env("CAIRN_PR", "");
    let run = r.run_in(t.path(), "action-diff.sh", &[]);
    ok(&run);
    assert!(
        run.stdout.contains("not a pull request event"),
        "{}",
        run.stdout
    );
}

/// Every `uses: OWNER/NAME@REF` in a file, as (`OWNER/NAME`, `REF`): a sub-action
/// (`github/codeql-action/upload-sarif`) counts as its repository.
fn uses(path: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(path).unwrap();
    let re = regex::Regex::new(
        r"uses:\s*([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)[A-Za-z0-9_./-]*@([A-Za-z0-9_.-]+)",
    )
    .unwrap();
    re.captures_iter(&text)
        .map(|c| (c[1].to_string(), c[2].to_string()))
        .collect()
}

/// The docs name the actions at the versions the workflows use (the majors checked current when
/// they were last changed), and the cairn Action at the tag the release workflow moves for this
/// version (`release.sh moving-tag`): `@v0.1` for 0.1.x, `@v1` for 1.x.
#[test]
fn docs_name_the_actions_at_the_workflows_versions() {
    let root = repo_root();
    let mut used: Vec<(String, String)> = Vec::new();
    let mut sources = vec![root.join("action.yml")];
    for entry in std::fs::read_dir(root.join(".github/workflows")).unwrap() {
        sources.push(entry.unwrap().path());
    }
    for source in &sources {
        for (action, version) in uses(source) {
            if action == "OWNER/cairn" {
                continue; // comments on how to use the Action
            }
            if let Some((_, v)) = used.iter().find(|(a, _)| *a == action) {
                assert_eq!(
                    *v,
                    version,
                    "{action} at two versions in the workflows ({})",
                    source.display()
                );
            } else {
                used.push((action, version));
            }
        }
    }
    // Only in the docs; current majors when last checked.
    used.push(("github/codeql-action".into(), "v4".into()));
    // GitHub Pages (docs/ci.md's `cairn site` job).
    used.push(("actions/configure-pages".into(), "v5".into()));
    used.push(("actions/upload-pages-artifact".into(), "v4".into()));
    used.push(("actions/deploy-pages".into(), "v4".into()));
    let (major, minor) = {
        let mut parts = VERSION.split('.');
        (parts.next().unwrap(), parts.next().unwrap())
    };
    let cairn_tag = if major == "0" {
        format!("v0.{minor}")
    } else {
        format!("v{major}")
    };
    let mut docs = vec![root.join("README.md")];
    for entry in std::fs::read_dir(root.join("docs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            docs.push(path);
        }
    }
    let mut checked = 0;
    for doc in &docs {
        for (action, version) in uses(doc) {
            checked += 1;
            let name = doc.strip_prefix(&root).unwrap().display();
            if action == "OWNER/cairn" {
                assert_eq!(version, cairn_tag, "{name}: the cairn Action's tag");
                continue;
            }
            let Some((_, expected)) = used.iter().find(|(a, _)| *a == action) else {
                panic!("{name}: {action}@{version} is in no workflow: check its current major and add it here");
            };
            assert_eq!(&version, expected, "{name}: {action}");
        }
    }
    assert!(checked > 5, "the docs name {checked} actions");
}
