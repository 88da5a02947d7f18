//! scripts/release.sh, the steps of .github/workflows/release.yml: archives with the binary, the
//! docs, the man pages and the completions, named as Cargo.toml's binstall metadata says;
//! SHA256SUMS; release notes from CHANGELOG.md. Unix only: the script is bash (on GitHub's
//! Windows runners it runs in Git Bash, which these tests cannot start reliably).
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::Command;

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `scripts/release.sh ARGS` with only PATH from the machine; (exit code, stdout, stderr).
fn release(args: &[&str], dir: &Path) -> (i32, String, String) {
    let out = Command::new("bash")
        .arg(repo_root().join("scripts/release.sh"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir)
        .env("TMPDIR", dir)
        .env("LC_ALL", "C")
        .output()
        .expect("run bash");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn ok(args: &[&str], dir: &Path) -> String {
    let (code, stdout, stderr) = release(args, dir);
    assert_eq!(code, 0, "release.sh {args:?}:\n{stdout}\n{stderr}");
    stdout
}

fn has(program: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !found {
        eprintln!("skipped: `{program}` is not installed");
    }
    found
}

/// Man pages and completions from the binary under test, packaged for `target` in `dir/out`
/// with a stand-in binary: the debug build is too big to compress in every test.
fn package(dir: &Path, target: &str) -> PathBuf {
    let stand_in = dir.join("stand-in");
    std::fs::write(&stand_in, format!("#!/bin/sh\necho 'cairn {VERSION}'\n")).unwrap();
    package_binary(dir, target, &stand_in)
}

fn package_binary(dir: &Path, target: &str, binary: &Path) -> PathBuf {
    let cairn = env!("CARGO_BIN_EXE_cairn");
    if !dir.join("assets").exists() {
        ok(&["assets", cairn, "assets"], dir);
    }
    let binary = binary.to_str().unwrap();
    let out = ok(&["package", VERSION, target, binary, "assets", "out"], dir);
    PathBuf::from(out.trim())
}

fn listing(archive: &Path) -> Vec<String> {
    let out = if archive.extension().is_some_and(|e| e == "zip") {
        Command::new("unzip").args(["-Z1"]).arg(archive).output()
    } else {
        Command::new("tar").arg("-tzf").arg(archive).output()
    }
    .unwrap();
    assert!(out.status.success());
    let mut names: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.ends_with('/'))
        .map(str::to_string)
        .collect();
    names.sort();
    names
}

#[test]
fn an_archive_holds_the_binary_docs_licences_man_pages_and_completions() {
    let dir = tempfile::tempdir().unwrap();
    let cairn = Path::new(env!("CARGO_BIN_EXE_cairn"));
    let archive = package_binary(dir.path(), "x86_64-unknown-linux-musl", cairn);
    let name = format!("cairn-{VERSION}-x86_64-unknown-linux-musl");
    assert_eq!(
        archive.file_name().unwrap().to_string_lossy(),
        format!("{name}.tar.gz")
    );
    let files = listing(&archive);
    for file in [
        "cairn",
        "README.md",
        "LICENSE-MIT",
        "LICENSE-APACHE",
        "CHANGELOG.md",
        "man/cairn.1",
        "man/cairn-check.1",
        "man/cairn-hook-install.1",
        "complete/cairn.bash",
        "complete/_cairn",
        "complete/cairn.fish",
        "complete/_cairn.ps1",
        "complete/cairn.elv",
    ] {
        let path = format!("{name}/{file}");
        assert!(files.contains(&path), "{path} missing: {files:#?}");
    }
    // Everything sits in the one folder named like the archive.
    assert!(files.iter().all(|f| f.starts_with(&format!("{name}/"))));
    // The binary is executable once unpacked.
    let unpacked = dir.path().join("unpacked");
    std::fs::create_dir(&unpacked).unwrap();
    let status = Command::new("tar")
        .arg("-xzf")
        .arg(&archive)
        .arg("-C")
        .arg(&unpacked)
        .status()
        .unwrap();
    assert!(status.success());
    let out = Command::new(unpacked.join(&name).join("cairn"))
        .arg("--version")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("cairn {VERSION}")
    );
    // The completions are the ones `cairn completions` prints.
    let bash = std::fs::read_to_string(dir.path().join("assets/complete/cairn.bash")).unwrap();
    assert!(bash.contains("CAIRN_COMPLETE=\"bash\""), "{bash}");
}

