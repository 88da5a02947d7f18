//! Every tool on a copy of docs/example: the schemas `tools/list` gives, and results whose
//! structured content is what the CLI's `--format json` prints for the same question.

use crate::client::*;
use serde_json::{json, Value};

/// The tool `name` from `tools/list`.
fn tool(tools: &Value, name: &str) -> Value {
    tools["result"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == name)
        .unwrap_or_else(|| panic!("no tool {name}"))
        .clone()
}

#[test]
fn tools_list_has_every_tool_with_a_strict_schema_and_the_configured_kinds() {
    let t = example();
    let mut c = Client::new(t.path());
    let tools = c.request("tools/list", json!({}));
    let names: Vec<&str> = tools["result"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "check",
            "list",
            "show",
            "rank",
            "next",
            "new",
            "set",
            "sprint_plan",
            "report"
        ]
    );
    for name in &names {
        let t = tool(&tools, name);
        let input = &t["inputSchema"];
        assert_eq!(input["type"], "object", "{name}");
        assert_eq!(input["additionalProperties"], false, "{name}");
        assert_eq!(t["outputSchema"].is_object(), *name != "report", "{name}");
        let read_only = ["check", "list", "show", "rank", "next", "report"].contains(name);
        assert_eq!(t["annotations"]["readOnlyHint"], read_only, "{name}");
    }
    let new = tool(&tools, "new");
    assert_eq!(new["inputSchema"]["required"], json!(["kind", "title"]));
    assert_eq!(
        new["inputSchema"]["properties"]["kind"]["enum"],
        json!(["goal", "story"])
    );
    assert_eq!(
        tool(&tools, "rank")["inputSchema"]["properties"]["method"]["enum"],
        json!(["rice", "ice", "wsjf", "moscow", "formula"])
    );
    assert_eq!(
        tool(&tools, "report")["inputSchema"]["properties"]["format"]["enum"],
        json!(["md", "json"])
    );
    assert_eq!(
        tool(&tools, "set")["inputSchema"]["required"],
        json!(["id", "fields"])
    );
}

/// `structuredContent` of `tool` must equal what `cairn ARGS` prints, and fit the tool's
/// output schema.
fn same_as_cli(
    c: &mut Client,
    dir: &std::path::Path,
    tool_name: &str,
    arguments: Value,
    cli: &[&str],
) -> Value {
    let result = c.call(tool_name, arguments.clone());
    assert_eq!(result["isError"], false, "{tool_name}: {result}");
    let structured = result["structuredContent"].clone();
    assert_eq!(
        structured,
        cli_json(dir, cli),
        "{tool_name} {arguments} against cairn {cli:?}"
    );
    let text = result["content"][0]["text"].as_str().unwrap();
    assert!(!text.is_empty(), "{tool_name} has a text rendering");
    structured
}

