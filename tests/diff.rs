//! `cairn diff` (SPEC §5, §10) on real git repositories built in each test: two revisions, a
//! revision against the work tree, HEAD against the index, the JSON shape and the Markdown a pull
//! request comment shows.
//!
//! Update the snapshot with `INSTA_UPDATE=always cargo test --test diff` and read the `.snap`.

mod common;
use common::{git_in, Output, Test};
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------------
// Helpers

/// A git repository in a temp folder, with a plan in it.
struct Repo {
    t: Test,
}

impl Repo {
    /// `git init`, nothing committed.
    fn new() -> Repo {
        let t = Test::new();
        let r = Repo { t };
        r.git(&["init", "-q"]);
        r
    }

    fn git(&self, args: &[&str]) -> String {
        git_in(self.t.path(), args)
    }

    /// Writes a file relative to the root (folders created).
    fn write(&self, rel: &str, text: &str) -> &Self {
        let p = self.t.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    /// Writes an item at `plan/<id>.md` from front-matter lines.
    fn item(&self, id: &str, front_matter: &str) -> &Self {
        self.write(&format!("plan/{id}.md"), &item(id, front_matter))
    }

    fn remove(&self, rel: &str) -> &Self {
        std::fs::remove_file(self.t.path().join(rel)).unwrap();
        self
    }

    /// Stages everything and commits; `tag` names the commit.
    fn commit(&self, tag: &str) -> &Self {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", tag]);
        self.git(&["tag", tag]);
        self
    }

    /// `cairn diff ARGS`.
    fn diff(&self, args: &[&str]) -> Output {
        let mut all = vec!["diff"];
        all.extend_from_slice(args);
        let out = self.t.run(&all);
        assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
        out
    }

    /// `cairn diff ARGS --format json`, which must succeed.
    fn json(&self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        let out = self.diff(&all);
        assert_eq!(
            out.code, 0,
            "stdout:\n{}\nstderr:\n{}",
            out.stdout, out.stderr
        );
        out.json()
    }
}

fn item(id: &str, front_matter: &str) -> String {
    format!("---\nid: {id}\n{front_matter}---\n")
}

/// A first commit `v1`: goals G-1 and G-2, stories S-1 (ready, under G-1) and S-2.
fn base() -> Repo {
    let r = Repo::new();
    r.write(
        "cairn.yaml",
        "sprints:\n  - { name: 2027-S1, start: 2027-01-04, end: 2027-01-15 }\n  - { name: 2027-S2, start: 2027-01-18, end: 2027-01-29 }\n",
    )
    .item("G-1", "title: Onboarding\nstatus: active\n")
    .item("G-2", "title: Collaboration\nstatus: proposed\n")
    .item(
        "S-1",
        "title: Guided setup\nstatus: ready\ngoal: G-1\nestimate: 3\nsprint: 2027-S1\n",
    )
    .item("S-2", "title: Import from Trello\nstatus: draft\ngoal: G-1\n")
    .commit("v1");
    r
}

/// The `fields` of one changed item in a JSON diff, as `(field, from, to)`.
fn fields(doc: &Value, id: &str) -> Vec<(String, Value, Value)> {
    let changed = doc["changed"].as_array().expect("changed array");
    let entry = changed
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("{id} is not in changed: {doc:#}"));
    entry["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().to_string(),
                f["from"].clone(),
                f["to"].clone(),
            )
        })
        .collect()
}

fn change(field: &str, from: impl Into<Value>, to: impl Into<Value>) -> (String, Value, Value) {
    (field.to_string(), from.into(), to.into())
}

