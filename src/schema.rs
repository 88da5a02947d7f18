//! `cairn schema`: a JSON Schema (draft 2020-12) of the front matter under a config, for editors
//! and tools that validate YAML against a schema (yaml-language-server, check-jsonschema).
//!
//! The schema follows the parser's rules (`src/parse/fields.rs`): whatever it rejects, cairn
//! reports as `invalid-value`, `invalid-id`, `missing-field`, `unknown-field`, `unknown-sprint`
//! or `wrong-kind`. Tests in this file validate sample values both ways to keep the two in step.

use crate::config::{Config, FieldDef, FieldType, Kind};
use crate::model::{BUILTIN_FIELDS, GOAL_FIELDS, STORY_FIELDS};
use serde_json::{json, Map, Value};

/// The JSON Schema dialect the schema is written in.
pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// Why no schema could be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemaError {
    /// `--kind` names no configured kind.
    #[error("no kind `{name}` is configured (kinds: {})", .kinds.join(", "))]
    UnknownKind {
        /// The name asked for.
        name: String,
        /// The configured kinds.
        kinds: Vec<String>,
    },
}

/// The schema of every item's front matter (`kind` = `None`), or of one kind's.
pub fn schema(config: &Config, kind: Option<&str>) -> Result<Value, SchemaError> {
    if let Some(name) = kind {
        let Some(k) = config.kind(name) else {
            return Err(SchemaError::UnknownKind {
                name: name.to_string(),
                kinds: config.kinds.iter().map(|k| k.name.clone()).collect(),
            });
        };
        let mut s = kind_schema(config, k);
        let obj = s.as_object_mut().expect("an object");
        let mut top = Map::new();
        top.insert("$schema".into(), json!(DIALECT));
        top.insert(
            "title".into(),
            json!(format!("cairn {} front matter", k.name)),
        );
        top.append(obj);
        return Ok(Value::Object(top));
    }
    let prefixes: Vec<&str> = config.kinds.iter().map(|k| k.prefix.as_str()).collect();
    let mut defs = Map::new();
    let mut branches = Vec::new();
    for k in &config.kinds {
        defs.insert(k.name.clone(), kind_schema(config, k));
        branches.push(json!({
            "if": { "properties": { "id": { "pattern": format!("^{}-", k.prefix) } }, "required": ["id"] },
            "then": { "$ref": format!("#/$defs/{}", k.name) },
        }));
    }
    Ok(json!({
        "$schema": DIALECT,
        "title": "cairn front matter",
        "description": "The YAML front matter of a cairn plan item; the id's prefix decides the kind.",
        "type": "object",
        "required": ["id", "title", "status"],
        "properties": {
            "id": {
                "type": "string",
                "pattern": format!("^({})-[1-9][0-9]*$", prefixes.join("|")),
                "description": "PREFIX-N; the prefix decides the kind",
            },
        },
        "allOf": branches,
        "$defs": defs,
    }))
}

/// An id of any kind, as `depends_on` takes.
const ANY_ID: &str = "^[A-Z]+-[1-9][0-9]*$";

/// A pattern matching `words` in any case, with surrounding spaces.
fn any_case(words: &[&str]) -> String {
    let alts: Vec<String> = words
        .iter()
        .map(|w| {
            w.chars()
                .map(|c| match c {
                    'a'..='z' => format!("[{c}{}]", c.to_ascii_uppercase()),
                    '\'' => "['’]?".to_string(),
                    c => c.to_string(),
                })
                .collect()
        })
        .collect();
    format!("^\\s*({})\\s*$", alts.join("|"))
}

