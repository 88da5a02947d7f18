//! Re-running an import: nothing changes when the source did not; when it did, matched items
//! change with minimal edits, new ones are added, and what the user edited since is kept.

use crate::common::Test;
use crate::{copy_fixture, fixture, import_json, item_text, snapshot};

const HEADER: &str =
    "Summary,Issue key,Issue id,Issue Type,Status,Priority,Labels,Labels,Description,Parent\n";

fn csv(rows: &[&str]) -> String {
    let mut s = HEADER.to_string();
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    s
}

const V1: &[&str] = &[
    "Checkout,PROJ-1,1,Epic,In Progress,High,,,The epic.,",
    "Apple Pay,PROJ-2,2,Story,To Do,Medium,pay,,Wallets.,1",
    "Coupons,PROJ-3,3,Story,To Do,Low,,,Old text.,1",
];

fn first_import() -> Test {
    let t = Test::new().file("export.csv", csv(V1));
    let (out, json) = import_json(&t, &["jira", "export.csv"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(json["summary"]["created"], 3);
    t
}

#[test]
fn a_second_import_of_the_same_source_changes_no_file() {
    for (args, setup) in [
        (vec!["jira", "export.csv"], "jira"),
        (vec!["backlog-md", "backlog"], "backlog-md"),
        (vec!["github", "issues.json"], "github"),
    ] {
        let t = Test::new().file("export.csv", csv(V1));
        match setup {
            "backlog-md" => copy_fixture(&t, "backlog-md/backlog", "backlog"),
            "github" => {
                std::fs::copy(
                    fixture("github/gh-issues.json"),
                    t.path().join("issues.json"),
                )
                .unwrap();
            }
            _ => {}
        }
        let (_, first) = import_json(&t, &args);
        let before = snapshot(t.path(), "");
        let (out, again) = import_json(&t, &args);
        assert_eq!(snapshot(t.path(), ""), before, "{setup}: {}", out.stdout);
        assert_eq!(again["summary"]["created"], 0, "{setup}");
        assert_eq!(again["summary"]["updated"], 0, "{setup}");
        assert_eq!(
            again["summary"]["unchanged"], first["summary"]["created"],
            "{setup}: {again:#}"
        );
        assert!(
            again["skipped"].as_array().unwrap().is_empty(),
            "{setup}: {again:#}"
        );
    }
}

#[test]
fn a_changed_source_updates_untouched_fields_with_minimal_edits_and_keeps_edited_ones() {
    let t = first_import();
    // The user retitles S-1 and comments its front matter; S-2 is left alone.
    let edit = t.run(&["set", "S-1", "title=Apple Pay and Google Pay"]);
    assert_eq!(edit.code, 0, "{}", edit.stderr);
    let s1 = item_text(&t, "S-1").replace("status: draft\n", "status: draft # from Jira\n");
    std::fs::write(t.path().join(crate::file_of(&t, "S-1")), &s1).unwrap();
    // Jira moves on: PROJ-2 is done, retitled and labelled; PROJ-3's description changes; PROJ-4
    // is new.
    let v2 = csv(&[
        V1[0],
        "Wallet payments,PROJ-2,2,Story,Done,Medium,pay,wallet,Wallets.,1",
        "Coupons,PROJ-3,3,Story,To Do,Low,,,New text.,1",
        "Gift cards,PROJ-4,4,Story,To Do,Low,,,,1",
    ]);
    std::fs::write(t.path().join("export.csv"), v2).unwrap();
    let (out, json) = import_json(&t, &["jira", "export.csv"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(json["summary"]["created"], 1);
    assert_eq!(json["created"][0]["id"], "S-3");
    assert_eq!(json["summary"]["updated"], 2);
    assert_eq!(json["summary"]["unchanged"], 1);
    // Only the status (its comment kept) and tags lines of S-1 changed; its title is the user's.
    assert_eq!(
        item_text(&t, "S-1"),
        s1.replace("status: draft # from Jira\n", "status: done # from Jira\n")
            .replace("tags: pay\n", "tags: [pay, wallet]\n")
            .replace("tags: [pay]\n", "tags: [pay, wallet]\n")
    );
    assert_eq!(
        json["skipped"],
        serde_json::json!([{
            "external": "jira:PROJ-2", "id": "S-1", "field": "title",
            "kept": "Apple Pay and Google Pay", "source": "Wallet payments",
            "reason": "edited in the plan since the last import",
        }])
    );
    assert!(item_text(&t, "S-2").ends_with("---\nNew text.\n"));
    // The human summary says the same.
    let t2 = first_import();
    t2.run(&["set", "S-1", "title=Mine"]);
    std::fs::write(
        t2.path().join("export.csv"),
        csv(&[
            V1[0],
            "Wallet payments,PROJ-2,2,Story,Done,Medium,pay,,Wallets.,1",
            V1[2],
        ]),
    )
    .unwrap();
    let out = t2.run(&["import", "jira", "export.csv"]);
    assert!(
        out.stdout
            .contains("updated plan/stories/S-1-apple-pay.md  S-1  status: draft → done\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("kept    S-1 title `Mine` (the source says `Wallet payments`): edited in the plan since the last import\n"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("jira: read 3 rows; created 0 items, 1 updated, 2 unchanged, 0 skipped, 1 edited fields kept"), "{}", out.stdout);
}

#[test]
fn an_edit_the_source_comes_to_agree_with_is_simply_its_value_again() {
    let t = first_import();
    t.run(&["set", "S-1", "status=done"]);
    std::fs::write(
        t.path().join("export.csv"),
        csv(&[
            V1[0],
            "Apple Pay,PROJ-2,2,Story,Done,Medium,pay,,Wallets.,1",
            V1[2],
        ]),
    )
    .unwrap();
    let (_, json) = import_json(&t, &["jira", "export.csv"]);
    assert!(json["skipped"].as_array().unwrap().is_empty(), "{json:#}");
    // And from now on the import owns the value again: Jira reopening it reopens it.
    std::fs::write(t.path().join("export.csv"), csv(V1)).unwrap();
    let (_, json) = import_json(&t, &["jira", "export.csv"]);
    assert_eq!(json["updated"][0]["fields"][0]["to"], "draft", "{json:#}");
}

#[test]
fn removed_items_are_not_created_again() {
    let t = first_import();
    std::fs::remove_file(t.path().join(crate::file_of(&t, "S-2"))).unwrap();
    let before = snapshot(t.path(), "");
    let (out, json) = import_json(&t, &["jira", "export.csv"]);
    assert_eq!(out.code, 0);
    assert_eq!(snapshot(t.path(), ""), before);
    assert_eq!(json["skipped"][0]["external"], "jira:PROJ-3");
    assert!(
        json["skipped"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("S-2 was imported from it and has since been removed"),
        "{json:#}"
    );
}

#[test]
fn overwrite_lets_the_source_win() {
    let t = first_import();
    t.run(&["set", "S-1", "title=Mine", "status=review"]);
    let (_, json) = import_json(&t, &["jira", "export.csv", "--overwrite"]);
    assert_eq!(json["summary"]["updated"], 1);
    let s1 = item_text(&t, "S-1");
    assert!(s1.contains("title: Apple Pay\nstatus: draft\n"), "{s1}");
}

#[test]
fn dry_run_lists_what_would_be_written_and_writes_nothing() {
    let t = Test::new().file("export.csv", csv(V1));
    let before = snapshot(t.path(), "");
    let out = t.run(&["import", "jira", "export.csv", "--dry-run"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(snapshot(t.path(), ""), before);
    assert_eq!(
        out.stdout,
        "would create plan/goals/G-1-checkout.md  G-1  jira:PROJ-1\n\
         would create plan/stories/S-1-apple-pay.md  S-1  jira:PROJ-2\n\
         would create plan/stories/S-2-coupons.md  S-2  jira:PROJ-3\n\
         would add to cairn.yaml: fields.type\n\
         dry run, nothing written: jira: read 3 rows; would create 3 items (1 goal, 2 stories), 0 updated, 0 unchanged, 0 skipped; 0 errors, 0 warnings\n"
    );
    let (_, json) = import_json(&t, &["jira", "export.csv", "--dry-run"]);
    assert_eq!(json["dry_run"], true);
    assert_eq!(snapshot(t.path(), ""), before);
}

#[test]
fn an_item_linked_by_hand_keeps_its_values_and_is_referenced_by_the_others() {
    let t = Test::new().file("export.csv", csv(V1)).item(
        "G-4",
        "title: Our checkout goal\nstatus: proposed\nexternal: jira:PROJ-1\n",
        "Ours.\n",
    );
    let (out, json) = import_json(&t, &["jira", "export.csv"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // The epic is G-4 already: not created again, its title, status and body left as they are.
    assert_eq!(json["summary"]["created"], 2);
    let kept: Vec<&str> = json["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["field"].as_str().unwrap())
        .collect();
    assert_eq!(kept, ["title", "status", "body"]);
    assert!(json["skipped"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("before any import wrote it"));
    // What it did not have is filled in.
    assert_eq!(
        t.read("plan/G-4.md"),
        "---\nid: G-4\ntitle: Our checkout goal\nstatus: proposed\nexternal: jira:PROJ-1\nmoscow: must\n---\nOurs.\n"
    );
    // The stories name it as their goal.
    assert!(item_text(&t, "S-1").contains("goal: G-4\n"));
}

#[test]
fn an_item_that_cannot_be_read_is_not_created_twice() {
    let t = first_import();
    // A YAML error while the user edits S-1: it is no item now, but it still is PROJ-2's.
    let file = crate::file_of(&t, "S-1");
    let broken = t
        .read(&file)
        .replace("title: Apple Pay\n", "title: [Apple Pay\n");
    std::fs::write(t.path().join(&file), broken).unwrap();
    let before = snapshot(t.path(), "");
    let (out, json) = import_json(&t, &["jira", "export.csv"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(snapshot(t.path(), ""), before);
    assert_eq!(json["summary"]["created"], 0);
    assert_eq!(json["skipped"][0]["external"], "jira:PROJ-2");
    assert!(
        json["skipped"][0]["reason"]
            .as_str()
            .unwrap()
            .starts_with(&format!(
                "{file} names it in `external:` but cannot be read"
            )),
        "{json:#}"
    );
}
