//! SPEC §8: nothing a user can put in a plan folder makes cairn panic, hang or read outside the
//! repository. Each bad file is a located diagnostic or a clean skip, and the rest of the plan is
//! still checked: every test plants a second, broken item (the "canary") and expects its finding.

mod common;
use common::{git_in as git, Output, Test};

/// The canary's finding: `goal: G-404` in `plan/S-99.md`, line 5, column 7.
fn canary_finding() -> (String, String, u64, u64) {
    ("broken-reference".into(), "plan/S-99.md".into(), 5, 7)
}

/// A healthy goal with a healthy story, plus the canary: a story whose goal does not exist.
fn with_canary(t: Test) -> Test {
    t.goal("G-1")
        .item("S-98", "title: Healthy\nstatus: draft\ngoal: G-1\n", "")
        .item("S-99", "title: Canary\nstatus: draft\ngoal: G-404\n", "")
}

/// No panic, no crash: exit code 0 or 1 and nothing about a panic on stderr.
fn assert_sane(out: &Output) {
    assert!(
        out.code == 0 || out.code == 1,
        "exit code {} (101 is a panic)\nstdout:\n{}\nstderr:\n{}",
        out.code,
        out.stdout,
        out.stderr
    );
    assert!(
        !out.stderr.contains("panicked"),
        "cairn panicked:\n{}",
        out.stderr
    );
}

/// The rest of the plan was still checked: the canary's finding is there, exactly once.
fn assert_canary(out: &Output) {
    let n = out
        .findings()
        .into_iter()
        .filter(|f| *f == canary_finding())
        .count();
    assert_eq!(
        n,
        1,
        "the canary should be reported once: {:?}",
        out.findings()
    );
    assert_eq!(out.code, 1, "the canary is an error");
}

/// `check --format json` and human `check`: both must be sane; returns the JSON run.
fn check_all_formats(t: &Test) -> Output {
    let human = t.run(&["check"]);
    assert_sane(&human);
    assert!(
        human.stdout.contains("plan/S-99.md:5:7"),
        "human output lost the canary:\n{}",
        human.stdout
    );
    let out = t.check();
    assert_sane(&out);
    assert_canary(&out);
    out
}

/// Findings of one file.
fn findings_in(out: &Output, file: &str) -> Vec<(String, String, u64, u64)> {
    out.findings().into_iter().filter(|f| f.1 == file).collect()
}

/// The ids `list --format json` prints.
fn listed_ids(t: &Test) -> Vec<String> {
    let out = t.run(&["list", "--format", "json"]);
    assert_sane(&out);
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.json()["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn binary_file_named_md_is_a_located_parse_error() {
    let t = with_canary(Test::new())
        .file(
            "plan/blob.md",
            b"---\nid: S-5\n\0\0\0\x01\x02binary\xff\xfe\n",
        )
        .file(
            "plan/image.md",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0",
        );
    let out = check_all_formats(&t);
    assert_eq!(
        findings_in(&out, "plan/blob.md"),
        vec![("parse-error".into(), "plan/blob.md".into(), 3, 1)],
        "the NUL byte is on line 3, column 1"
    );
    let png = findings_in(&out, "plan/image.md");
    assert_eq!(png.len(), 1, "{png:?}");
    assert_eq!(png[0].0, "parse-error");
    assert!(png[0].2 >= 1 && png[0].3 >= 1, "{png:?}");
}

#[test]
fn invalid_utf8_is_located_at_the_bad_byte() {
    let t = with_canary(Test::new())
        .file(
            "plan/latin1.md",
            b"---\nid: S-5\ntitle: caf\xe9 au lait\nstatus: draft\n---\n",
        )
        // Columns count characters, not bytes: `title: ñandú ` is 13 characters.
        .file(
            "plan/mixed.md",
            [
                "---\nid: S-6\nstatus: draft\ntitle: ñandú ".as_bytes(),
                b"\xff\n---\n",
            ]
            .concat(),
        );
    let out = check_all_formats(&t);
    assert_eq!(
        findings_in(&out, "plan/latin1.md"),
        vec![("parse-error".into(), "plan/latin1.md".into(), 3, 11)]
    );
    assert_eq!(
        findings_in(&out, "plan/mixed.md"),
        vec![("parse-error".into(), "plan/mixed.md".into(), 4, 14)]
    );
}

#[test]
fn byte_order_mark_works_normally_and_keeps_positions() {
    let t = with_canary(Test::new())
        .file(
            "plan/S-5.md",
            "\u{feff}---\nid: S-5\ntitle: With a BOM\nstatus: draft\ngoal: G-405\n---\nAs a user, I can read BOM files.\n",
        )
        .file("plan/notes.md", "\u{feff}See [x](missing.md).\n");
    let out = check_all_formats(&t);
    assert_eq!(
        findings_in(&out, "plan/S-5.md"),
        vec![("broken-reference".into(), "plan/S-5.md".into(), 5, 7)],
        "the BOM is neither a parse error nor a column"
    );
    assert_eq!(
        findings_in(&out, "plan/notes.md"),
        vec![("broken-link".into(), "plan/notes.md".into(), 1, 5)],
        "a link on the BOM's line is at column 5"
    );
    assert_eq!(out.json()["items"], 4, "the BOM file is an item");
    let list = t.run(&["list", "--format", "json"]);
    let s5 = list.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "S-5")
        .cloned()
        .expect("S-5 listed");
    assert_eq!(s5["title"], "With a BOM");
    assert_eq!(s5["status"], "draft");
}