/// The schema of one kind's front matter.
pub fn kind_schema(config: &Config, kind: &Kind) -> Value {
    let has_parent = kind.parent.is_some();
    let goal_like = !has_parent || config.has_children(&kind.name);
    let text = json!({ "type": ["string", "number"] });
    let mut props = Map::new();
    for &field in BUILTIN_FIELDS {
        if (GOAL_FIELDS.contains(&field) && !goal_like)
            || (STORY_FIELDS.contains(&field) && !has_parent)
        {
            continue;
        }
        let s = match field {
            "id" => json!({
                "type": "string",
                "pattern": format!("^{}-[1-9][0-9]*$", kind.prefix),
                "description": format!("{}-N, unique in the plan", kind.prefix),
            }),
            "title" => json!({
                "anyOf": [{ "type": "string", "pattern": "\\S" }, { "type": "number" }],
                "description": "a short name",
            }),
            "status" => json!({
                "enum": kind.statuses.iter().map(|(s, _)| s.as_str()).collect::<Vec<_>>(),
                "description": kind.statuses.iter().map(|(s, c)| format!("{s}: {c}")).collect::<Vec<_>>().join(", "),
            }),
            "owner" | "assignee" | "external" => json!({
                "type": ["string", "number", "array", "null"],
                "items": text,
                "description": if field == "external" {
                    "the item's key in the tracker it was imported from (`jira:PROJ-12`), or a list of keys"
                } else {
                    "a name, or a list of names"
                },
            }),
            "tags" => json!({ "type": ["array", "null"], "items": text }),
            "depends_on" => json!({
                "type": ["array", "null"],
                "items": { "type": ["string", "null"], "pattern": ANY_ID },
                "description": "ids of the items this one needs first",
            }),
            "moscow" => json!({
                "type": ["string", "null"],
                "pattern": any_case(&["must", "should", "could", "won't"]),
                "description": "must, should, could or wont",
            }),
            "rice" => sub_map(&[
                ("reach", json!({ "type": "number", "minimum": 0 })),
                ("impact", json!({ "enum": [3, 2, 1, 0.5, 0.25] })),
                (
                    "confidence",
                    json!({ "anyOf": [
                    { "type": "number", "minimum": 0, "maximum": 1 },
                    { "type": "string", "pattern": "^\\s*\\+?0*(100(\\.0*)?|[0-9]{1,2}(\\.[0-9]*)?|\\.[0-9]+)\\s*%$" },
                ] }),
                ),
                ("effort", json!({ "type": "number", "exclusiveMinimum": 0 })),
            ]),
            "ice" => {
                let one_to_ten = json!({ "type": "number", "minimum": 1, "maximum": 10 });
                sub_map(&[
                    ("impact", one_to_ten.clone()),
                    ("confidence", one_to_ten.clone()),
                    ("ease", one_to_ten),
                ])
            }
            "wsjf" => {
                let scale = json!({ "enum": [1, 2, 3, 5, 8, 13, 20] });
                sub_map(&[
                    ("business_value", scale.clone()),
                    ("time_criticality", scale.clone()),
                    ("risk_reduction", scale.clone()),
                    ("job_size", scale),
                ])
            }
            "horizon" => json!({
                "type": "string",
                "anyOf": [
                    { "pattern": any_case(&["now", "next", "later"]) },
                    { "pattern": "^[0-9]{4}-Q[1-4]$" },
                    { "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$" },
                ],
                "description": "now, next, later, YYYY-Qn or YYYY-MM",
            }),
            "key_results" => json!({
                "type": ["array", "null"],
                "items": { "anyOf": [
                    { "type": "string", "minLength": 1 },
                    { "type": ["number", "boolean"] },
                    {
                        "type": "object",
                        "required": ["metric"],
                        "properties": { "metric": {}, "target": {}, "current": {} },
                        "additionalProperties": false,
                    },
                ] },
            }),
            "estimate" => json!({ "type": "number", "minimum": 0, "description": "story points" }),
            "sprint" => json!({
                "enum": config.sprints.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
                "description": "a sprint configured in cairn.yaml",
            }),
            other => unreachable!("built-in field `{other}` has no schema"),
        };
        props.insert(field.to_string(), s);
    }
    if let Some(parent) = &kind.parent {
        let prefix = config.kind(parent).map_or("[A-Z]+", |k| k.prefix.as_str());
        props.insert(
            parent.clone(),
            json!({
                "type": ["string", "null"],
                "pattern": format!("^{prefix}-[1-9][0-9]*$"),
                "description": format!("the id of the {parent} this {} belongs to", kind.name),
            }),
        );
    }
    for def in &config.fields {
        props.insert(def.name.clone(), custom(def));
    }
    json!({
        "type": "object",
        "required": ["id", "title", "status"],
        "properties": props,
        "additionalProperties": false,
    })
}

fn sub_map(fields: &[(&str, Value)]) -> Value {
    let props: Map<String, Value> = fields
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    json!({ "type": ["object", "null"], "properties": props, "additionalProperties": false })
}