#[test]
fn the_windows_archive_is_a_zip_with_cairn_exe() {
    if !has("zip") || !has("unzip") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let archive = package(dir.path(), "x86_64-pc-windows-msvc");
    let name = format!("cairn-{VERSION}-x86_64-pc-windows-msvc");
    assert_eq!(
        archive.file_name().unwrap().to_string_lossy(),
        format!("{name}.zip")
    );
    let files = listing(&archive);
    assert!(files.contains(&format!("{name}/cairn.exe")), "{files:#?}");
    assert!(files.contains(&format!("{name}/man/cairn.1")), "{files:#?}");
    assert!(!files.contains(&format!("{name}/cairn")), "{files:#?}");
}

#[test]
fn sha256sums_lists_every_archive_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    package(dir.path(), "x86_64-unknown-linux-musl");
    package(dir.path(), "aarch64-apple-darwin");
    let out = ok(&["sums", "out"], dir.path());
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].ends_with(&format!("  cairn-{VERSION}-aarch64-apple-darwin.tar.gz")));
    assert!(lines[1].ends_with(&format!(
        "  cairn-{VERSION}-x86_64-unknown-linux-musl.tar.gz"
    )));
    assert!(lines
        .iter()
        .all(|l| l.split("  ").next().unwrap().len() == 64));
    let sums = std::fs::read_to_string(dir.path().join("out/SHA256SUMS")).unwrap();
    assert_eq!(sums, out);
    // The standard tool agrees with every line.
    let (program, args): (&str, &[&str]) = if has("sha256sum") {
        ("sha256sum", &["-c", "SHA256SUMS"])
    } else {
        ("shasum", &["-a", "256", "-c", "SHA256SUMS"])
    };
    let check = Command::new(program)
        .args(args)
        .current_dir(dir.path().join("out"))
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    // An empty folder is an error, not an empty sums file.
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    let (code, _, stderr) = release(&["sums", "empty"], dir.path());
    assert_eq!(code, 1);
    assert!(stderr.contains("no cairn-*.tar.gz"), "{stderr}");
}

/// `key = "value"` from the `[package.metadata.binstall]` table of Cargo.toml.
fn binstall(key: &str) -> String {
    let manifest = std::fs::read_to_string(repo_root().join("Cargo.toml")).unwrap();
    let table = manifest
        .split("[package.metadata.binstall]")
        .nth(1)
        .expect("no [package.metadata.binstall] in Cargo.toml");
    let line = table
        .lines()
        .take_while(|l| !l.starts_with('['))
        .find(|l| l.starts_with(&format!("{key} = ")))
        .unwrap_or_else(|| panic!("no {key} in [package.metadata.binstall]"));
    line.split_once(" = ")
        .unwrap()
        .1
        .trim_matches('"')
        .to_string()
}

/// A binstall template with cairn's values for one target.
fn expand(template: &str, target: &str, suffix: &str, ext: &str) -> String {
    template
        .replace("{ repo }", "https://github.com/OWNER/cairn")
        .replace("{ name }", "cairn")
        .replace("{ bin }", "cairn")
        .replace("{ version }", VERSION)
        .replace("{ target }", target)
        .replace("{ archive-suffix }", suffix)
        .replace("{ binary-ext }", ext)
}