fn ids(doc: &Value, key: &str) -> Vec<String> {
    doc[key]
        .as_array()
        .unwrap_or_else(|| panic!("no {key} array: {doc:#}"))
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Two revisions

#[test]
fn items_added_removed_and_changed_between_two_commits() {
    let r = base();
    r.remove("plan/S-2.md")
        .item("S-3", "title: Export to CSV\nstatus: draft\ngoal: G-2\n")
        .item("G-3", "title: Reporting\nstatus: proposed\n")
        .item(
            "S-1",
            "title: Guided first-project setup\nstatus: ready\ngoal: G-1\nestimate: 3\nsprint: 2027-S1\n",
        )
        .commit("v2");
    let doc = r.json(&["v1..v2"]);
    assert_eq!(doc["from"], "v1");
    assert_eq!(doc["to"], "v2");
    assert_eq!(
        ids(&doc, "added"),
        ["G-3", "S-3"],
        "goals first, then stories"
    );
    assert_eq!(ids(&doc, "removed"), ["S-2"]);
    assert_eq!(
        fields(&doc, "S-1"),
        [change(
            "title",
            "Guided setup",
            "Guided first-project setup"
        )]
    );
    assert_eq!(doc["changed"].as_array().unwrap().len(), 1);
}

#[test]
fn the_range_is_read_from_git_without_touching_the_work_tree() {
    let r = base();
    r.item(
        "S-2",
        "title: Import from Trello\nstatus: dropped\ngoal: G-1\n",
    )
    .commit("v2");
    // An uncommitted edit and a broken file in the work tree do not matter to `v1..v2`.
    r.item("S-1", "title: Edited on disk\nstatus: ready\n")
        .write("plan/broken.md", "---\nid: S-9\ntitle: [oops\n---\n");
    let doc = r.json(&["v1..v2"]);
    assert_eq!(ids(&doc, "added"), Vec::<String>::new());
    assert_eq!(doc["changed"].as_array().unwrap().len(), 1);
    assert_eq!(doc["changed"][0]["id"], "S-2");
    // `A..` means `A..HEAD`, as in git.
    let open = r.json(&["v1.."]);
    assert_eq!(open["to"], "HEAD");
    assert_eq!(open["changed"], doc["changed"]);
}

#[test]
fn status_transition_with_its_category() {
    let r = base();
    r.item(
        "S-1",
        "title: Guided setup\nstatus: done\ngoal: G-1\nestimate: 3\nsprint: 2027-S1\n",
    )
    .item(
        "S-2",
        "title: Import from Trello\nstatus: ready\ngoal: G-1\n",
    )
    .commit("v2");
    let doc = r.json(&["v1..v2"]);
    assert_eq!(
        fields(&doc, "S-1"),
        [
            change("status", "ready", "done"),
            change("category", "todo", "done")
        ]
    );
    // draft → ready stays in `todo`: no category change to report.
    assert_eq!(fields(&doc, "S-2"), [change("status", "draft", "ready")]);
}

#[test]
fn re_parenting_is_named_after_the_parent_kind() {
    let r = base();
    r.item(
        "S-1",
        "title: Guided setup\nstatus: ready\ngoal: G-2\nestimate: 3\nsprint: 2027-S1\n",
    )
    .item("S-2", "title: Import from Trello\nstatus: draft\n")
    .commit("v2");
    let doc = r.json(&["v1..v2"]);
    assert_eq!(fields(&doc, "S-1"), [change("goal", "G-1", "G-2")]);
    assert_eq!(fields(&doc, "S-2"), [change("goal", "G-1", Value::Null)]);
}

#[test]
fn a_custom_parent_kind_names_the_field() {
    let r = Repo::new();
    r.write(
        "cairn.yaml",
        "kinds:\n  goal: { prefix: G }\n  epic: { prefix: E, parent: goal }\n  story: { prefix: S, parent: epic }\n",
    )
    .item("G-1", "title: Goal\nstatus: active\n")
    .item("E-1", "title: Epic one\nstatus: active\ngoal: G-1\n")
    .item("E-2", "title: Epic two\nstatus: active\ngoal: G-1\n")
    .item("S-1", "title: Story\nstatus: draft\nepic: E-1\n")
    .commit("v1");
    r.item("S-1", "title: Story\nstatus: draft\nepic: E-2\n")
        .commit("v2");
    let doc = r.json(&["v1..v2"]);
    assert_eq!(fields(&doc, "S-1"), [change("epic", "E-1", "E-2")]);
}

#[test]
fn sprint_move() {
    let r = base();
    r.item(
        "S-1",
        "title: Guided setup\nstatus: ready\ngoal: G-1\nestimate: 3\nsprint: 2027-S2\n",
    )
    .commit("v2");
    let doc = r.json(&["v1..v2"]);
    assert_eq!(
        fields(&doc, "S-1"),
        [change("sprint", "2027-S1", "2027-S2")]
    );
}

#[test]
fn estimate_and_rice_changes_with_the_score() {
    let r = base();
    r.item(
        "S-2",
        "title: Import from Trello\nstatus: draft\ngoal: G-1\nestimate: 2\nrice: { reach: 1200, impact: 1, confidence: 80%, effort: 0.5 }\n",
    )
    .commit("v2");
    r.item(
        "S-2",
        "title: Import from Trello\nstatus: draft\ngoal: G-1\nestimate: 5\nrice: { reach: 1000, impact: 1, confidence: 80%, effort: 3 }\n",
    )
    .commit("v3");
    let doc = r.json(&["v2..v3"]);
    assert_eq!(
        fields(&doc, "S-2"),
        [
            change("estimate", "2", "5"),
            change("rice.reach", "1200", "1000"),
            change("rice.effort", "0.5", "3"),
            // 1200 × 1 × 0.8 / 0.5 = 1920; 1000 × 1 × 0.8 / 3 = 266.666…, rounded to 2 decimals.
            change("score", "1920", "266.67"),
        ]
    );
    // Scoring inputs appearing for the first time: the score goes from null to a number.
    let doc = r.json(&["v1..v2"]);
    let s2 = fields(&doc, "S-2");
    assert!(s2.contains(&change("estimate", Value::Null, "2")), "{s2:?}");
    assert!(
        s2.contains(&change("rice.confidence", Value::Null, "0.8")),
        "{s2:?}"
    );
    assert!(s2.contains(&change("score", Value::Null, "1920")), "{s2:?}");
}

#[test]
fn an_unchanged_score_is_not_reported() {
    let r = base();
    r.item(
        "S-2",
        "title: Import from Trello\nstatus: draft\ngoal: G-1\nrice: { reach: 100, impact: 1, confidence: 1, effort: 1 }\n",
    )
    .commit("v2");
    // Doubling reach and effort changes the inputs but not the score.
    r.item(
        "S-2",
        "title: Import from Trello\nstatus: draft\ngoal: G-1\nrice: { reach: 200, impact: 1, confidence: 1, effort: 2 }\n",
    )
    .commit("v3");
    let doc = r.json(&["v2..v3"]);
    assert_eq!(
        fields(&doc, "S-2"),
        [
            change("rice.reach", "100", "200"),
            change("rice.effort", "1", "2")
        ]
    );
}

#[test]
fn list_fields_and_people() {
    let r = base();
    r.item(
        "S-2",
        "title: Import from Trello\nstatus: draft\ngoal: G-1\ndepends_on: [S-1]\ntags: [import, ux]\nowner: priya\n",
    )
    .commit("v2");
    r.item(
        "S-2",
        "title: Import from Trello\nstatus: draft\ngoal: G-1\ndepends_on: [S-10, S-1, S-9]\ntags: [ux, import]\nowner: sam\nassignee: lee\n",
    )
    .item("S-9", "title: Nine\nstatus: draft\ngoal: G-1\n")
    .item("S-10", "title: Ten\nstatus: draft\ngoal: G-1\n")
    .commit("v3");
    let doc = r.json(&["v2..v3"]);
    // depends_on is sorted (S-9 before S-10); reordered tags are no change.
    assert_eq!(
        fields(&doc, "S-2"),
        [
            change("depends_on", "S-1", "S-1, S-9, S-10"),
            change("owner", "priya", "sam"),
            change("assignee", Value::Null, "lee"),
        ]
    );
    assert_eq!(
        ids(&doc, "added"),
        ["S-9", "S-10"],
        "ordered by number, not as text"
    );
}

#[test]
fn goal_fields_and_custom_fields() {
    let r = base();
    r.write(
        "cairn.yaml",
        "fields:\n  customer_tier: { type: string, values: [free, pro, enterprise] }\n",
    )
    .item(
        "G-1",
        "title: Onboarding\nstatus: active\nhorizon: now\nmoscow: must\nkey_results: [Activation 40%]\ncustomer_tier: pro\n",
    )
    .commit("v2");
    r.item(
        "G-1",
        "title: Onboarding\nstatus: active\nhorizon: 2027-Q2\nmoscow: should\nkey_results:\n  - { metric: Activation, current: 30%, target: 40% }\ncustomer_tier: enterprise\n",
    )
    .commit("v3");
    let doc = r.json(&["v2..v3"]);
    assert_eq!(
        fields(&doc, "G-1"),
        [
            change("moscow", "must", "should"),
            change("horizon", "now", "2027-Q2"),
            change("key_results", "Activation 40%", "Activation (30% of 40%)"),
            change("customer_tier", "pro", "enterprise"),
        ]
    );
}

#[test]
fn a_renamed_file_keeps_its_id() {
    let r = base();
    r.git(&["mv", "plan/S-1.md", "plan/S-1-guided-setup.md"]);
    r.commit("v2");
    let doc = r.json(&["v1..v2"]);
    assert_eq!(ids(&doc, "added"), Vec::<String>::new());
    assert_eq!(ids(&doc, "removed"), Vec::<String>::new());
    assert_eq!(
        fields(&doc, "S-1"),
        [change("file", "plan/S-1.md", "plan/S-1-guided-setup.md")]
    );
}

#[test]
fn each_side_reads_its_own_config() {
    let r = base();
    // v2 moves the plan to `roadmap/` and adds a status: v1's config knows neither.
    r.git(&["mv", "plan", "roadmap"]);
    r.write(
        "cairn.yaml",
        "plan_dir: roadmap\nsprints:\n  - { name: 2027-S1, start: 2027-01-04, end: 2027-01-15 }\nkinds:\n  goal: { prefix: G, statuses: { proposed: todo, active: doing, achieved: done, dropped: dropped } }\n  story: { prefix: S, parent: goal, statuses: { draft: todo, ready: todo, blocked: doing, done: done, dropped: dropped } }\n",
    )
    .write(
        "roadmap/S-2.md",
        &item("S-2", "title: Import from Trello\nstatus: blocked\ngoal: G-1\n"),
    )
    .commit("v2");
    let doc = r.json(&["v1..v2"]);
    assert_eq!(ids(&doc, "added"), Vec::<String>::new());
    assert_eq!(ids(&doc, "removed"), Vec::<String>::new());
    assert_eq!(
        fields(&doc, "S-2"),
        [
            change("status", "draft", "blocked"),
            change("category", "todo", "doing"),
            change("file", "plan/S-2.md", "roadmap/S-2.md"),
        ]
    );
}

#[test]
fn three_dots_compare_from_the_merge_base() {
    let r = base();
    r.git(&["checkout", "-q", "-b", "feature"]);
    r.item("S-3", "title: Export to CSV\nstatus: draft\ngoal: G-2\n")
        .commit("f1");
    r.git(&["checkout", "-q", "main"]);
    r.item(
        "S-4",
        "title: Landed on main meanwhile\nstatus: draft\ngoal: G-2\n",
    )
    .commit("m1");
    // Two dots: main's new story looks removed on the branch. Three dots: only the branch's work.
    let two = r.json(&["main..feature"]);
    assert_eq!(ids(&two, "removed"), ["S-4"]);
    let three = r.json(&["main...feature"]);
    assert_eq!(ids(&three, "added"), ["S-3"]);
    assert_eq!(ids(&three, "removed"), Vec::<String>::new());
    assert_eq!(
        (&three["from"], &three["to"]),
        (&json!("main"), &json!("feature"))
    );
}

// ---------------------------------------------------------------------------------------------
// A revision against the work tree; HEAD against the index

#[test]
fn a_revision_against_the_work_tree() {
    let r = base();
    r.item(
        "S-1",
        "title: Guided setup\nstatus: in-progress\ngoal: G-1\nestimate: 3\nsprint: 2027-S1\n",
    );
    let doc = r.json(&["HEAD"]);
    assert_eq!(
        (&doc["from"], &doc["to"]),
        (&json!("HEAD"), &json!("work tree"))
    );
    assert_eq!(
        fields(&doc, "S-1"),
        [
            change("status", "ready", "in-progress"),
            change("category", "todo", "doing")
        ]
    );
    // Without a revision, `cairn diff` is `cairn diff HEAD`.
    assert_eq!(r.json(&[]), doc);
    // Uncommitted new files count too, staged or not.
    r.item("S-3", "title: New\nstatus: draft\ngoal: G-1\n");
    assert_eq!(ids(&r.json(&["v1"]), "added"), ["S-3"]);
}

#[test]
fn staged_shows_only_what_is_staged() {
    let r = base();
    // Stage one edit, then make another without staging it.
    r.item(
        "S-1",
        "title: Guided setup\nstatus: done\ngoal: G-1\nestimate: 3\nsprint: 2027-S1\n",
    );
    r.git(&["add", "plan/S-1.md"]);
    r.item(
        "S-1",
        "title: Guided setup, unstaged\nstatus: done\ngoal: G-1\nestimate: 8\nsprint: 2027-S1\n",
    )
    .item("S-3", "title: Not staged\nstatus: draft\ngoal: G-1\n");
    let doc = r.json(&["--staged"]);
    assert_eq!(
        doc,
        json!({
            "version": 1, "from": "HEAD", "to": "index", "added": [], "removed": [],
            "changed": [{"id": "S-1", "fields": [
                {"field": "status", "from": "ready", "to": "done"},
                {"field": "category", "from": "todo", "to": "done"},
            ]}]
        })
    );
    // The work tree has both edits and the new file.
    let wt = r.json(&[]);
    assert_eq!(ids(&wt, "added"), ["S-3"]);
    assert_eq!(fields(&wt, "S-1").len(), 4, "{wt:#}");
    // `--staged REV` compares that revision with the index.
    assert_eq!(r.json(&["--staged", "v1"])["changed"], doc["changed"]);
}

#[test]
fn staged_reads_the_index_named_in_git_index_file() {
    // `git commit -a` stages into a temporary index and names it in GIT_INDEX_FILE for hooks.
    let r = base();
    r.item(
        "S-2",
        "title: Import from Trello\nstatus: ready\ngoal: G-1\n",
    );
    let dir = r.t.path();
    let alt = dir.join(".git/next-index");
    std::fs::copy(dir.join(".git/index"), &alt).unwrap();
    let out = common::git_cmd(dir, &["add", "-A"])
        .env("GIT_INDEX_FILE", &alt)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(r.json(&["--staged"])["changed"], json!([]));
    let out = common::cairn_cmd(dir, &["diff", "--staged", "--format", "json"])
        .env("GIT_INDEX_FILE", ".git/next-index")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        doc["changed"],
        json!([{"id": "S-2", "fields": [{"field": "status", "from": "draft", "to": "ready"}]}])
    );
}

