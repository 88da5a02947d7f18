//! Turning one file into an [`Item`] (or a document), with a finding for every field that is wrong.

use super::front_matter::{self, SplitError};
use super::markdown::{self, Link};
use super::yaml::{self, Node, Value};
use crate::config::{Config, FieldType};
use crate::diagnostic::{Diagnostic, Rule, Span};
use crate::model::*;
use crate::suggest;

/// One plan file after parsing: an item, or a document, plus what was wrong with it.
#[derive(Debug, Clone)]
pub struct ParsedFile {
    /// Path relative to the plan root.
    pub file: String,
    /// The item, when the front matter had a usable id.
    pub item: Option<Item>,
    /// True when the file has front matter (it is meant to be an item).
    pub has_front_matter: bool,
    /// GitHub anchors of the body's headings.
    pub anchors: Vec<String>,
    /// Relative links in the body.
    pub links: Vec<Link>,
    /// Findings local to this file.
    pub diagnostics: Vec<Diagnostic>,
    /// The id a file that could not be parsed seems to declare (an `id:` line), so references to it
    /// are not reported as broken on top of the parse error.
    pub unread_id: Option<String>,
}

/// The value of the first top-level `id:` line, read without a YAML parser.
pub fn quick_id(text: &str) -> Option<String> {
    text.lines()
        .take(200)
        .find_map(|l| l.strip_prefix("id:"))
        .map(|v| {
            v.split('#')
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches(['"', '\''])
                .to_string()
        })
        .filter(|v| !v.is_empty())
}

/// Parses one plan file.
pub fn parse_file(file: &str, bytes: &[u8], config: &Config) -> ParsedFile {
    let mut out = ParsedFile {
        file: file.to_string(),
        item: None,
        has_front_matter: false,
        anchors: Vec::new(),
        links: Vec::new(),
        diagnostics: Vec::new(),
        unread_id: None,
    };
    let text = match front_matter::decode(bytes) {
        Ok(t) => t,
        Err(e) => {
            out.diagnostics.push(split_error(file, e));
            return out;
        }
    };
    let split = match front_matter::split(text) {
        Ok(s) => s,
        Err(e) => {
            out.has_front_matter = text.starts_with("---");
            out.unread_id = quick_id(text);
            out.diagnostics.push(split_error(file, e));
            return out;
        }
    };
    let body = markdown::parse(split.body, split.body_first_line);
    out.anchors = body.anchors;
    out.links = body.links;
    let Some(yaml_text) = split.front_matter else {
        return out;
    };
    out.has_front_matter = true;
    let fm_end = Span::new(split.body_first_line - 1, 1, 3);
    let root = match yaml::parse(
        yaml_text,
        yaml::Origin {
            first_line: split.yaml_first_line,
        },
    ) {
        Ok(n) => n,
        Err(e) => {
            out.unread_id = quick_id(yaml_text);
            let help = if e.message.contains("mapping values are not allowed") {
                Some("a value containing `: ` must be quoted: `title: \"Export: CSV\"`".to_string())
            } else if e.message.contains("tab") {
                Some("indent YAML with spaces, not tabs".to_string())
            } else {
                None
            };
            out.diagnostics.push(
                Diagnostic::new(
                    Rule::ParseError,
                    file,
                    e.span,
                    format!("invalid YAML in front matter: {}", e.message),
                )
                .with_help_opt(help),
            );
            return out;
        }
    };
    let mut b = Builder {
        file,
        config,
        diags: &mut out.diagnostics,
    };
    out.item = b.item(&root, fm_end, body.statement, body.criteria);
    out
}

fn split_error(file: &str, e: SplitError) -> Diagnostic {
    match e {
        SplitError::Conflict(spans) => {
            let n = spans.len();
            let mut d = Diagnostic::new(
                Rule::MergeConflict,
                file,
                spans[0],
                if n == 1 {
                    "unresolved merge conflict".to_string()
                } else {
                    format!("unresolved merge conflict ({n} conflict blocks)")
                },
            )
            .with_help(
                "resolve the conflict and remove the `<<<<<<<`, `=======` and `>>>>>>>` lines",
            );
            for s in &spans[1..] {
                d = d.with_related(file, *s, "another conflict starts here");
            }
            d
        }
        SplitError::Parse {
            span,
            message,
            help,
        } => Diagnostic::new(Rule::ParseError, file, span, message).with_help_opt(help),
    }
}

struct Builder<'a> {
    file: &'a str,
    config: &'a Config,
    diags: &'a mut Vec<Diagnostic>,
}

