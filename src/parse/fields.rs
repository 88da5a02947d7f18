//! Field by field: the type, range and allowed values of every front-matter field, each wrong
//! value reported where it is written, with a did-you-mean where one fits.

use super::item::Builder;
use super::yaml::{Node, Value};
use crate::config::FieldType;
use crate::diagnostic::Rule;
use crate::model::*;
use crate::suggest;

impl Builder<'_> {
    /// A text field's value: any non-null scalar, exactly as written (`title: 1.0` is `1.0`, not
    /// the number 1; `owner: TRUE` is `TRUE`).
    pub(super) fn text(&mut self, node: &Node, field: &str) -> Option<String> {
        match node.text() {
            Some(s) => Some(s.to_string()),
            None => {
                self.invalid(
                    node,
                    format!("`{field}` must be text, found {}", node.type_name()),
                    None,
                );
                None
            }
        }
    }

    /// A string or a list of strings (`owner: ana`, `owner: [ana, ben]`); empty entries dropped.
    pub(super) fn names(&mut self, node: &Node, field: &str) -> Vec<String> {
        match &node.value {
            Value::Null => Vec::new(),
            Value::Seq(_) => self
                .strings(node, field)
                .into_iter()
                .filter(|s| !s.trim().is_empty())
                .collect(),
            Value::Str(_) | Value::Int(..) | Value::Float(..) => node
                .scalar_text()
                .filter(|s| !s.trim().is_empty())
                .into_iter()
                .collect(),
            _ => {
                self.invalid(
                    node,
                    format!(
                        "`{field}` must be text or a list of text, found {}",
                        node.type_name()
                    ),
                    None,
                );
                Vec::new()
            }
        }
    }

    pub(super) fn strings(&mut self, node: &Node, field: &str) -> Vec<String> {
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
            .filter_map(|n| match n.text() {
                Some(s) => Some(s.to_string()),
                None => {
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

    pub(super) fn reference(&mut self, node: &Node, field: &str) -> Option<String> {
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
                format!(
                    "`{s}` in `{field}` is not an id like {}",
                    self.id_example(field)
                ),
                help,
            );
            return None;
        }
        Some(s)
    }

    /// An example id for a reference in `field`: the parent kind's prefix for a parent field
    /// (`milestone` → `` `M-1` ``), every kind's for `depends_on` (`` `G-1` or `S-1` ``).
    fn id_example(&self, field: &str) -> String {
        let kinds = &self.config.kinds;
        let examples: Vec<String> = match self.config.kind(field) {
            Some(k) => vec![format!("`{}-1`", k.prefix)],
            None => kinds.iter().map(|k| format!("`{}-1`", k.prefix)).collect(),
        };
        match examples.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => "`PREFIX-N`".to_string(),
        }
    }

    pub(super) fn ids(&mut self, node: &Node) -> Vec<Ref> {
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

    pub(super) fn moscow(&mut self, node: &Node) -> Option<Moscow> {
        let Some(s) = node.scalar_text() else {
            self.invalid(
                node,
                format!(
                    "`moscow` must be one of must, should, could, wont, found {}",
                    node.type_name()
                ),
                None,
            );
            return None;
        };
        let m = Moscow::parse(&s);
        if m.is_none() && !matches!(node.value, Value::Null) {
            let help = suggest::help(&s, Moscow::NAMES)
                .unwrap_or_else(|| "use must, should, could or wont".into());
            self.invalid(node, format!("`{s}` is not a MoSCoW class"), Some(help));
        }
        m
    }

    pub(super) fn number(
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

    pub(super) fn sub_fields<'n>(
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

    pub(super) fn rice(&mut self, node: &Node) -> Option<Rice> {
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

    pub(super) fn confidence(&mut self, node: &Node) -> Option<f64> {
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

    pub(super) fn ice(&mut self, node: &Node) -> Option<Ice> {
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

    pub(super) fn wsjf(&mut self, node: &Node) -> Option<Wsjf> {
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

    pub(super) fn horizon(&mut self, node: &Node) -> Option<String> {
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

    pub(super) fn key_results(&mut self, node: &Node) -> Vec<KeyResult> {
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

    pub(super) fn custom(
        &mut self,
        node: &Node,
        def: &crate::config::FieldDef,
    ) -> Option<CustomValue> {
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
                Value::Bool(b, _) => Some(CustomValue::Bool(b)),
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

    pub(super) fn unknown_field(
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

pub(super) fn is_quarter(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 7
        && b[..4].iter().all(u8::is_ascii_digit)
        && &s[4..6] == "-Q"
        && (b'1'..=b'4').contains(&b[6])
}

pub(super) fn is_month(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 7
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && s[5..].parse::<u32>().is_ok_and(|m| (1..=12).contains(&m))
}