#[test]
fn staged_before_the_first_commit_is_all_added() {
    let r = Repo::new();
    r.item("G-1", "title: Onboarding\nstatus: active\n")
        .item("S-1", "title: Setup\nstatus: draft\ngoal: G-1\n");
    r.git(&["add", "plan/S-1.md", "plan/G-1.md"]);
    r.item("S-2", "title: Not staged\nstatus: draft\n");
    let doc = r.json(&["--staged"]);
    assert_eq!(ids(&doc, "added"), ["G-1", "S-1"]);
    assert_eq!(
        (&doc["from"], &doc["to"]),
        (&json!("HEAD"), &json!("index"))
    );
    // And the work tree against the missing HEAD: everything on disk.
    assert_eq!(ids(&r.json(&[]), "added"), ["G-1", "S-1", "S-2"]);
}

#[test]
fn an_unreadable_item_is_noted_not_reported_as_removed() {
    let r = base();
    r.write(
        "plan/S-2.md",
        "---\nid: S-2\ntitle: [oops\nstatus: draft\n---\n",
    );
    let out = r.diff(&["--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let doc = out.json();
    assert_eq!(ids(&doc, "removed"), Vec::<String>::new());
    assert!(
        out.stderr
            .contains("S-2 could not be read in the work tree (plan/S-2.md)"),
        "{}",
        out.stderr
    );
    let md = r.diff(&[]);
    assert!(md.stdout.contains("No plan changes."), "{}", md.stdout);
    assert!(
        md.stdout.contains("### Notes\n\n- S-2 could not be read"),
        "{}",
        md.stdout
    );
}

// ---------------------------------------------------------------------------------------------
// Output

#[test]
fn json_shape_is_exactly_the_documented_one() {
    let r = base();
    r.remove("plan/S-2.md")
        .item("S-3", "title: Export\nstatus: draft\ngoal: G-2\n")
        .item(
            "S-1",
            "title: Guided setup\nstatus: in-progress\ngoal: G-1\nestimate: 3\nsprint: 2027-S1\n",
        )
        .commit("v2");
    let out = r.diff(&["v1..v2", "--format", "json"]);
    assert_eq!(out.code, 0);
    assert_eq!(out.stderr, "");
    // Key order as documented, pretty-printed, one trailing newline.
    let expected = r#"{
  "version": 1,
  "from": "v1",
  "to": "v2",
  "added": [
    "S-3"
  ],
  "removed": [
    "S-2"
  ],
  "changed": [
    {
      "id": "S-1",
      "fields": [
        {
          "field": "status",
          "from": "ready",
          "to": "in-progress"
        },
        {
          "field": "category",
          "from": "todo",
          "to": "doing"
        }
      ]
    }
  ]
}
"#;
    assert_eq!(out.stdout, expected);
}

#[test]
fn json_when_nothing_changed() {
    let r = base();
    assert_eq!(
        r.json(&["v1..v1"]),
        json!({"version": 1, "from": "v1", "to": "v1", "added": [], "removed": [], "changed": []})
    );
}

#[test]
fn markdown_for_a_pull_request_comment() {
    let r = base();
    r.git(&["checkout", "-q", "-b", "feature"]);
    r.remove("plan/S-2.md")
        .item("S-3", "title: Export board | CSV\nstatus: draft\ngoal: G-2\n")
        .item("G-3", "title: Reporting\nstatus: proposed\n")
        .item(
            "S-1",
            "title: Guided first-project setup\nstatus: done\ngoal: G-2\nestimate: 5\nsprint: 2027-S2\nrice: { reach: 1200, impact: 1, confidence: 80%, effort: 0.5 }\n",
        )
        .item("G-2", "title: Collaboration\nstatus: active\n")
        .commit("f1");
    let out = r.diff(&["main..feature"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!("diff_markdown", out.stdout);
}

#[test]
fn markdown_when_nothing_changed() {
    let r = base();
    let out = r.diff(&[]);
    assert_eq!(out.code, 0);
    assert_eq!(
        out.stdout,
        "## Plan changes `HEAD` → work tree\n\nNo plan changes.\n"
    );
    let out = r.diff(&["--staged"]);
    assert_eq!(
        out.stdout,
        "## Plan changes `HEAD` → index\n\nNo plan changes.\n"
    );
}

#[test]
fn markdown_sections_only_when_not_empty() {
    let r = base();
    r.item("S-3", "title: Export\nstatus: draft\ngoal: G-2\n");
    let out = r.diff(&["v1"]);
    assert_eq!(
        out.stdout,
        "## Plan changes `v1` → work tree\n\n\
         1 added, 0 removed, 0 changed\n\n\
         ### Added\n\n\
         | item | title | kind | status |\n\
         |---|---|---|---|\n\
         | S-3 | Export | story | draft |\n"
    );
}

// ---------------------------------------------------------------------------------------------
// Failures: exit code 2

#[test]
fn a_bad_revision_suggests_a_branch() {
    let r = base();
    r.git(&["branch", "feature"]);
    let out = r.diff(&["main..featur"]);
    assert_eq!(out.code, 2);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr
            .contains("unknown revision `featur`; did you mean `feature`?"),
        "{}",
        out.stderr
    );
    let out = r.diff(&["mian"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("did you mean `main`?"),
        "{}",
        out.stderr
    );
}

#[test]
fn not_a_repository() {
    let t = Test::new().item("G-1", "title: Goal\nstatus: active\n", "");
    let out = t.run(&["diff"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("is not inside a git repository"),
        "{}",
        out.stderr
    );
}

#[test]
fn bad_ranges_and_flags() {
    let r = base();
    for args in [
        &["a..b..c"][..],
        &["--staged", "v1..HEAD"],
        &["..."],
        &["v1", "--format", "html"],
    ] {
        let out = r.diff(args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert_eq!(out.stdout, "", "{args:?}");
    }
    // A revision before the first commit names nothing.
    let empty = Repo::new();
    empty.item("G-1", "title: Goal\nstatus: active\n");
    let out = empty.diff(&["HEAD~1"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("no commits yet"), "{}", out.stderr);
}

#[test]
fn an_invalid_config_on_one_side_is_located() {
    let r = base();
    r.write("cairn.yaml", "scoring: { method: ricee }\n")
        .commit("v2");
    let out = r.diff(&["v1..v2"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("cannot read the plan at `v2`"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("cairn.yaml:1:"), "{}", out.stderr);
}

#[test]
fn a_plan_in_a_sub_folder_of_the_repository() {
    let r = Repo::new();
    r.write("app/cairn.yaml", "plan_dir: roadmap\n")
        .write(
            "app/roadmap/G-1.md",
            &item("G-1", "title: Goal\nstatus: active\n"),
        )
        .write(
            "plan/G-9.md",
            &item("G-9", "title: Not this plan\nstatus: active\n"),
        )
        .commit("v1");
    r.write(
        "app/roadmap/G-1.md",
        &item("G-1", "title: Goal\nstatus: achieved\n"),
    );
    let out = r.t.run_in(
        &r.t.root().join("app/roadmap"),
        &["diff", "v1", "--format", "json"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let doc = out.json();
    assert_eq!(ids(&doc, "added"), Vec::<String>::new());
    assert_eq!(
        fields(&doc, "G-1"),
        [
            change("status", "active", "achieved"),
            change("category", "doing", "done")
        ]
    );
}