#[test]
fn binstall_metadata_names_the_released_archives_and_binaries() {
    let dir = tempfile::tempdir().unwrap();
    let archive = package(dir.path(), "aarch64-unknown-linux-musl");
    let url = expand(
        &binstall("pkg-url"),
        "aarch64-unknown-linux-musl",
        ".tar.gz",
        "",
    );
    assert_eq!(
        url,
        format!(
            "https://github.com/OWNER/cairn/releases/download/v{VERSION}/{}",
            archive.file_name().unwrap().to_string_lossy()
        )
    );
    let bin = expand(
        &binstall("bin-dir"),
        "aarch64-unknown-linux-musl",
        ".tar.gz",
        "",
    );
    assert!(listing(&archive).contains(&bin), "{bin}");
    assert_eq!(binstall("pkg-fmt"), "tgz");
    // Never a binary found by crate name alone: `cairn` on crates.io is another project.
    assert_eq!(binstall("disabled-strategies"), r#"["quick-install"]"#);
    // Windows: a zip (its override) holding cairn.exe.
    let manifest = std::fs::read_to_string(repo_root().join("Cargo.toml")).unwrap();
    let windows = manifest
        .split("[package.metadata.binstall.overrides.x86_64-pc-windows-msvc]")
        .nth(1)
        .expect("no Windows override");
    assert!(windows.trim_start().starts_with("pkg-fmt = \"zip\""));
    if has("zip") && has("unzip") {
        let archive = package(dir.path(), "x86_64-pc-windows-msvc");
        let bin = expand(
            &binstall("bin-dir"),
            "x86_64-pc-windows-msvc",
            ".zip",
            ".exe",
        );
        assert!(listing(&archive).contains(&bin), "{bin}");
    }
}

/// The `target:` values of release.yml's build matrix.
fn released_targets() -> Vec<String> {
    let workflow =
        std::fs::read_to_string(repo_root().join(".github/workflows/release.yml")).unwrap();
    let re = regex::Regex::new(r"\{ target: ([a-z0-9_-]+), os: [a-z0-9.-]+ \}").unwrap();
    let mut targets: Vec<String> = re
        .captures_iter(&workflow)
        .map(|c| c[1].to_string())
        .collect();
    targets.sort();
    targets
}

#[test]
fn the_installer_knows_every_released_target_and_no_other() {
    let released = released_targets();
    assert_eq!(
        released,
        [
            "aarch64-apple-darwin",
            "aarch64-unknown-linux-musl",
            "x86_64-apple-darwin",
            "x86_64-pc-windows-msvc",
            "x86_64-unknown-linux-musl"
        ]
    );
    let script = std::fs::read_to_string(repo_root().join("scripts/action-install.sh")).unwrap();
    let re = regex::Regex::new(r"\) echo ([a-z0-9_-]+) ;;").unwrap();
    let mut known: Vec<String> = re
        .captures_iter(&script)
        .map(|c| c[1].to_string())
        .collect();
    known.sort();
    known.dedup();
    assert_eq!(known, released);
}

const CHANGELOG: &str = "# Changelog

All notable changes.

## [Unreleased]

### Added
- Something not released yet.

## [0.2.0] - 2027-02-01

### Added
- `cairn completions`.

### Fixed
- A fix.

## [0.2.0-rc.1] - 2027-01-20

- A release candidate.

## 0.1.0

- The first release.

[Unreleased]: https://example.invalid/compare/v0.2.0...HEAD
[0.2.0]: https://example.invalid/compare/v0.1.0...v0.2.0
";

#[test]
fn release_notes_are_the_versions_changelog_section() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("CHANGELOG.md"), CHANGELOG).unwrap();
    let notes = ok(&["notes", "0.2.0", "CHANGELOG.md"], dir.path());
    assert_eq!(
        notes,
        "### Added\n- `cairn completions`.\n\n### Fixed\n- A fix.\n"
    );
    // `v` is allowed; a pre-release is its own section; a heading without brackets works; the
    // link definitions at the end are not notes.
    assert_eq!(
        ok(&["notes", "v0.2.0-rc.1", "CHANGELOG.md"], dir.path()),
        "- A release candidate.\n"
    );
    assert_eq!(
        ok(&["notes", "0.1.0", "CHANGELOG.md"], dir.path()),
        "- The first release.\n"
    );
    // `0.2` is not `0.2.0`, and a version without a section fails the release.
    for missing in ["0.2", "0.3.0"] {
        let (code, _, stderr) = release(&["notes", missing, "CHANGELOG.md"], dir.path());
        assert_eq!(code, 1, "{missing}");
        assert!(
            stderr.contains(&format!("CHANGELOG.md has no section for {missing}")),
            "{stderr}"
        );
    }
}

#[test]
fn the_release_version_is_cargo_tomls() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(ok(&["version"], dir.path()).trim(), VERSION);
}

/// The tag `uses: OWNER/cairn@TAG` follows moves only between releases Cargo calls compatible:
/// `v1` across 1.x, but `v0.3` (not `v0`) across 0.3.x, since 0.4.0 may break what 0.3 did.
#[test]
fn the_moving_tag_follows_compatible_releases_only() {
    let dir = tempfile::tempdir().unwrap();
    for (version, tag) in [
        ("0.1.0", "v0.1\n"),
        ("v0.12.3", "v0.12\n"),
        ("1.0.0", "v1\n"),
        ("1.4.2", "v1\n"),
        ("10.0.1", "v10\n"),
        // A pre-release moves nothing.
        ("2.0.0-rc.1", ""),
    ] {
        assert_eq!(ok(&["moving-tag", version], dir.path()), tag, "{version}");
    }
    let (code, _, stderr) = release(&["moving-tag", "1.2"], dir.path());
    assert_eq!(code, 1);
    assert!(
        stderr.contains("`1.2` is not a version like 1.4.2"),
        "{stderr}"
    );
}