impl Builder<'_> {
    fn report(&mut self, rule: Rule, span: Span, message: String, help: Option<String>) {
        self.diags
            .push(Diagnostic::new(rule, self.file, span, message).with_help_opt(help));
    }

    fn invalid(&mut self, node: &Node, message: String, help: Option<String>) {
        self.report(Rule::InvalidValue, node.span, message, help);
    }

    fn item(
        &mut self,
        root: &Node,
        fm_end: Span,
        statement: Option<String>,
        criteria: Option<(usize, usize)>,
    ) -> Option<Item> {
        let entries = match &root.value {
            Value::Map(m) => m.as_slice(),
            Value::Null => &[],
            _ => {
                self.report(
                    Rule::ParseError,
                    root.span,
                    format!(
                        "front matter must be a mapping of fields, found {}",
                        root.type_name()
                    ),
                    Some("write fields as `key: value` lines".into()),
                );
                return None;
            }
        };
        let mut seen: Vec<(&str, Span)> = Vec::new();
        let mut fields: Vec<(&str, &Node, &Node)> = Vec::new();
        for (k, v) in entries {
            let Some(name) = k.as_str() else {
                self.report(
                    Rule::ParseError,
                    k.span,
                    format!("field names must be strings, found {}", k.type_name()),
                    None,
                );
                continue;
            };
            if let Some((_, first)) = seen.iter().find(|(n, _)| *n == name) {
                let d = Diagnostic::new(
                    Rule::ParseError,
                    self.file,
                    k.span,
                    format!("duplicate field `{name}`"),
                )
                .with_help("remove one of the two; cairn uses the first")
                .with_related(self.file, *first, "first defined here");
                self.diags.push(d);
                continue;
            }
            seen.push((name, k.span));
            fields.push((name, k, v));
        }
        let get = |name: &str| fields.iter().find(|(n, ..)| *n == name).map(|(_, _, v)| *v);

        // Identity first: without a usable id there is no item to check references against.
        let Some(id_node) = get("id") else {
            self.report(
                Rule::MissingField,
                fm_end,
                "missing required field `id`".into(),
                Some(self.id_help()),
            );
            return None;
        };
        let id = id_node.scalar_text().unwrap_or_default();
        let (kind, number) = self.id(id_node, &id)?;
        let kind_def = &self.config.kinds[kind];
        let mut item = Item {
            id,
            number,
            kind,
            file: self.file.to_string(),
            id_span: id_node.span,
            title: String::new(),
            status: None,
            status_span: fm_end,
            category: None,
            parent: None,
            depends_on: Vec::new(),
            owner: None,
            assignee: None,
            tags: Vec::new(),
            moscow: None,
            rice: None,
            ice: None,
            wsjf: None,
            estimate: None,
            sprint: None,
            horizon: None,
            key_results: Vec::new(),
            custom: Vec::new(),
            statement,
            criteria,
            front_matter_end: fm_end,
            parent_written: false,
        };
        for required in ["title", "status"] {
            if get(required).is_none() {
                let example = if required == "title" {
                    "title: Short name".to_string()
                } else {
                    format!("status: {}", kind_def.statuses[0].0)
                };
                self.report(
                    Rule::MissingField,
                    fm_end,
                    format!("missing required field `{required}`"),
                    Some(format!("add `{example}` to the front matter")),
                );
            }
        }
        let has_parent = kind_def.parent.is_some();
        let goal_like = !has_parent || self.config.has_children(&kind_def.name);
        let parent_field = kind_def.parent.clone();
        for (name, key, value) in fields {
            match name {
                "id" => {}
                "title" => {
                    if let Some(t) = self.text(value, "title") {
                        if t.trim().is_empty() {
                            self.invalid(
                                value,
                                "`title` is empty".into(),
                                Some("give the item a short name".into()),
                            );
                        } else {
                            item.title = t;
                        }
                    }
                }
                "status" => self.status(value, &mut item),
                "owner" => item.owner = self.text(value, "owner"),
                "assignee" if has_parent => item.assignee = self.text(value, "assignee"),
                "tags" => item.tags = self.strings(value, "tags"),
                "depends_on" => item.depends_on = self.ids(value),
                "moscow" => item.moscow = self.moscow(value),
                "rice" => item.rice = self.rice(value),
                "ice" => item.ice = self.ice(value),
                "wsjf" => item.wsjf = self.wsjf(value),
                "estimate" if has_parent => {
                    item.estimate = self.number(
                        value,
                        "estimate",
                        |n| n >= 0.0,
                        "a number of story points, 0 or more",
                    )
                }
                "sprint" if has_parent => {
                    if let Some(s) = self.text(value, "sprint") {
                        item.sprint = Some(Ref {
                            id: s,
                            span: value.span,
                        });
                    }
                }
                "horizon" if goal_like => item.horizon = self.horizon(value),
                "key_results" if goal_like => item.key_results = self.key_results(value),
                _ if parent_field.as_deref() == Some(name) => {
                    if let Some(id) = self.reference(value, name) {
                        item.parent = Some(Ref {
                            id,
                            span: value.span,
                        });
                    }
                }
                _ => {
                    if let Some(def) = self.config.field(name) {
                        if let Some(v) = self.custom(value, def) {
                            item.custom.push((name.to_string(), v));
                        }
                    } else {
                        self.unknown_field(
                            key,
                            name,
                            has_parent,
                            goal_like,
                            parent_field.as_deref(),
                        );
                    }
                }
            }
        }
        Some(item)
    }

    fn id_help(&self) -> String {
        let prefixes: Vec<_> = self
            .config
            .kinds
            .iter()
            .map(|k| format!("{}-N", k.prefix))
            .collect();
        format!("add `id:` with an id like {}", prefixes.join(" or "))
    }

    fn id(&mut self, node: &Node, id: &str) -> Option<(usize, u64)> {
        let prefixes = || {
            self.config
                .kinds
                .iter()
                .map(|k| format!("`{}-N` ({})", k.prefix, k.name))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if node.as_str().is_none() || id.trim().is_empty() {
            self.report(
                Rule::InvalidId,
                node.span,
                format!("`id` must be an id like `S-1`, found {}", node.type_name()),
                Some(format!("ids look like {}", prefixes())),
            );
            return None;
        }
        match split_id(id) {
            Some((prefix, n)) => match self.config.kind_by_prefix(prefix) {
                Some(kind) => Some((kind, n)),
                None => {
                    let help = suggest::did_you_mean(
                        prefix,
                        self.config.kinds.iter().map(|k| k.prefix.as_str()),
                    )
                    .map(|p| format!("did you mean `{p}-{n}`?"))
                    .unwrap_or_else(|| format!("configured prefixes: {}", prefixes()));
                    self.report(
                        Rule::InvalidId,
                        node.span,
                        format!("id `{id}` has prefix `{prefix}`, which is no configured kind"),
                        Some(help),
                    );
                    None
                }
            },
            None => {
                let fixed = id.trim().to_uppercase().replace([' ', '_'], "-");
                let help = match fixed.split_once('-') {
                    Some((p, n))
                        if self.config.kind_by_prefix(p).is_some()
                            && !n.is_empty()
                            && n.chars().all(|c| c.is_ascii_digit()) =>
                    {
                        match n.trim_start_matches('0') {
                            "" => format!("id numbers start at 1: use `{p}-1` or above"),
                            n => format!("did you mean `{p}-{n}`?"),
                        }
                    }
                    _ => format!("ids look like {}", prefixes()),
                };
                self.report(
                    Rule::InvalidId,
                    node.span,
                    format!("id `{id}` is not of the form `PREFIX-N`"),
                    Some(help),
                );
                None
            }
        }
    }

    fn status(&mut self, node: &Node, item: &mut Item) {
        let kind = &self.config.kinds[item.kind];
        item.status_span = node.span;
        let Some(status) = self.text(node, "status") else {
            return;
        };
        match kind.category(&status) {
            Some(cat) => {
                item.status = Some(status);
                item.category = Some(cat);
            }
            None => {
                let names: Vec<&str> = kind.statuses.iter().map(|(s, _)| s.as_str()).collect();
                let help = suggest::help(&status, names.iter().copied()).unwrap_or_else(|| {
                    format!("statuses of a {}: {}", kind.name, names.join(", "))
                });
                self.invalid(
                    node,
                    format!("`{status}` is not a status of a {}", kind.name),
                    Some(help),
                );
            }
        }
    }

    fn text(&mut self, node: &Node, field: &str) -> Option<String> {
        match &node.value {
            Value::Str(s) => Some(s.clone()),
            Value::Int(_) | Value::Float(_) => node.scalar_text(),
            _ => {
                self.invalid(
                    node,
                    format!("`{field}` must be text, found {}", node.type_name()),
                    None,
                );
                None
            }
        }
    }

    fn strings(&mut self, node: &Node, field: &str) -> Vec<String> {
        let Some(list) = node.as_seq() else {
            if !matches!(node.value, Value::Null) {
                let help = node
                    .scalar_text()
                    .map(|s| format!("write a list: `{field}: [{s}]`"));
                self.invalid(
                    node,
                    format!("`{field}` must be a list, found {}", node.type_name()),
                    help,
                );
            }
            return Vec::new();
        };
        list.iter()
            .filter_map(|n| match &n.value {
                Value::Str(_) | Value::Int(_) | Value::Float(_) => n.scalar_text(),
                _ => {
                    self.invalid(
                        n,
                        format!("`{field}` entries must be text, found {}", n.type_name()),
                        None,
                    );
                    None
                }
            })
            .collect()
    }

    fn reference(&mut self, node: &Node, field: &str) -> Option<String> {
        let s = match &node.value {
            Value::Str(s) => s.clone(),
            Value::Null => return None,
            _ => {
                self.invalid(
                    node,
                    format!("`{field}` must be an id, found {}", node.type_name()),
                    None,
                );
                return None;
            }
        };
        if split_id(&s).is_none() {
            let fixed = s.trim().to_uppercase().replace([' ', '_'], "-");
            let help = split_id(&fixed).map(|(p, n)| format!("did you mean `{p}-{n}`?"));
            self.invalid(
                node,
                format!("`{s}` in `{field}` is not an id like `G-3`"),
                help,
            );
            return None;
        }
        Some(s)
    }

    fn ids(&mut self, node: &Node) -> Vec<Ref> {
        let Some(list) = node.as_seq() else {
            if !matches!(node.value, Value::Null) {
                let help = node
                    .scalar_text()
                    .map(|s| format!("write a list: `depends_on: [{s}]`"));
                self.invalid(
                    node,
                    format!(
                        "`depends_on` must be a list of ids, found {}",
                        node.type_name()
                    ),
                    help,
                );
            }
            return Vec::new();
        };
        list.iter()
            .filter_map(|n| {
                self.reference(n, "depends_on")
                    .map(|id| Ref { id, span: n.span })
            })
            .collect()
    }

    fn moscow(&mut self, node: &Node) -> Option<Moscow> {
        let s = node.scalar_text()?;
        let m = Moscow::parse(&s);
        if m.is_none() && !matches!(node.value, Value::Null) {
            let help = suggest::help(&s, Moscow::NAMES)
                .unwrap_or_else(|| "use must, should, could or wont".into());
            self.invalid(node, format!("`{s}` is not a MoSCoW class"), Some(help));
        }
        m
    }

    fn number(
        &mut self,
        node: &Node,
        field: &str,
        ok: impl Fn(f64) -> bool,
        expected: &str,
    ) -> Option<f64> {
        match node.as_f64() {
            Some(n) if n.is_finite() && ok(n) => Some(n),
            Some(n) => {
                self.invalid(node, format!("`{field}` is {n}; expected {expected}"), None);
                None
            }
            None => {
                let help = node
                    .as_str()
                    .and_then(|s| s.trim().parse::<f64>().ok())
                    .map(|n| format!("write the number without quotes: `{n}`"));
                self.invalid(
                    node,
                    format!("`{field}` must be {expected}, found {}", node.type_name()),
                    help,
                );
                None
            }
        }
    }

    fn sub_fields<'n>(
        &mut self,
        node: &'n Node,
        field: &str,
        known: &[&str],
    ) -> Vec<(&'n str, &'n Node)> {
        let Some(map) = node.as_map() else {
            if !matches!(node.value, Value::Null) {
                self.invalid(
                    node,
                    format!(
                        "`{field}` must be a mapping of {}, found {}",
                        known.join(", "),
                        node.type_name()
                    ),
                    None,
                );
            }
            return Vec::new();
        };
        let mut out = Vec::new();
        for (k, v) in map {
            match k.as_str() {
                Some(name) if known.contains(&name) => out.push((name, v)),
                Some(name) => {
                    let help = suggest::help(name, known.iter().copied())
                        .unwrap_or_else(|| format!("`{field}` takes {}", known.join(", ")));
                    self.report(
                        Rule::UnknownField,
                        k.span,
                        format!("unknown field `{field}.{name}`"),
                        Some(help),
                    );
                }
                None => self.invalid(k, format!("`{field}` keys must be text"), None),
            }
        }
        out
    }

    fn rice(&mut self, node: &Node) -> Option<Rice> {
        let mut r = Rice::default();
        for (name, v) in self.sub_fields(node, "rice", &["reach", "impact", "confidence", "effort"])
        {
            match name {
                "reach" => r.reach = self.number(v, "rice.reach", |n| n >= 0.0, "0 or more"),
                "impact" => {
                    r.impact = self.number(
                        v,
                        "rice.impact",
                        |n| [3.0, 2.0, 1.0, 0.5, 0.25].contains(&n),
                        "one of 3, 2, 1, 0.5, 0.25",
                    )
                }
                "confidence" => r.confidence = self.confidence(v),
                _ => {
                    r.effort =
                        self.number(v, "rice.effort", |n| n > 0.0, "more than 0 person-months");
                }
            }
        }
        Some(r)
    }

    fn confidence(&mut self, node: &Node) -> Option<f64> {
        if let Some(s) = node.as_str() {
            if let Some(p) = s
                .trim()
                .strip_suffix('%')
                .and_then(|p| p.trim().parse::<f64>().ok())
            {
                if (0.0..=100.0).contains(&p) {
                    return Some(p / 100.0);
                }
                self.invalid(
                    node,
                    format!("`rice.confidence` is {s}; expected 0% to 100%"),
                    None,
                );
                return None;
            }
        }
        match node.as_f64() {
            Some(n) if (0.0..=1.0).contains(&n) => Some(n),
            Some(n) if n > 1.0 && n <= 100.0 => {
                self.invalid(
                    node,
                    format!("`rice.confidence` is {n}; expected 0–1 or a percentage"),
                    Some(format!("did you mean `{n}%`?")),
                );
                None
            }
            _ => {
                self.invalid(
                    node,
                    "`rice.confidence` must be 0–1 or a percentage like `80%`".into(),
                    None,
                );
                None
            }
        }
    }

    fn ice(&mut self, node: &Node) -> Option<Ice> {
        let mut r = Ice::default();
        for (name, v) in self.sub_fields(node, "ice", &["impact", "confidence", "ease"]) {
            let field = format!("ice.{name}");
            let n = self.number(v, &field, |n| (1.0..=10.0).contains(&n), "1 to 10");
            match name {
                "impact" => r.impact = n,
                "confidence" => r.confidence = n,
                _ => r.ease = n,
            }
        }
        Some(r)
    }

    fn wsjf(&mut self, node: &Node) -> Option<Wsjf> {
        const SCALE: [f64; 7] = [1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 20.0];
        let mut r = Wsjf::default();
        let known = [
            "business_value",
            "time_criticality",
            "risk_reduction",
            "job_size",
        ];
        for (name, v) in self.sub_fields(node, "wsjf", &known) {
            let field = format!("wsjf.{name}");
            let n = self.number(
                v,
                &field,
                |n| SCALE.contains(&n),
                "one of 1, 2, 3, 5, 8, 13, 20",
            );
            match name {
                "business_value" => r.business_value = n,
                "time_criticality" => r.time_criticality = n,
                "risk_reduction" => r.risk_reduction = n,
                _ => r.job_size = n,
            }
        }
        Some(r)
    }

    fn horizon(&mut self, node: &Node) -> Option<String> {
        let s = node.scalar_text()?;
        let lower = s.to_lowercase();
        let ok =
            matches!(lower.as_str(), "now" | "next" | "later") || is_quarter(&s) || is_month(&s);
        if ok {
            Some(if is_quarter(&s) || is_month(&s) {
                s
            } else {
                lower
            })
        } else {
            self.invalid(
                node,
                format!("`{s}` is not a horizon"),
                suggest::help(&s, ["now", "next", "later"]).or_else(|| {
                    Some(
                        "use now, next, later, a quarter like `2027-Q2` or a month like `2027-05`"
                            .into(),
                    )
                }),
            );
            None
        }
    }

    fn key_results(&mut self, node: &Node) -> Vec<KeyResult> {
        let Some(list) = node.as_seq() else {
            if !matches!(node.value, Value::Null) {
                self.invalid(
                    node,
                    format!("`key_results` must be a list, found {}", node.type_name()),
                    None,
                );
            }
            return Vec::new();
        };
        let mut out = Vec::new();
        for n in list {
            match &n.value {
                Value::Map(_) => {
                    let fields =
                        self.sub_fields(n, "key_results", &["metric", "target", "current"]);
                    let get = |k: &str| {
                        fields
                            .iter()
                            .find(|(f, _)| *f == k)
                            .and_then(|(_, v)| v.scalar_text())
                    };
                    match get("metric") {
                        Some(metric) => out.push(KeyResult::Metric {
                            metric,
                            target: get("target"),
                            current: get("current"),
                        }),
                        None => self.invalid(n, "a key result needs a `metric`".into(), None),
                    }
                }
                _ => match n.scalar_text() {
                    Some(s) if !s.is_empty() => out.push(KeyResult::Text(s)),
                    _ => self.invalid(
                        n,
                        "a key result must be text or `{metric, target, current}`".into(),
                        None,
                    ),
                },
            }
        }
        out
    }

    fn custom(&mut self, node: &Node, def: &crate::config::FieldDef) -> Option<CustomValue> {
        let name = &def.name;
        let check_allowed = |b: &mut Self, s: &str, n: &Node| -> bool {
            match &def.values {
                Some(values) if !values.iter().any(|v| v == s) => {
                    let help = suggest::help(s, values.iter().map(String::as_str))
                        .unwrap_or_else(|| format!("allowed values: {}", values.join(", ")));
                    b.invalid(
                        n,
                        format!("`{s}` is not an allowed value of `{name}`"),
                        Some(help),
                    );
                    false
                }
                _ => true,
            }
        };
        match def.ty {
            FieldType::String => {
                let s = self.text(node, name)?;
                check_allowed(self, &s, node).then_some(CustomValue::Str(s))
            }
            FieldType::Date => {
                let s = self.text(node, name)?;
                if is_date(&s) {
                    Some(CustomValue::Str(s))
                } else {
                    self.invalid(
                        node,
                        format!("`{name}` must be a date `YYYY-MM-DD`, found `{s}`"),
                        None,
                    );
                    None
                }
            }
            FieldType::Number | FieldType::Integer => {
                let integer = def.ty == FieldType::Integer;
                let expected = match (def.min, def.max, integer) {
                    (Some(a), Some(b), _) => format!("a number from {a} to {b}"),
                    (Some(a), None, _) => format!("a number of at least {a}"),
                    (None, Some(b), _) => format!("a number of at most {b}"),
                    (None, None, true) => "a whole number".into(),
                    (None, None, false) => "a number".into(),
                };
                let ok = |n: f64| {
                    def.min.is_none_or(|m| n >= m)
                        && def.max.is_none_or(|m| n <= m)
                        && (!integer || n.fract() == 0.0)
                };
                self.number(node, name, ok, &expected).map(CustomValue::Num)
            }
            FieldType::Boolean => match node.value {
                Value::Bool(b) => Some(CustomValue::Bool(b)),
                _ => {
                    self.invalid(
                        node,
                        format!("`{name}` must be true or false, found {}", node.type_name()),
                        None,
                    );
                    None
                }
            },
            FieldType::List => {
                let items = self.strings(node, name);
                let list = node.as_seq().unwrap_or_default();
                let mut ok = true;
                for (s, n) in items.iter().zip(list) {
                    ok &= check_allowed(self, s, n);
                }
                ok.then_some(CustomValue::List(items))
            }
        }
    }

    fn unknown_field(
        &mut self,
        key: &Node,
        name: &str,
        has_parent: bool,
        goal_like: bool,
        parent: Option<&str>,
    ) {
        let mut allowed: Vec<&str> = BUILTIN_FIELDS
            .iter()
            .copied()
            .filter(|f| {
                (goal_like || !GOAL_FIELDS.contains(f)) && (has_parent || !STORY_FIELDS.contains(f))
            })
            .collect();
        allowed.extend(parent);
        allowed.extend(self.config.fields.iter().map(|f| f.name.as_str()));
        let help = if BUILTIN_FIELDS.contains(&name) {
            Some(format!("`{name}` is not a field of this kind"))
        } else if self.config.kind(name).is_some() {
            Some(match parent {
                Some(p) => format!("this kind names its parent in `{p}:`"),
                None => "this kind has no parent".to_string(),
            })
        } else {
            suggest::help(name, allowed.iter().copied()).or_else(|| {
                Some(format!(
                    "declare it under `fields:` in {}",
                    crate::config::FILE_NAME
                ))
            })
        };
        self.report(
            Rule::UnknownField,
            key.span,
            format!("unknown field `{name}`"),
            help,
        );
    }
}

fn is_quarter(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 7
        && b[..4].iter().all(u8::is_ascii_digit)
        && &s[4..6] == "-Q"
        && (b'1'..=b'4').contains(&b[6])
}

fn is_month(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 7
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && s[5..].parse::<u32>().is_ok_and(|m| (1..=12).contains(&m))
}
