//! The site in headless Chromium, driven over the DevTools protocol by tests/site/browser.mjs
//! (Node.js, no packages): every page reachable from index.html is opened; every internal link
//! and anchor must resolve, no page may request anything but the site's own files or log an
//! error, every item must be reachable; the search box and the board's filters are used.
//! Skipped, with a note, when `chromium` or `node` is missing.

use crate::build::html_pages;
use crate::check::run_with_timeout;
use crate::plans::{built, example, generated};
use serde_json::{json, Value};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

fn available(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Runs the browser script over the site in `dir`; `None` when Chromium or Node.js is missing.
fn browse(dir: &Path, spec: Value) -> Option<Value> {
    if !available("chromium") || !available("node") {
        eprintln!("note: chromium or node is not installed; skipping the browser test");
        return None;
    }
    let profile = tempfile::tempdir().unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/site/browser.mjs");
    let args = vec![
        script.to_string_lossy().into_owned(),
        dir.to_string_lossy().into_owned(),
        profile.path().to_string_lossy().into_owned(),
        spec.to_string(),
    ];
    let (ok, out, err) =
        run_with_timeout("node", &args, Duration::from_secs(600)).expect("node starts");
    assert!(ok, "the browser script failed:\n{err}\n{out}");
    let report: Value =
        serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("{e}: {out}\n{err}"));
    assert!(
        report["error"].is_null(),
        "the browser script failed: {}",
        report["error"]
    );
    Some(report)
}

/// The checks every site must pass, whatever its plan.
fn assert_sound(dir: &Path, report: &Value) {
    for key in ["requests", "console", "broken", "missing_pages"] {
        assert_eq!(report[key], json!([]), "{key}: {:#}", report[key]);
    }
    let visited: Vec<String> = report["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect();
    let index: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("search.json")).unwrap()).unwrap();
    for item in index["items"].as_array().unwrap() {
        let url = item["url"].as_str().unwrap();
        assert!(
            visited.iter().any(|v| v == url),
            "{url} is not reachable from index.html"
        );
    }
    assert_eq!(
        visited.len(),
        html_pages(dir).len(),
        "every page is reachable"
    );
}

#[test]
fn the_example_site_works_in_a_browser() {
    let t = example();
    let dir = built(&t);
    let spec = json!({
        "searches": ["S-14", "sso", "priya", "recur", "zzzz"],
        "board": [
            {},
            { "select": { "sprint": "2027-S2" } },
            { "select": { "sprint": "2027-S2", "people": "jonas" } },
            { "hash": { "tag": "sso" } },
            { "hash": { "goal": "G-3" } },
        ],
    });
    let Some(r) = browse(&dir, spec) else { return };
    assert_sound(&dir, &r);
    // Typing lists the matching items; Enter opens the first.
    let s = &r["search"];
    assert_eq!(s["S-14"]["ids"], json!(["S-14"]));
    assert_eq!(s["S-14"]["opened"], "items/S-14.html");
    assert_eq!(s["S-14"]["status"], "1 item matches");
    let sso: Vec<&str> = s["sso"]["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for id in ["S-19", "S-23"] {
        assert!(sso.contains(&id), "sso: {sso:?}");
    }
    assert!(
        s["priya"]["ids"].as_array().unwrap().len() >= 10,
        "{}",
        s["priya"]
    );
    assert!(
        s["recur"]["ids"]
            .as_array()
            .unwrap()
            .contains(&json!("S-5")),
        "body words: {}",
        s["recur"]
    );
    assert_eq!(s["zzzz"]["ids"], json!([]));
    assert_eq!(s["zzzz"]["status"], "0 items match");
    // The board's filters hide and show cards, per column, and the address keeps them.
    let b = r["board"].as_array().unwrap();
    assert_eq!(b[0]["visible"].as_array().unwrap().len(), 30);
    assert_eq!(b[0]["status"], "30 cards");
    assert!(b[0]["form_shown"].as_bool().unwrap());
    let s2 = b[1]["visible"].as_array().unwrap();
    assert_eq!(b[1]["status"], format!("{} of 30 cards", s2.len()));
    assert!(
        s2.contains(&json!("S-14")) && !s2.contains(&json!("S-5")),
        "{s2:?}"
    );
    assert_eq!(b[1]["hash"], "#sprint=2027-S2");
    assert_eq!(
        b[1]["counts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_u64().unwrap())
            .sum::<u64>(),
        s2.len() as u64
    );
    let both = b[2]["visible"].as_array().unwrap();
    assert!(!both.is_empty() && both.len() < s2.len(), "{both:?}");
    assert_eq!(b[2]["hash"], "#sprint=2027-S2&person=jonas");
    assert_eq!(b[3]["visible"].as_array().unwrap().len(), 4, "{}", b[3]);
    let g3 = b[4]["visible"].as_array().unwrap();
    assert!(g3.contains(&json!("S-19")) && !g3.contains(&json!("S-5")));
}

#[test]
fn a_thousand_item_site_works_in_a_browser() {
    let t = generated(91); // 91 goals and 910 stories
    let dir = built(&t);
    let spec = json!({
        "searches": ["S-500", "word777", "goal 12"],
        "board": [{ "hash": { "tag": "t3", "sprint": "2027-S1" } }],
    });
    let Some(r) = browse(&dir, spec) else { return };
    assert_sound(&dir, &r);
    assert_eq!(r["search"]["S-500"]["ids"][0], "S-500");
    assert_eq!(r["search"]["word777"]["ids"], json!(["S-777"]));
    assert!(r["search"]["goal 12"]["ids"]
        .as_array()
        .unwrap()
        .contains(&json!("G-12")));
    let visible = r["board"][0]["visible"].as_array().unwrap();
    let expected = (1..=910).filter(|n| n % 7 == 3 && n % 3 == 0).count();
    assert_eq!(visible.len(), expected, "{}", r["board"][0]["status"]);
}
