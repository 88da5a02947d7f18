//! `cairn list` and its filters, and `cairn show ID` (SPEC §10): tables, JSON and CSV.

mod common;
use common::plans::*;
use common::{keys, set, Test};
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------------
// list

/// A plan for listing: two goals, four stories, sprints, tags, owners.
fn listing() -> Test {
    Test::new()
        .config(
            "sprints:\n  - { name: 2027-S1, start: 2027-01-04, end: 2027-01-15, capacity: 30 }\n  - { name: 2027-S2, start: 2027-01-18, end: 2027-01-29, capacity: 30 }\n",
        )
        .item(
            "G-1",
            "title: Automation\nstatus: active\ntags: [ai]\nowner: priya\nmoscow: must\n",
            "",
        )
        .item("G-2", "title: Mobile\nstatus: proposed\n", "")
        .item(
            "S-1",
            "title: Recurring tasks\nstatus: draft\ngoal: G-1\nestimate: 3\nsprint: 2027-S1\ntags: [x]\nowner: alice\n",
            "",
        )
        .item(
            "S-2",
            "title: Suggest assignee\nstatus: in-progress\ngoal: G-1\nestimate: 5\nsprint: 2027-S2\ntags: [y]\nassignee: bob\nmoscow: should\n",
            "",
        )
        .item(
            "S-10",
            "title: Offline sync\nstatus: done\ngoal: G-2\nestimate: 8\ntags: [x, y]\nowner: carol\n",
            "",
        )
        .item(
            "S-3",
            "title: 'Say \"hi\", world'\nstatus: dropped\ngoal: G-2\n",
            "",
        )
}

