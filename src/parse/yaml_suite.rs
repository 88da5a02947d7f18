//! Cross-check against the YAML test suite (github.com/yaml/yaml-test-suite), which nobody here
//! wrote. The suite is not committed; point `CAIRN_YAML_TEST_SUITE` at a checkout of its `data`
//! branch (one folder per case, with `in.yaml`, `error` for invalid YAML, `in.json`) and run
//!
//! ```text
//! CAIRN_YAML_TEST_SUITE=/path/to/yaml-test-suite-data \
//!     cargo test --lib yaml_suite -- --ignored --nocapture
//! ```
//!
//! Four checks per case:
//! - **verdict**: saphyr-parser's event stream fails exactly on the cases marked `error`;
//! - **documents**: [`yaml::parse_full`] (one document, as front matter is) agrees on every
//!   valid case of one document and fails on every invalid one;
//! - **fast path**: whenever [`fast_yaml::parse`] answers, it answers what the full parser does;
//! - **data**: the tree equals `in.json` where JSON can hold it (string keys, finite numbers,
//!   no tags but `!!str`), which checks the core schema's scalar resolution.

use super::fast_yaml;
use super::yaml::{self, Node, Origin, Value};
use std::path::{Path, PathBuf};

struct Case {
    name: String,
    yaml: String,
    error: bool,
    json: Option<Vec<serde_json::Value>>,
}

fn cases(root: &Path) -> Vec<Case> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    for entry in std::fs::read_dir(root)
        .expect("read the suite folder")
        .flatten()
    {
        let path = entry.path();
        // `name/` and `tags/` only link to the cases again.
        let id = entry.file_name().to_string_lossy().into_owned();
        if !path.is_dir()
            || id.len() != 4
            || !id
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        {
            continue;
        }
        if path.join("in.yaml").exists() {
            dirs.push(path);
        } else {
            for sub in std::fs::read_dir(&path).unwrap().flatten() {
                if sub.path().join("in.yaml").exists() {
                    dirs.push(sub.path());
                }
            }
        }
    }
    dirs.sort();
    dirs.into_iter()
        .map(|dir| {
            let name = dir.strip_prefix(root).unwrap().display().to_string();
            let yaml = std::fs::read_to_string(dir.join("in.yaml")).expect("in.yaml is UTF-8");
            let json = std::fs::read_to_string(dir.join("in.json")).ok().map(|t| {
                serde_json::Deserializer::from_str(&t)
                    .into_iter::<serde_json::Value>()
                    .collect::<Result<Vec<_>, _>>()
                    .expect("in.json")
            });
            Case {
                name,
                yaml,
                error: dir.join("error").exists(),
                json,
            }
        })
        .collect()
}

/// Whether saphyr-parser reads the whole stream without an error, and how many documents.
fn events(text: &str) -> Result<usize, String> {
    let mut parser = saphyr_parser::Parser::new_from_str(text);
    let mut docs = 0;
    while let Some(event) = parser.next_event() {
        match event {
            Ok((saphyr_parser::Event::DocumentStart(_), _)) => docs += 1,
            Ok(_) => {}
            Err(e) => return Err(e.to_string()),
        }
    }
    Ok(docs)
}

/// The tree as JSON, or `None` where JSON cannot hold it.
fn to_json(node: &Node) -> Option<serde_json::Value> {
    use serde_json::Value as J;
    Some(match &node.value {
        Value::Null => J::Null,
        Value::Bool(b, _) => J::Bool(*b),
        Value::Int(i, _) => J::from(*i),
        Value::Float(f, _) => J::from(serde_json::Number::from_f64(*f)?),
        Value::Str(s) => J::String(s.clone()),
        Value::Seq(items) => J::Array(items.iter().map(to_json).collect::<Option<_>>()?),
        Value::Map(entries) => {
            let mut map = serde_json::Map::new();
            for (k, v) in entries {
                map.insert(k.as_str()?.to_string(), to_json(v)?);
            }
            J::Object(map)
        }
    })
}

fn same_json(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value as J;
    match (a, b) {
        (J::Number(x), J::Number(y)) => x.as_f64() == y.as_f64(),
        (J::Array(x), J::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_json(a, b))
        }
        (J::Object(x), J::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

#[test]
#[ignore = "needs the YAML test suite: set CAIRN_YAML_TEST_SUITE (see the module docs)"]
fn agrees_with_the_yaml_test_suite() {
    let root = std::env::var_os("CAIRN_YAML_TEST_SUITE")
        .expect("set CAIRN_YAML_TEST_SUITE to a checkout of the suite's data branch");
    let cases = cases(Path::new(&root));
    assert!(cases.len() > 300, "found only {} cases", cases.len());
    let origin = Origin { first_line: 1 };
    let mut wrong = Vec::new();
    let (mut verdicts, mut single, mut single_ok, mut fast, mut data, mut data_ok) =
        (0, 0, 0, 0, 0, 0);
    let mut data_differs = Vec::new();
    for case in &cases {
        let stream = events(&case.yaml);
        if stream.is_err() == case.error {
            verdicts += 1;
        } else {
            wrong.push(format!(
                "{} verdict: {stream:?}, suite error: {}",
                case.name, case.error
            ));
        }
        let full = yaml::parse_full(&case.yaml, origin);
        if let Some(f) = fast_yaml::parse(&case.yaml, origin) {
            fast += 1;
            if full.as_ref() != Ok(&f) {
                wrong.push(format!(
                    "{} fast path: {f:?}, full parser: {full:?}",
                    case.name
                ));
            }
        }
        // Front matter is one document; streams of several are an error by design.
        if case.error || stream.as_ref().is_ok_and(|&d| d <= 1) {
            single += 1;
            if full.is_err() == case.error {
                single_ok += 1;
            } else {
                wrong.push(format!(
                    "{} document: {full:?}, suite error: {}",
                    case.name, case.error
                ));
            }
        }
        if let (Ok(node), Some(json), false) = (&full, &case.json, case.error) {
            let tagged = case.yaml.contains('!') && {
                // Tags other than `!!str` change values in ways cairn does not follow.
                let t = case.yaml.replace("!!str", "");
                t.contains("!!") || t.contains(" !") || t.starts_with('!') || t.contains("\n!")
            };
            let expected = match json.as_slice() {
                [] => Some(serde_json::Value::Null),
                [one] => Some(one.clone()),
                _ => None,
            };
            if let (Some(expected), Some(ours), false) = (expected, to_json(node), tagged) {
                data += 1;
                if same_json(&ours, &expected) {
                    data_ok += 1;
                } else {
                    data_differs.push(format!("{}: ours {ours}, suite {expected}", case.name));
                }
            }
        }
    }
    eprintln!(
        "YAML test suite: {} cases; verdicts {verdicts}/{}; one-document verdicts {single_ok}/{single}; \
         fast path answered {fast}, all agreeing unless listed; data {data_ok}/{data}",
        cases.len(),
        cases.len()
    );
    for d in &data_differs {
        eprintln!("  data differs: {d}");
    }
    assert!(
        wrong.is_empty(),
        "{} disagreements:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    assert!(
        data_differs.is_empty(),
        "{} data differences",
        data_differs.len()
    );
}