#[test]
fn every_read_tool_returns_the_cli_json() {
    let t = example();
    let d = t.path();
    let mut c = Client::new(d);
    let tools = c.request("tools/list", json!({}));
    let checked = [
        ("check", json!({}), vec!["check", "--format", "json"]),
        (
            "check",
            json!({"paths": ["plan/goals"]}),
            vec!["check", "plan/goals", "--format", "json"],
        ),
        ("list", json!({}), vec!["list", "--format", "json"]),
        (
            "list",
            json!({"kind": ["story"], "status": ["ready", "draft"], "goal": ["G-1"]}),
            vec![
                "list",
                "--kind",
                "story",
                "--status",
                "ready,draft",
                "--goal",
                "G-1",
                "--format",
                "json",
            ],
        ),
        (
            "list",
            json!({"owner": ["sam"], "category": ["done"]}),
            vec![
                "list",
                "--owner",
                "sam",
                "--category",
                "done",
                "--format",
                "json",
            ],
        ),
        (
            "show",
            json!({"id": "S-1"}),
            vec!["show", "S-1", "--format", "json"],
        ),
        (
            "show",
            json!({"id": "G-3"}),
            vec!["show", "G-3", "--format", "json"],
        ),
        ("rank", json!({}), vec!["rank", "--format", "json"]),
        (
            "rank",
            json!({"kind": "goal"}),
            vec!["rank", "--kind", "goal", "--format", "json"],
        ),
        (
            "rank",
            json!({"method": "wsjf", "goal": "G-1", "top": 2, "explain": true}),
            vec![
                "rank", "--method", "wsjf", "--goal", "G-1", "--top", "2", "--format", "json",
            ],
        ),
        (
            "rank",
            json!({"all": true, "method": "moscow"}),
            vec!["rank", "--all", "--method", "moscow", "--format", "json"],
        ),
        (
            "sprint_plan",
            json!({}),
            vec!["sprint", "plan", "--today", TODAY, "--format", "json"],
        ),
        (
            "sprint_plan",
            json!({"sprint": "2027-S3", "capacity": 12, "include_wont": true}),
            vec![
                "sprint",
                "plan",
                "2027-S3",
                "--capacity",
                "12",
                "--include-wont",
                "--format",
                "json",
            ],
        ),
        (
            "report",
            json!({"name": "roadmap", "format": "json"}),
            vec!["report", "roadmap", "--today", TODAY, "--format", "json"],
        ),
        (
            "report",
            json!({"name": "backlog", "format": "json"}),
            vec!["report", "backlog", "--today", TODAY, "--format", "json"],
        ),
        (
            "report",
            json!({"name": "alignment", "format": "json"}),
            vec!["report", "alignment", "--today", TODAY, "--format", "json"],
        ),
    ];
    for (name, args, cli) in checked {
        let structured = same_as_cli(&mut c, d, name, args, &cli);
        if let Some(schema) = tool(&tools, name).get("outputSchema") {
            cairn::mcp::schema::validate(schema, &structured).unwrap_or_else(|e| {
                panic!("{name}: the result does not fit its output schema: {e}")
            });
        }
    }
}

#[test]
fn check_text_is_the_cli_human_output() {
    let t = example_repo();
    let mut c = Client::new(t.path());
    let r = c.call("check", json!({}));
    let out = crate::common::cairn_cmd(t.path(), &["check"])
        .output()
        .unwrap();
    assert_eq!(
        r["content"][0]["text"],
        String::from_utf8(out.stdout).unwrap()
    );
}

#[test]
fn show_has_the_fields_and_the_markdown_body() {
    let t = example();
    let mut c = Client::new(t.path());
    let r = c.call("show", json!({"id": "S-1"}));
    let s = &r["structuredContent"];
    assert_eq!(s["fields"]["rice"]["reach"], 8000);
    assert_eq!(s["fields"]["goal"], "G-5");
    let body = s["body"].as_str().unwrap();
    assert!(body.contains("## Acceptance criteria"), "{body}");
    let text = r["content"][0]["text"].as_str().unwrap();
    assert!(
        text.starts_with("S-1  Guided first-project setup\n"),
        "{text}"
    );
    assert!(text.contains(body), "the text ends with the body: {text}");
}