/// binstall builds its URLs from `package.repository`; a release without it publishes archives
/// `cargo binstall` cannot find, so the release workflow stops first.
#[test]
fn the_repository_binstall_downloads_from_is_read_from_the_package_table() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("Cargo.toml");
    std::fs::write(
        &manifest,
        "[package]\nname = \"cairn\"\nrepository = \"https://github.com/octo/cairn\"\n\n\
         [badges]\nrepository = \"elsewhere\"\n",
    )
    .unwrap();
    let path = manifest.to_str().unwrap();
    assert_eq!(
        ok(&["repository", path], dir.path()),
        "https://github.com/octo/cairn\n"
    );
    std::fs::write(
        &manifest,
        "[package]\nname = \"cairn\"\n\n[badges]\nrepository = \"elsewhere\"\n",
    )
    .unwrap();
    let (code, _, stderr) = release(&["repository", path], dir.path());
    assert_eq!(code, 1);
    assert!(stderr.contains("has no package.repository"), "{stderr}");
    // The release workflow compares it with the repository it runs in.
    let workflow =
        std::fs::read_to_string(repo_root().join(".github/workflows/release.yml")).unwrap();
    assert!(
        workflow.contains(r#"[ "$repository" != "$GITHUB_SERVER_URL/$GITHUB_REPOSITORY" ]"#),
        "release.yml no longer checks package.repository"
    );
}

/// The `sh` block of docs/install.md that installs a release on Linux, with its URL pointed at
/// `releases` (file://), its version this one's and its target `target`.
fn install_snippet(releases: &Path, target: &str) -> String {
    let doc = std::fs::read_to_string(repo_root().join("docs/install.md")).unwrap();
    let block = doc
        .split("```sh\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap())
        .find(|b| b.starts_with("version=") && b.contains("sha256sum --check"))
        .expect("docs/install.md has no `sh` block that downloads and checks a release");
    let real = "https://github.com/OWNER/cairn/releases";
    assert!(block.contains(real), "{block}");
    let version = regex::Regex::new(r"(?m)^version=\S+").unwrap();
    let target_line = regex::Regex::new(r"(?m)^target=\S+").unwrap();
    let block = version.replace(block, format!("version={VERSION}"));
    let block = target_line.replace(&block, format!("target={target}"));
    block.replace(real, &format!("file://{}", releases.display()))
}

/// docs/install.md's commands, pasted into `sh` as they are: they download the archive and
/// SHA256SUMS, unpack only what the check passed, and install the binary and the man pages; a
/// tampered archive is refused and nothing installed.
#[test]
fn the_install_docs_commands_check_and_install_a_release() {
    if !(cfg!(target_os = "linux") && has("sha256sum") && has("curl")) {
        eprintln!("skipped: the documented commands are for Linux (curl, sha256sum)");
        return;
    }
    let target = match std::env::consts::ARCH {
        "x86_64" => "x86_64-unknown-linux-musl",
        "aarch64" => "aarch64-unknown-linux-musl",
        _ => {
            eprintln!("skipped: cairn releases no binary for this machine");
            return;
        }
    };
    let dir = tempfile::tempdir().unwrap();
    let archive = package(dir.path(), target);
    let dist = dir.path().join(format!("releases/download/v{VERSION}"));
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::rename(&archive, dist.join(archive.file_name().unwrap())).unwrap();
    ok(&["sums", dist.to_str().unwrap()], dir.path());
    let snippet = install_snippet(&dir.path().join("releases"), target);

    let install = |name: &str| {
        let work = dir.path().join(name);
        let home = work.join("home");
        std::fs::create_dir_all(&home).unwrap();
        let out = Command::new("sh")
            .args(["-c", &snippet])
            .current_dir(&work)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &home)
            .env("LC_ALL", "C")
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (home, text)
    };

    let (home, out) = install("good");
    assert!(
        out.contains(&format!("cairn-{VERSION}-{target}.tar.gz: OK")),
        "{out}"
    );
    let cairn = home.join(".local/bin/cairn");
    let version = Command::new(&cairn).arg("--version").output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("cairn {VERSION}"),
        "{out}"
    );
    assert!(home.join(".local/share/man/man1/cairn-check.1").is_file());

    // The same download, changed after SHA256SUMS was written.
    let archive = dist.join(format!("cairn-{VERSION}-{target}.tar.gz"));
    let mut bytes = std::fs::read(&archive).unwrap();
    bytes.extend_from_slice(b"tampered");
    std::fs::write(&archive, bytes).unwrap();
    let (home, out) = install("tampered");
    assert!(out.contains(": FAILED"), "{out}");
    assert!(
        !home.join(".local/bin/cairn").exists(),
        "installed anyway:\n{out}"
    );
    assert!(
        !dir.path()
            .join("tampered")
            .join(format!("cairn-{VERSION}-{target}"))
            .exists(),
        "unpacked anyway:\n{out}"
    );
}
