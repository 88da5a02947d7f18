//! `cairn init` (SPEC §1, §2) and the README's promises.

mod common;
use common::plans::list_ids;
use common::Test;
use std::collections::BTreeMap;
use std::path::Path;

// ---------------------------------------------------------------------------------------------
// init

fn snapshot(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, root, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

#[test]
fn init_creates_a_plan_that_checks_clean() {
    let t = Test::empty();
    let out = t.run(&["init"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let files: Vec<String> = snapshot(t.path()).into_keys().collect();
    assert!(files.contains(&"cairn.yaml".to_string()), "{files:?}");
    assert!(
        files
            .iter()
            .any(|f| f.starts_with("plan/goals/") && f.ends_with(".md")),
        "{files:?}"
    );
    assert!(
        files
            .iter()
            .any(|f| f.starts_with("plan/stories/") && f.ends_with(".md")),
        "{files:?}"
    );
    for f in &files {
        assert!(
            out.stdout.contains(f.as_str()),
            "init names {f}: {}",
            out.stdout
        );
    }

    let check = t.check();
    assert_eq!(check.code, 0, "{}", check.stdout);
    assert_eq!(check.rules(), Vec::<String>::new());
    assert!(check.json()["items"].as_u64().unwrap() >= 2);
    let human = t.run(&["check", "--deny", "warnings"]);
    assert_eq!(human.code, 0, "{}", human.stdout);
    assert!(human.stdout.contains("no findings"), "{}", human.stdout);
    // The scaffold lists and shows.
    assert_eq!(list_ids(&t, &[]).len(), files.len() - 1);
}

#[test]
fn init_with_dash_c_writes_there() {
    let t = Test::empty();
    std::fs::create_dir(t.path().join("project")).unwrap();
    let out = t.run(&["-C", "project", "init"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(t.path().join("project/cairn.yaml").is_file());
    assert!(!t.path().join("cairn.yaml").exists());
}

#[test]
fn init_a_second_time_refuses_and_changes_nothing() {
    let t = Test::empty();
    assert_eq!(t.run(&["init"]).code, 0);
    // The user edits the scaffold…
    let story = snapshot(t.path())
        .into_keys()
        .find(|f| f.starts_with("plan/stories/"))
        .unwrap();
    std::fs::write(t.path().join(&story), "my own words\n").unwrap();
    let before = snapshot(t.path());

    let out = t.run(&["init"]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(out.stderr.contains("already exists"), "{}", out.stderr);
    assert_eq!(snapshot(t.path()), before, "nothing changed");

    // Even when only part of the scaffold is there.
    let t = Test::empty().config("plan_dir: plan\n# mine\n");
    let before = snapshot(t.path());
    let out = t.run(&["init"]);
    assert_eq!(out.code, 2);
    assert_eq!(snapshot(t.path()), before);
}

// ---------------------------------------------------------------------------------------------
// README

#[test]
fn readme_quick_start_checks_the_example_plan() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(manifest.join("README.md")).unwrap();
    assert!(
        readme.contains("cargo run --release -- -C docs/example check"),
        "the README's quick start changed; update this test"
    );
    let example = manifest.join("docs/example");
    let t = Test::empty();
    let out = t.run(&["-C", example.to_str().unwrap(), "check"]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("no findings"), "{}", out.stdout);
    // Relative, as the README writes it, from the manifest folder.
    let out = t.run_in(manifest, &["-C", "docs/example", "check"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
}