#[test]
fn crlf_line_endings_work_with_right_positions() {
    let text = "---\r\nid: S-5\r\ntitle: Windows story\r\nstatus: draft\r\ngoal: G-405\r\ntags: [a, b]\r\n---\r\nAs a user, I can use CRLF.\r\n\r\n## Acceptance criteria\r\n- [x] one\r\n- [ ] two\r\n\r\nSee [the doc](gone.md) here.\r\n";
    let t = with_canary(Test::new()).file("plan/S-5.md", text);
    let out = check_all_formats(&t);
    assert_eq!(
        findings_in(&out, "plan/S-5.md"),
        vec![
            ("broken-reference".into(), "plan/S-5.md".into(), 5, 7),
            ("broken-link".into(), "plan/S-5.md".into(), 14, 5),
        ],
        "no stray \\r in values, and positions as in an LF file"
    );
    let show = t.run(&["show", "S-5", "--format", "json"]);
    assert_eq!(show.code, 0, "{}", show.stderr);
    let s = show.json();
    assert_eq!(s["title"], "Windows story");
    assert_eq!(s["status"], "draft");
    assert_eq!(s["tags"], serde_json::json!(["a", "b"]));
    assert_eq!(
        s["progress"], 0.5,
        "acceptance criteria read across CRLF lines"
    );
}

#[test]
fn tabs_in_yaml_indentation_are_a_located_parse_error() {
    let t = with_canary(Test::new()).item(
        "S-5",
        "title: Tabbed\nstatus: draft\ngoal: G-1\nrice:\n\treach: 5\n",
        "",
    );
    let out = check_all_formats(&t);
    let f = findings_in(&out, "plan/S-5.md");
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].0, "parse-error");
    assert_eq!(f[0].2, 7, "the tab is on line 7: {f:?}");
    assert!(
        f[0].3 == 1 || f[0].3 == 2,
        "at the tab or just after: {f:?}"
    );
}

#[test]
fn empty_file_is_a_document_without_findings() {
    let t = with_canary(Test::new())
        .file("plan/empty.md", "")
        .file("plan/blank.md", "\n\n  \n");
    let out = check_all_formats(&t);
    assert!(findings_in(&out, "plan/empty.md").is_empty(), "{out:?}");
    assert!(findings_in(&out, "plan/blank.md").is_empty(), "{out:?}");
    assert_eq!(out.json()["items"], 3, "documents are not items");
}