#[test]
fn next_is_the_best_todo_story_whose_dependencies_are_done_with_why() {
    let t = example();
    let mut c = Client::new(t.path());
    let r = c.call("next", json!({}));
    let n = &r["structuredContent"];
    assert_eq!(n["item"]["id"], "S-19", "{n}");
    let passed: Vec<(&str, &str)> = n["passed_over"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(
        passed,
        [
            ("S-7", "already in progress (`review`)"),
            ("S-10", "depends on S-7 (`review`), not done yet"),
            ("S-14", "already in progress (`in-progress`)"),
        ]
    );
    assert!(
        n["why"][0].as_str().unwrap().starts_with("ranked 4 of "),
        "{n}"
    );
    let text = r["content"][0]["text"].as_str().unwrap();
    assert!(
        text.starts_with("next: S-19  SAML 2.0 single sign-on"),
        "{text}"
    );
    // The ranking the CLI gives agrees.
    let rank = cli_json(t.path(), &["rank", "--format", "json"]);
    assert_eq!(rank["items"][3]["id"], "S-19");

    // Narrowed to a goal: the best of its stories.
    let g = c.ok("next", json!({"goal": "G-1"}));
    let goal_rank = cli_json(t.path(), &["rank", "--goal", "G-1", "--format", "json"]);
    assert_eq!(
        g["item"]["rank"],
        g["passed_over_count"].as_u64().unwrap() + 1,
        "{g}"
    );
    let id = g["item"]["id"].as_str().expect("G-1 has work to do");
    assert!(
        goal_rank["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == id),
        "{g}"
    );
    // For one person, what someone else owns is passed over.
    let mine = c.ok("next", json!({"owner": "jonas"}));
    assert!(
        mine["passed_over"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["reason"].as_str().unwrap().ends_with(" already has it")),
        "{mine}"
    );
    let (why, _) = c.refused("next", json!({"sprint": "2027-S9"}));
    assert_eq!(
        why,
        "sprint `2027-S9` is not configured; did you mean `2027-S1`?"
    );
}

#[test]
fn report_md_is_the_rendered_markdown() {
    let t = example();
    let mut c = Client::new(t.path());
    let r = c.call("report", json!({"name": "roadmap"}));
    assert_eq!(r["isError"], false, "{r}");
    assert!(r.get("structuredContent").is_none(), "{r}");
    let out = crate::common::cairn_cmd(t.path(), &["report", "roadmap", "--today", TODAY])
        .output()
        .unwrap();
    assert_eq!(
        r["content"][0]["text"],
        String::from_utf8(out.stdout).unwrap()
    );
}

#[test]
fn invalid_arguments_are_tool_errors_that_say_what_is_wrong() {
    let t = example();
    let mut c = Client::new(t.path());
    for (tool, args, message) in [
        ("show", json!({}), "invalid arguments for `show`: missing required argument `id`"),
        ("show", json!({"id": 14}), "invalid arguments for `show`: `id` must be a string, not 14"),
        ("show", json!({"id": "S-1", "format": "json"}), "invalid arguments for `show`: unknown argument `format` (known: id)"),
        ("show", json!({"id": "S-99"}), "no item `S-99` in the plan"),
        ("list", json!({"kind": "story"}), "invalid arguments for `list`: `kind` must be a list, not \"story\""),
        ("list", json!({"kind": ["stroy"]}), "invalid arguments for `list`: `kind[0]` must be one of `goal`, `story`, not \"stroy\" (did you mean `story`?)"),
        ("rank", json!({"top": 0}), "invalid arguments for `rank`: `top` must be at least 1, not 0"),
        ("rank", json!({"method": "formula"}), "method `formula` needs `scoring.formula` in cairn.yaml"),
        ("rank", json!({"goal": "G-77"}), "no item `G-77` in the plan"),
        ("new", json!({"kind": "epic", "title": "x"}), "invalid arguments for `new`: `kind` must be one of `goal`, `story`, not \"epic\""),
        ("new", json!({"kind": "story"}), "invalid arguments for `new`: missing required argument `title`"),
        ("set", json!({"id": "S-1", "fields": {}}), "invalid arguments for `set`: `fields` must not be empty"),
        ("set", json!({"id": "S-1", "fields": {"id": "S-2"}}), "`id` cannot be changed with `cairn set`; use `cairn renumber S-1 NEW`, which also rewrites every reference"),
        ("sprint_plan", json!({"sprint": "2027-S"}), "sprint `2027-S` is not configured; did you mean `2027-S1`?"),
        ("report", json!({"name": "roadmap", "sprint": "2027-S1"}), "only the sprint report takes `sprint`"),
        ("report", json!({"name": "burnup"}), "invalid arguments for `report`: `name` must be one of `roadmap`, `backlog`, `sprint`, `alignment`, `metrics`, not \"burnup\""),
    ] {
        let (text, structured) = c.refused(tool, args.clone());
        assert!(text.starts_with(message), "{tool} {args}:\n  got  {text}\n  want {message}");
        assert!(structured.is_null(), "{tool} {args}: nothing structured on failure");
    }
}