fn custom(def: &FieldDef) -> Value {
    let mut s = match def.ty {
        FieldType::String => match &def.values {
            Some(values) => json!({ "enum": values }),
            None => json!({ "type": ["string", "number"] }),
        },
        FieldType::Date => json!({
            "type": "string",
            "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
        }),
        FieldType::Number | FieldType::Integer => {
            let mut n =
                json!({ "type": if def.ty == FieldType::Integer { "integer" } else { "number" } });
            if let Some(min) = def.min {
                n["minimum"] = json!(min);
            }
            if let Some(max) = def.max {
                n["maximum"] = json!(max);
            }
            n
        }
        FieldType::Boolean => json!({ "type": "boolean" }),
        FieldType::List => {
            let items = match &def.values {
                Some(values) => json!({ "enum": values }),
                None => json!({ "type": ["string", "number"] }),
            };
            json!({ "type": ["array", "null"], "items": items })
        }
    };
    s["description"] = json!(format!("custom {} field", def.ty.as_str()));
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Rule;
    use crate::parse::item::parse_file;
    use crate::plan::Plan;
    use regex::Regex;

    const CONFIG: &str = "kinds:\n  epic: { prefix: E, parent: goal, statuses: { open: todo, closed: done } }\n  story: { parent: epic }\nsprints:\n  - { name: 2027-S1, start: 2027-01-04, end: 2027-01-15, capacity: 30 }\nfields:\n  tier: { type: string, values: [free, pro] }\n  launch: { type: date }\n  risk: { type: integer, min: 1, max: 5 }\n  public: { type: boolean }\n  areas: { type: list, values: [web, mobile] }\n";

    fn config() -> Config {
        Config::parse(CONFIG, "cairn.yaml").unwrap()
    }

    /// A validator for the keywords the schema uses, enough to test it against the parser.
    fn valid(s: &Value, root: &Value, v: &Value) -> bool {
        let Some(s) = s.as_object() else {
            return s.as_bool().unwrap_or(true);
        };
        let num = |k: &str| s.get(k).and_then(Value::as_f64);
        if let Some(r) = s.get("$ref").and_then(Value::as_str) {
            let name = r.strip_prefix("#/$defs/").expect("local ref");
            if !valid(&root["$defs"][name], root, v) {
                return false;
            }
        }
        if let Some(t) = s.get("type") {
            let types: Vec<&str> = match t {
                Value::String(t) => vec![t.as_str()],
                Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                _ => panic!("bad type {t}"),
            };
            let is = |t: &str| match t {
                "null" => v.is_null(),
                "boolean" => v.is_boolean(),
                "string" => v.is_string(),
                "number" => v.is_number(),
                "integer" => v.as_f64().is_some_and(|n| n.fract() == 0.0),
                "array" => v.is_array(),
                "object" => v.is_object(),
                _ => panic!("bad type {t}"),
            };
            if !types.into_iter().any(is) {
                return false;
            }
        }
        let same = |a: &Value, b: &Value| match (a.as_f64(), b.as_f64()) {
            (Some(x), Some(y)) => x == y,
            _ => a == b,
        };
        if let Some(e) = s.get("enum").and_then(Value::as_array) {
            if !e.iter().any(|x| same(x, v)) {
                return false;
            }
        }
        if let (Some(p), Some(text)) = (s.get("pattern").and_then(Value::as_str), v.as_str()) {
            if !Regex::new(p).expect("pattern").is_match(text) {
                return false;
            }
        }
        if let Some(n) = v.as_f64() {
            if num("minimum").is_some_and(|m| n < m)
                || num("maximum").is_some_and(|m| n > m)
                || num("exclusiveMinimum").is_some_and(|m| n <= m)
            {
                return false;
            }
        }
        if let (Some(m), Some(text)) = (num("minLength"), v.as_str()) {
            if (text.chars().count() as f64) < m {
                return false;
            }
        }
        if let Some(obj) = v.as_object() {
            let props = s.get("properties").and_then(Value::as_object);
            for r in s
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if !obj.contains_key(r.as_str().unwrap()) {
                    return false;
                }
            }
            for (k, x) in obj {
                match props.and_then(|p| p.get(k)) {
                    Some(ps) if !valid(ps, root, x) => return false,
                    None if s.get("additionalProperties") == Some(&json!(false)) => return false,
                    _ => {}
                }
            }
        }
        if let (Some(items), Some(arr)) = (s.get("items"), v.as_array()) {
            if !arr.iter().all(|x| valid(items, root, x)) {
                return false;
            }
        }
        let all = |k: &str| s.get(k).and_then(Value::as_array);
        if all("anyOf").is_some_and(|a| !a.iter().any(|x| valid(x, root, v))) {
            return false;
        }
        if all("allOf").is_some_and(|a| !a.iter().all(|x| valid(x, root, v))) {
            return false;
        }
        if let (Some(i), Some(t)) = (s.get("if"), s.get("then")) {
            if valid(i, root, v) && !valid(t, root, v) {
                return false;
            }
        }
        true
    }

    struct NoFiles;
    impl crate::source::Source for NoFiles {
        fn markdown_files(&self, _: &str) -> std::io::Result<Vec<String>> {
            Ok(Vec::new())
        }
        fn read(&self, _: &str) -> std::io::Result<Vec<u8>> {
            Err(std::io::ErrorKind::NotFound.into())
        }
        fn exists(&self, _: &str) -> bool {
            false
        }
        fn describe(&self) -> String {
            "nothing".into()
        }
    }

    /// True when cairn finds nothing wrong with a story whose front matter is `fields`, next
    /// to a goal G-1 and an epic E-1.
    fn cairn_accepts(config: &Config, fields: &Map<String, Value>) -> bool {
        let mut fm = String::new();
        for (k, v) in fields {
            fm.push_str(&format!("{k}: {v}\n"));
        }
        let text = format!("---\n{fm}---\n## Acceptance criteria\n- [ ] one\n");
        let others = [
            (
                "plan/G-1.md",
                "---\nid: G-1\ntitle: G\nstatus: proposed\n---\n",
            ),
            (
                "plan/E-1.md",
                "---\nid: E-1\ntitle: E\nstatus: open\ngoal: G-1\n---\n",
            ),
        ];
        let mut parsed: Vec<_> = others
            .iter()
            .map(|(p, t)| parse_file(p, t.as_bytes(), config))
            .collect();
        parsed.push(parse_file("plan/x.md", text.as_bytes(), config));
        let plan = Plan::from_parsed(config.clone(), None, None, parsed);
        let schema_rules = [
            Rule::ParseError,
            Rule::MissingField,
            Rule::InvalidId,
            Rule::InvalidValue,
            Rule::UnknownField,
            Rule::UnknownSprint,
            Rule::WrongKind,
        ];
        !crate::rules::check(&plan, &NoFiles)
            .iter()
            .any(|d| d.file == "plan/x.md" && schema_rules.contains(&d.rule))
    }

    #[test]
    fn the_schema_agrees_with_the_parser() {
        let config = config();
        let root = schema(&config, None).unwrap();
        let samples: Vec<(&str, Value)> = vec![
            ("id", json!("S-2")),
            ("id", json!("S-02")),
            ("id", json!("X-2")),
            ("id", json!(5)),
            ("title", json!("Export")),
            ("title", json!("  ")),
            ("title", json!(2027)),
            ("title", json!(["a"])),
            ("status", json!("ready")),
            ("status", json!("Ready")),
            ("status", json!("open")),
            ("owner", json!("priya")),
            ("owner", json!(["priya"])),
            ("owner", json!(["priya", "ana"])),
            ("owner", json!(["priya", null])),
            ("owner", json!({"a": 1})),
            ("assignee", json!(7)),
            ("assignee", json!(["@codex", 3])),
            ("assignee", json!(true)),
            ("external", json!("jira:PROJ-12")),
            ("external", json!(["jira:PROJ-12", "github:o/r#3"])),
            ("external", json!([["x"]])),
            ("tags", json!(["a", 1])),
            ("tags", json!("a")),
            ("tags", json!(null)),
            ("tags", json!([{"a": 1}])),
            ("depends_on", json!(["E-1", "G-1"])),
            ("depends_on", json!("G-1")),
            ("depends_on", json!(["g-1"])),
            ("depends_on", json!([])),
            ("moscow", json!("must")),
            ("moscow", json!("Won't")),
            ("moscow", json!("WON’T")),
            ("moscow", json!("wont")),
            ("moscow", json!("maybe")),
            ("moscow", json!(null)),
            ("moscow", json!(1)),
            (
                "rice",
                json!({"reach": 10, "impact": 0.5, "confidence": "80%", "effort": 2}),
            ),
            ("rice", json!({"impact": 4})),
            ("rice", json!({"confidence": 0.5})),
            ("rice", json!({"confidence": 80})),
            ("rice", json!({"confidence": "100%"})),
            ("rice", json!({"confidence": "101%"})),
            ("rice", json!({"effort": 0})),
            ("rice", json!({"reach": -1})),
            ("rice", json!({"reach": "5"})),
            ("rice", json!({"rech": 5})),
            ("rice", json!(null)),
            ("rice", json!([1])),
            ("ice", json!({"impact": 1, "confidence": 10, "ease": 5.5})),
            ("ice", json!({"impact": 0})),
            ("ice", json!({"ease": 11})),
            ("wsjf", json!({"business_value": 13, "job_size": 1})),
            ("wsjf", json!({"job_size": 4})),
            ("estimate", json!(3)),
            ("estimate", json!(0)),
            ("estimate", json!(-1)),
            ("estimate", json!("3")),
            ("sprint", json!("2027-S1")),
            ("sprint", json!("2027-S9")),
            ("epic", json!("E-1")),
            ("epic", json!("G-1")),
            ("epic", json!(3)),
            ("goal", json!("G-1")),
            ("horizon", json!("now")),
            ("key_results", json!(["x"])),
            ("tier", json!("pro")),
            ("tier", json!("gold")),
            ("launch", json!("2027-02-01")),
            ("launch", json!("2027-13-01")),
            ("risk", json!(3)),
            ("risk", json!(3.5)),
            ("risk", json!(6)),
            ("risk", json!(3.0)),
            ("public", json!(true)),
            ("public", json!("yes")),
            ("areas", json!(["web"])),
            ("areas", json!(["desk"])),
            ("areas", json!("web")),
            ("custmer", json!("x")),
        ];
        let mut wrong = Vec::new();
        let mut rejected = 0;
        let total = samples.len();
        for (field, value) in samples {
            let mut fields = Map::new();
            fields.insert("id".into(), json!("S-1"));
            fields.insert("title".into(), json!("A story"));
            fields.insert("status".into(), json!("draft"));
            fields.insert("epic".into(), json!("E-1"));
            fields.insert(field.into(), value.clone());
            let object = Value::Object(fields.clone());
            let by_schema = valid(&root, &root, &object);
            let by_cairn = cairn_accepts(&config, &fields);
            rejected += usize::from(!by_cairn);
            if by_schema != by_cairn {
                wrong.push(format!(
                    "{field}: {value} (schema {by_schema}, cairn {by_cairn})"
                ));
            }
        }
        assert!(
            wrong.is_empty(),
            "schema and parser disagree:\n{}",
            wrong.join("\n")
        );
        // Both outcomes are exercised.
        assert!(
            rejected > 20 && total - rejected > 20,
            "{rejected} of {total} rejected"
        );
    }

    #[test]
    fn every_field_and_status_is_in_the_schema() {
        let config = config();
        let root = schema(&config, None).unwrap();
        assert_eq!(root["$schema"], DIALECT);
        let defs = root["$defs"].as_object().unwrap();
        assert_eq!(defs.len(), config.kinds.len());
        for kind in &config.kinds {
            let props = defs[&kind.name]["properties"].as_object().unwrap();
            let statuses: Vec<&str> = kind.statuses.iter().map(|(s, _)| s.as_str()).collect();
            assert_eq!(props["status"]["enum"], json!(statuses), "{}", kind.name);
            for f in &config.fields {
                assert!(
                    props.contains_key(&f.name),
                    "{} lacks {}",
                    kind.name,
                    f.name
                );
            }
            if let Some(p) = &kind.parent {
                assert!(
                    props.contains_key(p),
                    "{} lacks its parent field",
                    kind.name
                );
            }
        }
        for field in BUILTIN_FIELDS {
            assert!(
                defs.values().any(|d| d["properties"].get(*field).is_some()),
                "no kind has `{field}`"
            );
        }
        let story = &defs["story"]["properties"];
        assert_eq!(story["sprint"]["enum"], json!(["2027-S1"]));
        assert_eq!(story["tier"]["enum"], json!(["free", "pro"]));
        assert!(story.get("horizon").is_none());
        assert!(defs["goal"]["properties"].get("estimate").is_none());
        // The epic sits between goal and story: it takes both groups of fields.
        let epic = &defs["epic"]["properties"];
        assert!(epic.get("horizon").is_some() && epic.get("estimate").is_some());
    }

    #[test]
    fn one_kind_or_an_unknown_kind() {
        let config = config();
        let story = schema(&config, Some("story")).unwrap();
        assert_eq!(story["$schema"], DIALECT);
        assert_eq!(story["properties"]["id"]["pattern"], "^S-[1-9][0-9]*$");
        let err = schema(&config, Some("storey")).unwrap_err();
        assert!(err.to_string().contains("goal, story, epic") || err.to_string().contains("epic"));
    }
}