#[test]
fn front_matter_that_never_closes_is_a_parse_error() {
    let t = with_canary(Test::new()).file(
        "plan/S-5.md",
        "---\nid: S-5\ntitle: Open\nstatus: draft\n\nSome body text.\n",
    );
    let out = check_all_formats(&t);
    assert_eq!(
        findings_in(&out, "plan/S-5.md"),
        vec![("parse-error".into(), "plan/S-5.md".into(), 1, 1)],
        "points at the opening `---`"
    );
}

#[test]
fn front_matter_that_is_a_list_or_a_scalar_is_a_parse_error() {
    let t = with_canary(Test::new())
        .file("plan/list.md", "---\n- id: S-5\n- title: x\n---\n")
        .file("plan/scalar.md", "---\njust some words\n---\n")
        .file("plan/number.md", "---\n42\n---\n");
    let out = check_all_formats(&t);
    for file in ["plan/list.md", "plan/scalar.md", "plan/number.md"] {
        assert_eq!(
            findings_in(&out, file),
            vec![("parse-error".into(), file.into(), 2, 1)],
            "{file}"
        );
    }
}

#[test]
fn billion_laughs_alias_bomb_is_a_parse_error() {
    let mut fm = String::from("title: Laughs\nstatus: draft\ngoal: G-1\n");
    fm.push_str("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 9].join(", ");
        fm.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    // A map-based variant too.
    let t = with_canary(Test::new()).item("S-5", &fm, "").file(
        "plan/S-6.md",
        "---\nid: S-6\nx0: &x0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8}\nx1: &x1 {a: *x0, b: *x0, c: *x0, d: *x0, e: *x0, f: *x0, g: *x0, h: *x0}\nx2: &x2 {a: *x1, b: *x1, c: *x1, d: *x1, e: *x1, f: *x1, g: *x1, h: *x1}\nx3: &x3 {a: *x2, b: *x2, c: *x2, d: *x2, e: *x2, f: *x2, g: *x2, h: *x2}\nx4: &x4 {a: *x3, b: *x3, c: *x3, d: *x3, e: *x3, f: *x3, g: *x3, h: *x3}\nx5: &x5 {a: *x4, b: *x4, c: *x4, d: *x4, e: *x4, f: *x4, g: *x4, h: *x4}\nx6: &x6 {a: *x5, b: *x5, c: *x5, d: *x5, e: *x5, f: *x5, g: *x5, h: *x5}\nx7: &x7 {a: *x6, b: *x6, c: *x6, d: *x6, e: *x6, f: *x6, g: *x6, h: *x6}\nx8: &x8 {a: *x7, b: *x7, c: *x7, d: *x7, e: *x7, f: *x7, g: *x7, h: *x7}\n---\n",
    );
    let out = check_all_formats(&t);
    for file in ["plan/S-5.md", "plan/S-6.md"] {
        let f = findings_in(&out, file);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].0, "parse-error", "{f:?}");
        assert!(
            f[0].2 >= 3 && f[0].3 >= 1,
            "located inside the front matter: {f:?}"
        );
    }
}

#[test]
fn five_thousand_deep_nesting_is_a_parse_error() {
    let seq = format!("a: {}{}\n", "[".repeat(5000), "]".repeat(5000));
    let map = format!("a: {}1{}\n", "{b: ".repeat(5000), "}".repeat(5000));
    let t = with_canary(Test::new())
        .item("S-5", &format!("title: Deep\nstatus: draft\n{seq}"), "")
        .item("S-6", &format!("title: Deeper\nstatus: draft\n{map}"), "");
    let out = check_all_formats(&t);
    for file in ["plan/S-5.md", "plan/S-6.md"] {
        let f = findings_in(&out, file);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].0, "parse-error", "{f:?}");
        assert_eq!(f[0].2, 5, "on the `a:` line: {f:?}");
    }
}

