//! Every item as a resource, the config, the template, and pages of a large plan.

use crate::client::*;
use crate::common::Test;
use serde_json::json;

#[test]
fn every_item_is_a_resource_that_reads_as_its_file() {
    let t = example();
    let mut c = Client::new(t.path());
    let r = c.request("resources/list", json!({}));
    let list = r["result"]["resources"].as_array().unwrap();
    assert!(r["result"].get("nextCursor").is_none(), "one page: {r}");
    assert_eq!(list.len(), 36 + 1, "every item and the config");
    assert_eq!(list[0]["uri"], "cairn://config");
    assert_eq!(list[0]["mimeType"], "application/yaml");
    let s1 = list
        .iter()
        .find(|r| r["uri"] == "cairn://item/S-1")
        .expect("S-1");
    assert_eq!(s1["name"], "S-1");
    assert_eq!(s1["title"], "Guided first-project setup");
    assert_eq!(s1["mimeType"], "text/markdown");
    assert_eq!(
        s1["description"],
        "story · done · plan/stories/S-1-guided-first-project-setup.md"
    );
    for entry in &list[1..] {
        let uri = entry["uri"].as_str().unwrap();
        let read = c.request("resources/read", json!({ "uri": uri }));
        let contents = &read["result"]["contents"][0];
        assert_eq!(contents["uri"], uri);
        assert_eq!(contents["mimeType"], "text/markdown");
        let file = entry["description"]
            .as_str()
            .unwrap()
            .rsplit(" · ")
            .next()
            .unwrap();
        assert_eq!(contents["text"], t.read(file), "{uri}");
    }
    let config = c.request("resources/read", json!({ "uri": "cairn://config" }));
    assert_eq!(
        config["result"]["contents"][0]["text"],
        t.read("cairn.yaml")
    );

    let templates = c.request("resources/templates/list", json!({}));
    assert_eq!(
        templates["result"]["resourceTemplates"][0]["uriTemplate"],
        "cairn://item/{id}"
    );
}

#[test]
fn an_unknown_resource_is_an_error_that_says_why() {
    let t = example();
    let mut c = Client::new(t.path());
    let r = c.request("resources/read", json!({ "uri": "cairn://item/S-999" }));
    assert_eq!(r["error"]["code"], -32002, "legacy code: {r}");
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap()
            .contains("no item `S-999` in the plan"),
        "{r}"
    );
    let r = c.request("resources/read", json!({ "uri": "file:///etc/passwd" }));
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap()
            .contains("cairn serves cairn://config"),
        "{r}"
    );
    // The 2026-07-28 code for the same thing.
    let mut m = Client::modern(t.path());
    let r = m.request("resources/read", json!({ "uri": "cairn://item/S-999" }));
    assert_eq!(r["error"]["code"], -32602, "{r}");
}

#[test]
fn a_plan_without_cairn_yaml_still_has_a_config_resource() {
    let t = Test::new().item("S-1", "title: One\nstatus: draft\n", "");
    let mut c = Client::new(t.path());
    let r = c.request("resources/read", json!({ "uri": "cairn://config" }));
    let text = r["result"]["contents"][0]["text"].as_str().unwrap();
    assert!(text.starts_with("# This plan has no cairn.yaml"), "{text}");
}

#[test]
fn a_large_plan_is_listed_in_pages() {
    let mut t = Test::new();
    for n in 1..=1500 {
        t = t.item(&format!("S-{n}"), "title: Story\nstatus: draft\n", "");
    }
    let mut c = Client::new(t.path());
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let params = match &cursor {
            Some(c) => json!({ "cursor": c }),
            None => json!({}),
        };
        let r = c.request("resources/list", params);
        pages += 1;
        for res in r["result"]["resources"].as_array().unwrap() {
            seen.push(res["uri"].as_str().unwrap().to_string());
        }
        match r["result"]["nextCursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    assert_eq!(pages, 2);
    assert_eq!(seen.len(), 1501);
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 1501, "no resource twice");
    let r = c.request("resources/list", json!({ "cursor": "not-a-cursor" }));
    assert_eq!(r["error"]["code"], -32602, "{r}");
}