#[test]
fn list_table_is_sorted_by_kind_then_number() {
    let t = listing();
    let out = t.run(&["list"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines[0].split_whitespace().collect::<Vec<_>>(),
        vec!["ID", "KIND", "STATUS", "EST", "SPRINT", "PARENT", "TITLE"]
    );
    let first_col: Vec<&str> = lines[1..]
        .iter()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(first_col, vec!["G-1", "G-2", "S-1", "S-2", "S-3", "S-10"]);
    let s2 = lines.iter().find(|l| l.starts_with("S-2 ")).unwrap();
    assert_eq!(
        s2.split_whitespace().collect::<Vec<_>>(),
        vec![
            "S-2",
            "story",
            "in-progress",
            "5",
            "2027-S2",
            "G-1",
            "Suggest",
            "assignee"
        ]
    );
    // Columns line up: every row's KIND starts where the header's does.
    let kind_col = lines[0].find("KIND").unwrap();
    for l in &lines[1..] {
        assert_eq!(
            &l[kind_col..kind_col + 1],
            if l.starts_with('G') { "g" } else { "s" },
            "{l}"
        );
    }
}

#[test]
fn list_json_has_exactly_the_documented_keys() {
    let t = listing();
    let out = t.run(&["list", "--format", "json"]);
    assert_eq!(out.code, 0);
    let doc = out.json();
    assert_eq!(keys(&doc), set(&["version", "items"]));
    assert_eq!(doc["version"], 1);
    let want = set(&[
        "id", "kind", "title", "status", "category", "file", "parent", "estimate", "sprint",
        "moscow", "tags",
    ]);
    for item in doc["items"].as_array().unwrap() {
        assert_eq!(keys(item), want, "{item}");
    }
    let s2 = &doc["items"][3];
    assert_eq!(
        *s2,
        json!({
            "id": "S-2", "kind": "story", "title": "Suggest assignee", "status": "in-progress",
            "category": "doing", "file": "plan/S-2.md", "parent": "G-1", "estimate": 5.0,
            "sprint": "2027-S2", "moscow": "should", "tags": ["y"]
        })
    );
    let g2 = &doc["items"][1];
    assert_eq!(g2["parent"], Value::Null);
    assert_eq!(g2["estimate"], Value::Null);
    assert_eq!(g2["sprint"], Value::Null);
    assert_eq!(g2["moscow"], Value::Null);
    assert_eq!(g2["tags"], json!([]));
}

#[test]
fn list_csv_is_rfc_4180() {
    let t = listing();
    let out = t.run(&["list", "--format", "csv", "--kind", "story"]);
    assert_eq!(out.code, 0);
    assert!(
        out.stdout.starts_with(
            "id,kind,title,status,category,file,parent,estimate,sprint,moscow,tags\r\n"
        ),
        "{:?}",
        out.stdout
    );
    let lines: Vec<&str> = out.stdout.split_terminator("\r\n").collect();
    assert_eq!(lines.len(), 5, "{:?}", out.stdout);
    assert!(!out.stdout.replace("\r\n", "").contains('\n'));
    assert_eq!(
        lines[3],
        "S-3,story,\"Say \"\"hi\"\", world\",dropped,dropped,plan/S-3.md,G-2,,,,"
    );
    assert_eq!(
        lines[1],
        "S-1,story,Recurring tasks,draft,todo,plan/S-1.md,G-1,3,2027-S1,,x"
    );
}

#[test]
fn list_filters() {
    let t = listing();
    let cases: &[(&[&str], &[&str])] = &[
        (&[], &["G-1", "G-2", "S-1", "S-2", "S-3", "S-10"]),
        (&["--kind", "goal"], &["G-1", "G-2"]),
        (&["--kind", "story"], &["S-1", "S-2", "S-3", "S-10"]),
        (&["--status", "draft"], &["S-1"]),
        (&["--status", "draft,done"], &["S-1", "S-10"]),
        (
            &["--status", "draft", "--status", "proposed"],
            &["G-2", "S-1"],
        ),
        (&["--category", "doing"], &["G-1", "S-2"]),
        (&["--category", "todo"], &["G-2", "S-1"]),
        (&["--category", "done,dropped"], &["S-3", "S-10"]),
        (&["--goal", "G-1"], &["S-1", "S-2"]),
        (&["--goal", "G-2"], &["S-3", "S-10"]),
        (&["--tag", "x"], &["S-1", "S-10"]),
        (&["--tag", "ai"], &["G-1"]),
        (&["--owner", "alice"], &["S-1"]),
        (&["--owner", "bob"], &["S-2"]),
        (&["--owner", "priya,carol"], &["G-1", "S-10"]),
        (&["--sprint", "2027-S1"], &["S-1"]),
        (&["--sprint", "2027-S1,2027-S2"], &["S-1", "S-2"]),
        (&["--kind", "story", "--tag", "y"], &["S-2", "S-10"]),
        (&["--goal", "G-1", "--status", "in-progress"], &["S-2"]),
        (&["--owner", "nobody"], &[]),
    ];
    for (args, want) in cases {
        assert_eq!(list_ids(&t, args), *want, "list {args:?}");
    }
    // The table says so when nothing matches.
    let out = t.run(&["list", "--owner", "nobody"]);
    assert_eq!(out.code, 0);
    assert!(!out.stdout.trim().is_empty());
    // An unknown kind is a usage error.
    let out = t.run(&["list", "--kind", "epic"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("epic"), "{}", out.stderr);
}

// ---------------------------------------------------------------------------------------------
// show

/// A goal with three stories: S-1 done (2 points), S-2 draft (6 points), S-3 done without an
/// estimate; S-4 depends on S-1; S-1 has acceptance criteria, one box of four checked.
fn showing(s3_estimate: bool) -> Test {
    let est = if s3_estimate { "estimate: 2\n" } else { "" };
    Test::new()
        .item(
            "G-1",
            "title: Automation\nstatus: active\nowner: priya\nrice: { reach: 100, impact: 1, confidence: 50%, effort: 2 }\n",
            "Why it matters.\n",
        )
        .item(
            "S-1",
            "title: Recurring tasks\nstatus: done\ngoal: G-1\nestimate: 2\n",
            "As a lead, I can make a task recur, so that I stop re-creating it.\n\n## Acceptance criteria\n- [x] daily\n- [ ] weekly\n- [ ] monthly\n- [ ] yearly\n",
        )
        .item("S-2", "title: Rules\nstatus: draft\ngoal: G-1\nestimate: 6\n", "")
        .item(
            "S-3",
            &format!("title: Summaries\nstatus: done\ngoal: G-1\n{est}"),
            "",
        )
        .item(
            "S-4",
            "title: Run log\nstatus: draft\ngoal: G-1\nestimate: 1\ndepends_on: [S-1, S-2]\n",
            "",
        )
}

fn show_json(t: &Test, id: &str) -> Value {
    let out = t.run(&["show", id, "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.json()
}

#[test]
fn show_json_has_every_front_matter_field_and_the_body() {
    let t = showing(true).item(
        "S-9",
        "title: Export\nstatus: draft\ngoal: G-1\nestimate: 0.5\nrice: { reach: 10, impact: 2, confidence: 80%, effort: 1 }\ncustomer_tier: pro\nflag: true\n",
        "As a user, I can export.\n\n## Acceptance criteria\n- [ ] CSV\n",
    );
    let s9 = show_json(&t, "S-9");
    assert_eq!(
        s9["fields"],
        json!({
            "id": "S-9", "title": "Export", "status": "draft", "goal": "G-1", "estimate": 0.5,
            "rice": {"reach": 10, "impact": 2, "confidence": "80%", "effort": 1},
            "customer_tier": "pro", "flag": true,
        })
    );
    assert_eq!(
        s9["body"],
        "As a user, I can export.\n\n## Acceptance criteria\n- [ ] CSV\n"
    );
    let keys: Vec<&String> = s9.as_object().unwrap().keys().collect();
    assert_eq!(
        keys[0], "version",
        "version comes first, as in every document"
    );
}

#[test]
fn show_json_has_the_list_keys_plus_relations_progress_and_score() {
    let t = showing(true);
    let s1 = show_json(&t, "S-1");
    let want = set(&[
        "version",
        "id",
        "kind",
        "title",
        "status",
        "category",
        "file",
        "parent",
        "estimate",
        "sprint",
        "moscow",
        "tags",
        "children",
        "depends_on",
        "dependents",
        "progress",
        "score",
    ]);
    let have = keys(&s1);
    assert!(
        have.is_superset(&want),
        "missing: {:?}",
        want.difference(&have).collect::<Vec<_>>()
    );
    assert_eq!(s1["version"], 1);
    assert_eq!(s1["id"], "S-1");
    assert_eq!(s1["kind"], "story");
    assert_eq!(s1["parent"], "G-1");
    assert_eq!(s1["category"], "done");
    assert_eq!(s1["children"], json!([]));
    assert_eq!(s1["depends_on"], json!([]));
    assert_eq!(s1["dependents"], json!(["S-4"]));
    assert_eq!(s1["progress"], 0.25, "1 of 4 acceptance criteria");
    assert_eq!(s1["score"], Value::Null, "no RICE inputs");

    let s4 = show_json(&t, "S-4");
    assert_eq!(s4["depends_on"], json!(["S-1", "S-2"]));
    assert_eq!(s4["progress"], Value::Null, "no acceptance criteria");

    let g1 = show_json(&t, "G-1");
    assert_eq!(g1["children"], json!(["S-1", "S-2", "S-3", "S-4"]));
    assert_eq!(g1["parent"], Value::Null);
    assert_eq!(g1["score"], 25.0, "100 × 1 × 0.5 / 2");

    // The list row is the same in both.
    let list = t.run(&["list", "--format", "json"]).json();
    let row = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "S-1")
        .unwrap()
        .clone();
    for (k, v) in row.as_object().unwrap() {
        assert_eq!(&s1[k], v, "{k}");
    }
}

#[test]
fn goal_progress_is_done_points_over_total_points() {
    let g1 = show_json(&showing(true), "G-1");
    // Done: S-1 (2) + S-3 (2) of 2 + 6 + 2 + 1 = 11.
    let p = g1["progress"].as_f64().unwrap();
    assert!((p - 4.0 / 11.0).abs() < 1e-9, "{p}");
}

#[test]
fn goal_progress_counts_stories_when_one_lacks_an_estimate() {
    let g1 = show_json(&showing(false), "G-1");
    // S-3 has no estimate: 2 done stories of 4.
    assert_eq!(g1["progress"], 0.5);
}

#[test]
fn progress_zero_is_not_negative_zero() {
    let t = Test::new().goal("G-1").item(
        "S-1",
        "title: A\nstatus: draft\ngoal: G-1\nestimate: 3\n",
        "",
    );
    let out = t.run(&["show", "G-1", "--format", "json"]);
    assert_eq!(out.json()["progress"], 0.0);
    assert!(!out.stdout.contains("-0"), "{}", out.stdout);
    let out = t.run(&["show", "G-1"]);
    assert!(out.stdout.contains("0%"), "{}", out.stdout);
    assert!(!out.stdout.contains("-0"), "{}", out.stdout);
}

#[test]
fn show_human_prints_the_item_and_its_relations() {
    let t = showing(true);
    let out = t.run(&["show", "S-1"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let s = &out.stdout;
    assert!(
        s.lines().next().unwrap().contains("S-1") && s.contains("Recurring tasks"),
        "{s}"
    );
    assert!(s.contains("plan/S-1.md"), "{s}");
    assert!(s.contains("G-1  Automation"), "the parent: {s}");
    assert!(s.contains("S-4  Run log"), "the dependent: {s}");
    assert!(
        s.contains("25%") && s.contains("1/4"),
        "criteria progress: {s}"
    );
    assert!(
        s.contains("As a lead, I can make a task recur"),
        "the statement: {s}"
    );

    let out = t.run(&["show", "G-1"]);
    assert_eq!(out.code, 0);
    for child in ["S-1", "S-2", "S-3", "S-4"] {
        assert!(out.stdout.contains(child), "{}", out.stdout);
    }
    assert!(out.stdout.contains("25"), "score: {}", out.stdout);
    assert!(out.stdout.contains("36%"), "4/11 points: {}", out.stdout);
}

#[test]
fn show_unknown_id_is_exit_2_with_did_you_mean() {
    let t = showing(true);
    let out = t.run(&["show", "S-5"]);
    assert_eq!(out.code, 2);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert!(out.stderr.contains("S-5"), "{}", out.stderr);
    assert!(out.stderr.contains("did you mean"), "{}", out.stderr);
    let out = t.run(&["show", "s-1", "--format", "json"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("did you mean `S-1`"), "{}", out.stderr);
}

#[test]
fn show_back_222_1_says_which_file_declares_it_not_did_you_mean_back_221() {
    // Backlog.md's sub-task ids (`BACK-222.1`) are no cairn ids: the file is no item, and cairn
    // answered "did you mean BACK-221?" as if nothing declared the id.
    let t = Test::new()
        .config("kinds:\n  story: { prefix: BACK, parent: null }\n")
        .file(
            "plan/back-221.md",
            "---\nid: BACK-221\ntitle: Parent\nstatus: draft\n---\n",
        )
        .file(
            "plan/back-222.1.md",
            "---\nid: BACK-222.1\ntitle: Sub-task\nstatus: draft\n---\n",
        )
        .file(
            "plan/broken.md",
            "---\nid: BACK-7\ntitle: \"unterminated\n---\n",
        );
    let out = t.run(&["show", "BACK-222.1"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(
        out.stderr,
        "error: no item `BACK-222.1` in the plan: plan/back-222.1.md:2:5 declares it, but id `BACK-222.1` is not of the form `PREFIX-N`\n  help: ids look like `G-N` (goal), `BACK-N` (story)\n"
    );
    // The same one error from every command that takes an id.
    for args in [
        &["set", "BACK-222.1", "status=done"][..],
        &["renumber", "BACK-222.1"],
        &["rank", "--goal", "BACK-222.1"],
    ] {
        let other = t.run(args);
        assert_eq!(other.code, 2, "{args:?}: {}", other.stderr);
        assert_eq!(other.stderr, out.stderr, "{args:?}");
    }
    // A file that cannot be parsed: its finding, and what to fix.
    let out = t.run(&["show", "BACK-7"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.starts_with(
            "error: no item `BACK-7` in the plan: plan/broken.md:3:8 declares it, but the file is not an item (parse-error: invalid YAML in front matter"
        ),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("did you mean"), "{}", out.stderr);
    // An id nothing declares still gets its did-you-mean.
    let out = t.run(&["show", "BACK-22"]);
    assert_eq!(
        out.stderr,
        "error: no item `BACK-22` in the plan; did you mean `BACK-221`?\n"
    );
}

#[test]
fn csv_cells_starting_with_equals_passed_into_spreadsheets_as_formulas() {
    // OWASP "CSV injection": a title `=HYPERLINK(…)` ran as a formula in the spreadsheet that
    // opened `list --format csv`; tags holding `;` could not be told from two tags.
    let t = Test::new()
        .config("scoring:\n  method: formula\n  formula: \"gain - 10\"\nfields:\n  gain: { type: number }\n")
        .item("G-1", "title: \"@goal\"\nstatus: active\n", "")
        .item(
            "S-1",
            "title: \"=HYPERLINK(\\\"http://evil\\\",\\\"x\\\")\"\nstatus: draft\ngoal: G-1\nestimate: 2\ngain: 3\ntags: [\"+1\", \"a;b\", \"c\\\\d\"]\n",
            "",
        )
        .item("S-2", "title: \"-2 days\"\nstatus: draft\ngoal: G-1\ngain: 20\n", "");
    let csv = |args: &[&str]| {
        let out = t.run(args);
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
        out.stdout
    };
    let list = csv(&["list", "--format", "csv", "--kind", "story"]);
    let lines: Vec<&str> = list.split_terminator("\r\n").collect();
    assert_eq!(
        lines[1],
        "S-1,story,\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",draft,todo,plan/S-1.md,G-1,2,,,'+1;a\\;b;c\\\\d"
    );
    assert_eq!(
        lines[2],
        "S-2,story,'-2 days,draft,todo,plan/S-2.md,G-1,,,,"
    );
    let raw = csv(&["list", "--format", "csv", "--kind", "story", "--csv-raw"]);
    assert!(
        raw.contains("\"=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\""),
        "{raw}"
    );
    assert!(raw.contains(",+1;a\\;b;c\\\\d\r\n"), "{raw}");

    // A negative score is a number, not text: it stays as it is.
    let rank = csv(&["rank", "--format", "csv"]);
    assert_eq!(
        rank,
        "rank,id,title,kind,moscow,score,pulled_up_by\r\n\
         1,S-2,'-2 days,story,,10,\r\n\
         2,S-1,\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",story,,-7,\r\n"
    );
    let backlog = csv(&["report", "backlog", "--format", "csv"]);
    assert!(
        backlog.contains("\r\n1,S-2,'-2 days,G-1,draft,,,,10\r\n"),
        "{backlog}"
    );
    assert!(backlog.contains(",G-1,draft,2,,,-7\r\n"), "{backlog}");
    let roadmap = csv(&["report", "roadmap", "--format", "csv"]);
    assert!(roadmap.contains(",G-1,'@goal,active,"), "{roadmap}");
    let raw = csv(&["report", "roadmap", "--format", "csv", "--csv-raw"]);
    assert!(raw.contains(",G-1,@goal,active,"), "{raw}");

    // The flag says where it applies.
    let out = t.run(&["list", "--csv-raw"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("--csv-raw applies to --format csv only"),
        "{}",
        out.stderr
    );
}