#[test]
fn huge_file_beyond_the_cap_is_a_parse_error_and_a_large_one_is_fine() {
    let line = format!("{}\n", "x".repeat(1023));
    let huge = format!(
        "---\nid: S-5\ntitle: Huge\nstatus: draft\n---\n{}",
        line.repeat(9 * 1024)
    );
    assert!(huge.len() > 9 * 1024 * 1024);
    let big_body = format!(
        "As a user, I can have long stories.\n\n{}",
        line.repeat(2 * 1024)
    );
    let t = with_canary(Test::new())
        .file("plan/S-5.md", &huge)
        // 2 MiB, valid, with a finding of its own to prove it was parsed.
        .item(
            "S-6",
            "title: Large\nstatus: draft\ngoal: G-406\n",
            &big_body,
        );
    let out = check_all_formats(&t);
    assert_eq!(
        findings_in(&out, "plan/S-5.md"),
        vec![("parse-error".into(), "plan/S-5.md".into(), 1, 1)]
    );
    assert_eq!(
        findings_in(&out, "plan/S-6.md"),
        vec![("broken-reference".into(), "plan/S-6.md".into(), 5, 7)]
    );
    assert!(listed_ids(&t).contains(&"S-6".to_string()));
}

#[test]
fn symlink_loops_inside_the_plan_do_not_hang_or_duplicate() {
    use std::os::unix::fs::symlink;
    let t = with_canary(Test::new()).file("plan/nested/README.md", "# Nested\n");
    symlink("..", t.path().join("plan/nested/loop")).unwrap(); // -> plan
    symlink("..", t.path().join("plan/up")).unwrap(); // -> the root, which holds plan/
    symlink(".", t.path().join("plan/self")).unwrap();
    symlink("a.md", t.path().join("plan/b.md")).unwrap(); // file symlink cycle
    symlink("b.md", t.path().join("plan/a.md")).unwrap();
    let out = check_all_formats(&t);
    assert_eq!(out.json()["items"], 3, "no item read twice through a loop");
    let ids = listed_ids(&t);
    assert_eq!(ids, vec!["G-1", "S-98", "S-99"]);
}

#[test]
fn symlink_to_a_file_outside_the_root_is_not_read() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("S-500.md"),
        "---\nid: S-500\ntitle: Outside\nstatus: draft\ngoal: G-777\n---\n",
    )
    .unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "# Top Secret Heading\n\nThe password is hunter2.\n",
    )
    .unwrap();
    let t = with_canary(Test::new()).file(
        "plan/notes.md",
        "Notes: [linked](ext.md#nope) and [plain](ext.md).\n",
    );
    symlink(
        outside.path().join("S-500.md"),
        t.path().join("plan/S-500.md"),
    )
    .unwrap();
    symlink(
        outside.path().join("secret.md"),
        t.path().join("plan/ext.md"),
    )
    .unwrap();
    symlink(outside.path(), t.path().join("plan/outdir")).unwrap();

    let out = check_all_formats(&t);
    let all = format!("{}{}", out.stdout, t.run(&["check"]).stdout).to_lowercase();
    assert!(
        !all.contains("s-500") && !all.contains("g-777"),
        "an item outside the root was read:\n{all}"
    );
    assert!(!listed_ids(&t).contains(&"S-500".to_string()));
    // Following a link's symlink to check its anchor reads the outside file: its headings
    // must not show up in cairn's output.
    assert!(
        !all.contains("secret"),
        "a file outside the root was read through a link's symlink:\n{all}"
    );
}

#[test]
fn unreadable_file_is_a_located_parse_error() {
    use std::os::unix::fs::PermissionsExt;
    let t = with_canary(Test::new())
        .item("S-5", "title: Locked\nstatus: draft\ngoal: G-1\n", "")
        .file("plan/locked-dir/S-6.md", "---\nid: S-6\n---\n");
    let file = t.path().join("plan/S-5.md");
    let dir = t.path().join("plan/locked-dir");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o000)).unwrap();
    // As root, permissions do not block reads: then only the no-panic and canary parts apply.
    let blocked = std::fs::read(&file).is_err();

    let out = check_all_formats(&t);
    let listed = listed_ids(&t);

    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();

    if blocked {
        assert_eq!(
            findings_in(&out, "plan/S-5.md"),
            vec![("parse-error".into(), "plan/S-5.md".into(), 1, 1)]
        );
        assert!(!listed.contains(&"S-5".to_string()));
    } else {
        eprintln!("running as root: chmod 000 does not block reads; checked no-panic only");
    }
}

#[test]
fn duplicate_keys_are_a_located_parse_error() {
    let t = with_canary(Test::new()).item(
        "S-5",
        "title: First title\nstatus: draft\ngoal: G-1\ntitle: Second title\n",
        "",
    );
    let out = check_all_formats(&t);
    assert_eq!(
        findings_in(&out, "plan/S-5.md"),
        vec![("parse-error".into(), "plan/S-5.md".into(), 6, 1)],
        "points at the second `title:`"
    );
    let show = t.run(&["show", "S-5", "--format", "json"]);
    assert_eq!(show.code, 0, "{}", show.stderr);
    assert_eq!(show.json()["title"], "First title", "the first one wins");
}

#[test]
fn non_string_keys_are_a_located_parse_error() {
    let t = with_canary(Test::new()).item(
        "S-5",
        "title: Odd keys\nstatus: draft\ngoal: G-1\n1: one\n[a, b]: list\n? {k: v}\n: map\n",
        "",
    );
    let out = check_all_formats(&t);
    let f = findings_in(&out, "plan/S-5.md");
    assert_eq!(
        f,
        vec![
            ("parse-error".into(), "plan/S-5.md".into(), 6, 1),
            ("parse-error".into(), "plan/S-5.md".into(), 7, 1),
            ("parse-error".into(), "plan/S-5.md".into(), 8, 3),
        ]
    );
}

#[test]
fn files_in_hidden_folders_are_ignored() {
    let t = with_canary(Test::new())
        .file(
            "plan/.drafts/x.md",
            "---\nid: S-7\ntitle: Draft\nstatus: draft\ngoal: G-999\n---\n[x](nowhere.md)\n",
        )
        .file("plan/.drafts/junk.md", b"\0\xff\xfe not even text");
    let out = check_all_formats(&t);
    assert!(
        out.findings().iter().all(|f| !f.1.contains(".drafts")),
        "{:?}",
        out.findings()
    );
    assert!(!listed_ids(&t).contains(&"S-7".to_string()));
}

#[test]
fn files_ignored_by_gitignore_are_skipped_in_a_git_repo() {
    let t = with_canary(Test::new())
        .file(".gitignore", "plan/ignored/\n*.local.md\n")
        .file(
            "plan/ignored/S-7.md",
            "---\nid: S-7\ntitle: Ignored\nstatus: draft\ngoal: G-999\n---\n",
        )
        .file("plan/scratch.local.md", b"\0\0 binary scratch");
    git(t.path(), &["init", "-q"]);
    let out = check_all_formats(&t);
    assert!(
        out.findings()
            .iter()
            .all(|f| !f.1.contains("ignored") && !f.1.contains("local")),
        "{:?}",
        out.findings()
    );
    assert!(!listed_ids(&t).contains(&"S-7".to_string()));
}

#[test]
fn markdown_without_front_matter_is_a_document_whose_links_are_checked() {
    let line = "See [the goal](goals/G-9.md), [a story](S-98.md) and [bad](S-98.md#nope).";
    let bad_col = line.find("[bad]").unwrap() as u64 + 1;
    let t = with_canary(Test::new()).file("plan/README.md", format!("# Plan notes\n\n{line}\n"));
    let out = check_all_formats(&t);
    let f = findings_in(&out, "plan/README.md");
    assert_eq!(
        f,
        vec![
            ("broken-link".into(), "plan/README.md".into(), 3, 5),
            ("broken-anchor".into(), "plan/README.md".into(), 3, bad_col),
        ]
    );
    assert_eq!(out.json()["items"], 3, "a document is not an item");
    assert!(
        out.rules().iter().all(|r| r != "missing-field"),
        "a document needs no id: {:?}",
        out.findings()
    );
}
