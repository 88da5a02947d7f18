//! Reading `cairn.yaml` into a [`Config`], with a located error for anything it cannot use.

use super::*;
use crate::diagnostic::{Level, Rule, Span};
use crate::parse::yaml::{self, Node, Value};
use crate::suggest;

impl Config {
    /// Parses `cairn.yaml` text; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Config, ConfigError> {
        let err = |span: Span, message: String, help: Option<String>| ConfigError {
            file: file.to_string(),
            span,
            message,
            help,
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let root = yaml::parse(text, yaml::Origin { first_line: 1 })
            .map_err(|e| err(e.span, format!("invalid YAML: {}", e.message), None))?;
        let mut config = Config::default();
        let entries = match &root.value {
            Value::Null => return Ok(config),
            Value::Map(m) => m,
            _ => {
                return Err(err(
                    root.span,
                    format!("the config must be a mapping, found {}", root.type_name()),
                    None,
                ))
            }
        };
        let p = Parser { file };
        let mut formula_node: Option<&Node> = None;
        for (key, value) in entries {
            let name = p.key(key)?;
            match name {
                "plan_dir" => {
                    let dir = p.string(value, "plan_dir")?;
                    let dir = dir.trim_matches('/').to_string();
                    if dir.split('/').any(|c| c == "..") {
                        return Err(err(
                            value.span,
                            "`plan_dir` must stay inside the folder holding cairn.yaml".into(),
                            None,
                        ));
                    }
                    config.plan_dir = if dir.is_empty() { ".".into() } else { dir };
                }
                "kinds" => p.kinds(value, &mut config.kinds)?,
                "scoring" => {
                    for (k, v) in p.map(value, "scoring")? {
                        match p.key(k)? {
                            "method" => {
                                let m = p.string(v, "scoring.method")?;
                                config.method = Method::from_name(&m).ok_or_else(|| {
                                    err(
                                        v.span,
                                        format!("unknown scoring method `{m}`; expected one of rice, ice, wsjf, moscow, formula"),
                                        suggest::help(&m, Method::NAMES),
                                    )
                                })?;
                            }
                            "formula" => {
                                formula_node = Some(v);
                                config.formula = Some(p.string(v, "scoring.formula")?);
                            }
                            "ice" => {
                                for (ik, iv) in p.map(v, "scoring.ice")? {
                                    match p.key(ik)? {
                                        "mode" => {
                                            config.ice_mean = match p.string(iv, "scoring.ice.mode")?.as_str() {
                                                "product" => false,
                                                "mean" => true,
                                                other => {
                                                    return Err(err(
                                                        iv.span,
                                                        format!("unknown ICE mode `{other}`; expected product or mean"),
                                                        suggest::help(other, ["product", "mean"]),
                                                    ))
                                                }
                                            }
                                        }
                                        other => return Err(p.unknown(ik, other, &["mode"])),
                                    }
                                }
                            }
                            other => {
                                return Err(p.unknown(k, other, &["method", "formula", "ice"]))
                            }
                        }
                    }
                    if config.method == Method::Formula && config.formula.is_none() {
                        return Err(err(
                            value.span,
                            "`scoring.method` is `formula` but no `scoring.formula` is given"
                                .into(),
                            Some("add `formula: \"reach * impact * confidence / effort\"`".into()),
                        ));
                    }
                }
                "sprints" => config.sprints = p.sprints(value)?,
                "rules" => {
                    for (k, v) in p.map(value, "rules")? {
                        let rule_name = p.key(k)?;
                        let rule = Rule::from_name(rule_name).ok_or_else(|| {
                            p.unknown(
                                k,
                                rule_name,
                                &Rule::ALL.iter().map(|r| r.name()).collect::<Vec<_>>(),
                            )
                        })?;
                        let level = p.string(v, rule_name)?;
                        let level = match level.as_str() {
                            "error" => Level::Error,
                            "warn" | "warning" => Level::Warn,
                            "off" => Level::Off,
                            other => {
                                return Err(err(
                                    v.span,
                                    format!(
                                        "unknown rule level `{other}`; expected error, warn or off"
                                    ),
                                    suggest::help(other, ["error", "warn", "off"]),
                                ))
                            }
                        };
                        config.rules.insert(rule, level);
                    }
                }
                "fields" => config.fields = p.fields(value)?,
                "planning" => {
                    for (k, v) in p.map(value, "planning")? {
                        match p.key(k)? {
                            "must_limit" => {
                                let share = match (
                                    v.as_str().and_then(|s| s.trim().strip_suffix('%')),
                                    v.as_f64(),
                                ) {
                                    (Some(pct), _) => {
                                        pct.trim().parse::<f64>().ok().map(|p| p / 100.0)
                                    }
                                    (None, Some(n)) => Some(n),
                                    _ => None,
                                };
                                config.must_limit = share.filter(|s| (0.0..=1.0).contains(s)).ok_or_else(|| {
                                    err(v.span, "`planning.must_limit` must be a share like `60%` or `0.6`".into(), None)
                                })?;
                            }
                            other => return Err(p.unknown(k, other, &["must_limit"])),
                        }
                    }
                }
                "site" => config.site = p.site(value)?,
                other => {
                    return Err(p.unknown(
                        key,
                        other,
                        &[
                            "plan_dir", "kinds", "scoring", "sprints", "rules", "fields",
                            "planning", "site",
                        ],
                    ))
                }
            }
        }
        p.check_kinds(&config.kinds, &root)?;
        if let (Some(text), Some(node)) = (&config.formula, formula_node) {
            config.formula_expr = Some(
                check_formula(text, node, &config.fields)
                    .map_err(|(span, message, help)| err(span, message, help))?,
            );
        }
        Ok(config)
    }
}

/// Parses a scoring formula and checks every name it uses, pointing into the config on error.
fn check_formula(
    text: &str,
    node: &Node,
    fields: &[FieldDef],
) -> Result<crate::priority::formula::Expr, (Span, String, Option<String>)> {
    // Quoted values start one character before the formula text.
    let quoted = node.span.len == text.chars().count() + 2;
    let at = |offset: usize| {
        Span::new(
            node.span.line,
            node.span.column + offset + usize::from(quoted),
            1,
        )
    };
    let expr = crate::priority::formula::parse(text).map_err(|e| {
        (
            at(e.offset),
            format!("invalid scoring formula: {}", e.message),
            None,
        )
    })?;
    let numeric: Vec<&str> = fields
        .iter()
        .filter(|f| matches!(f.ty, FieldType::Number | FieldType::Integer))
        .map(|f| f.name.as_str())
        .collect();
    for name in expr.names() {
        if crate::priority::formula::BUILTIN_NAMES.contains(&name) || numeric.contains(&name) {
            continue;
        }
        // The name as a whole word (`rea`, not the start of `reach`).
        let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.';
        let offset = text
            .match_indices(name)
            .find(|&(b, _)| {
                !text[..b].chars().next_back().is_some_and(is_word)
                    && !text[b + name.len()..].chars().next().is_some_and(is_word)
            })
            .map_or(0, |(b, _)| text[..b].chars().count());
        let known = crate::priority::formula::BUILTIN_NAMES
            .iter()
            .copied()
            .chain(numeric.iter().copied());
        let help = suggest::help(name, known).or_else(|| {
            Some(format!(
                "a formula can use rice, ice and wsjf inputs, `estimate`, and custom fields of type number or integer{}",
                if numeric.is_empty() { String::new() } else { format!(" ({})", numeric.join(", ")) }
            ))
        });
        return Err((
            at(offset),
            format!("the scoring formula uses `{name}`, which is not a numeric field"),
            help,
        ));
    }
    Ok(expr)
}

struct Parser<'a> {
    file: &'a str,
}

impl Parser<'_> {
    fn err(&self, span: Span, message: String) -> ConfigError {
        ConfigError {
            file: self.file.to_string(),
            span,
            message,
            help: None,
        }
    }

    fn key<'n>(&self, key: &'n Node) -> Result<&'n str, ConfigError> {
        key.as_str().ok_or_else(|| {
            self.err(
                key.span,
                format!("keys must be strings, found {}", key.type_name()),
            )
        })
    }

    fn unknown(&self, key: &Node, name: &str, known: &[&str]) -> ConfigError {
        let mut e = self.err(key.span, format!("unknown key `{name}`"));
        e.help = suggest::help(name, known.iter().copied())
            .or_else(|| Some(format!("expected one of: {}", known.join(", "))));
        e
    }

    fn map<'n>(&self, node: &'n Node, what: &str) -> Result<&'n [(Node, Node)], ConfigError> {
        match &node.value {
            Value::Map(m) => Ok(m),
            Value::Null => Ok(&[]),
            _ => Err(self.err(
                node.span,
                format!("`{what}` must be a mapping, found {}", node.type_name()),
            )),
        }
    }

    fn string(&self, node: &Node, what: &str) -> Result<String, ConfigError> {
        match &node.value {
            Value::Str(s) if !s.trim().is_empty() => Ok(s.clone()),
            // A text setting keeps what was written: sprint `2027.10` is not `2027.1`.
            Value::Bool(_, t) | Value::Int(_, t) | Value::Float(_, t) => Ok(t.to_string()),
            _ => Err(self.err(
                node.span,
                format!(
                    "`{what}` must be a non-empty string, found {}",
                    node.type_name()
                ),
            )),
        }
    }

    fn number(&self, node: &Node, what: &str) -> Result<f64, ConfigError> {
        match node.as_f64() {
            Some(n) if n.is_finite() => Ok(n),
            _ => Err(self.err(
                node.span,
                format!("`{what}` must be a number, found {}", node.type_name()),
            )),
        }
    }

    fn date(&self, node: &Node, what: &str) -> Result<String, ConfigError> {
        let s = self.string(node, what)?;
        if crate::model::is_date(&s) {
            Ok(s)
        } else {
            Err(self.err(
                node.span,
                format!("`{what}` must be a date `YYYY-MM-DD`, found `{s}`"),
            ))
        }
    }

    fn site(&self, node: &Node) -> Result<SiteConfig, ConfigError> {
        let mut site = SiteConfig::default();
        for (k, v) in self.map(node, "site")? {
            match self.key(k)? {
                "title" => site.title = Some(self.string(v, "site.title")?),
                "repo_url" => site.repo_url = Some(self.web_address(v, "site.repo_url")?),
                "base_url" => site.base_url = Some(self.web_address(v, "site.base_url")?),
                "branch" => site.branch = Some(self.string(v, "site.branch")?),
                other => {
                    return Err(self.unknown(
                        k,
                        other,
                        &["title", "repo_url", "base_url", "branch"],
                    ))
                }
            }
        }
        Ok(site)
    }

    /// An `http(s)://` address, without a trailing `/`.
    fn web_address(&self, node: &Node, what: &str) -> Result<String, ConfigError> {
        let s = self.string(node, what)?;
        let s = s.trim();
        let rest = s
            .strip_prefix("https://")
            .or_else(|| s.strip_prefix("http://"));
        match rest {
            Some(r) if !r.is_empty() && !r.starts_with('/') && !s.contains(char::is_whitespace) => {
                Ok(s.trim_end_matches('/').to_string())
            }
            _ => {
                let mut e = self.err(
                    node.span,
                    format!("`{what}` must be an http:// or https:// address, found `{s}`"),
                );
                e.help = Some(
                    "write the address as a browser shows it, e.g. `https://github.com/acme/app`"
                        .into(),
                );
                Err(e)
            }
        }
    }

    fn kinds(&self, node: &Node, kinds: &mut Vec<Kind>) -> Result<(), ConfigError> {
        for (k, v) in self.map(node, "kinds")? {
            let name = self.key(k)?.to_string();
            if !name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                return Err(self.err(
                    k.span,
                    format!("kind name `{name}` must be lowercase letters"),
                ));
            }
            let idx = match kinds.iter().position(|kind| kind.name == name) {
                Some(i) => i,
                None => {
                    kinds.push(Kind {
                        name: name.clone(),
                        prefix: String::new(),
                        parent: None,
                        statuses: kinds[0].statuses.clone(),
                    });
                    kinds.len() - 1
                }
            };
            for (fk, fv) in self.map(v, &name)? {
                match self.key(fk)? {
                    "prefix" => {
                        let prefix = self.string(fv, "prefix")?;
                        if !prefix.chars().all(|c| c.is_ascii_uppercase()) {
                            return Err(self.err(
                                fv.span,
                                format!("prefix `{prefix}` must be upper-case letters (A-Z)"),
                            ));
                        }
                        kinds[idx].prefix = prefix;
                    }
                    "parent" => {
                        kinds[idx].parent = match fv.value {
                            Value::Null => None,
                            _ => Some(self.string(fv, "parent")?),
                        }
                    }
                    "statuses" => {
                        let mut statuses = Vec::new();
                        for (sk, sv) in self.map(fv, "statuses")? {
                            let status = self.key(sk)?.to_string();
                            let cat = self.string(sv, &status)?;
                            let cat = Category::from_name(&cat).ok_or_else(|| {
                                let mut e = self.err(
                                    sv.span,
                                    format!("unknown status category `{cat}`; expected todo, doing, done or dropped"),
                                );
                                e.help = suggest::help(&cat, ["todo", "doing", "done", "dropped"]);
                                e
                            })?;
                            statuses.push((status, cat));
                        }
                        if statuses.is_empty() {
                            return Err(self
                                .err(fv.span, format!("kind `{name}` needs at least one status")));
                        }
                        kinds[idx].statuses = statuses;
                    }
                    other => {
                        return Err(self.unknown(fk, other, &["prefix", "parent", "statuses"]))
                    }
                }
            }
            if kinds[idx].prefix.is_empty() {
                return Err(self.err(k.span, format!("kind `{name}` needs a `prefix`")));
            }
        }
        Ok(())
    }

    fn check_kinds(&self, kinds: &[Kind], root: &Node) -> Result<(), ConfigError> {
        let span_of = |name: &str| {
            root.get("kinds")
                .and_then(|k| k.as_map())
                .and_then(|m| m.iter().find(|(k, _)| k.as_str() == Some(name)))
                .map_or(Span::file_start(), |(k, _)| k.span)
        };
        for (i, kind) in kinds.iter().enumerate() {
            if let Some(other) = kinds[..i].iter().find(|k| k.prefix == kind.prefix) {
                return Err(self.err(
                    span_of(&kind.name),
                    format!(
                        "kinds `{}` and `{}` share the prefix `{}`",
                        other.name, kind.name, kind.prefix
                    ),
                ));
            }
            if let Some(parent) = &kind.parent {
                if kinds.iter().all(|k| &k.name != parent) {
                    let mut e = self.err(
                        span_of(&kind.name),
                        format!(
                            "kind `{}` has parent `{parent}`, which is not a kind",
                            kind.name
                        ),
                    );
                    e.help = suggest::help(parent, kinds.iter().map(|k| k.name.as_str()));
                    return Err(e);
                }
            }
            // Walk up the parents: a loop would make every item its own ancestor.
            let mut seen = vec![kind.name.as_str()];
            let mut cur = kind.parent.as_deref();
            while let Some(p) = cur {
                if seen.contains(&p) {
                    return Err(self.err(
                        span_of(&kind.name),
                        format!("kind parents form a loop: {} → {p}", seen.join(" → ")),
                    ));
                }
                seen.push(p);
                cur = kinds
                    .iter()
                    .find(|k| k.name == p)
                    .and_then(|k| k.parent.as_deref());
            }
        }
        Ok(())
    }

    fn sprints(&self, node: &Node) -> Result<Vec<Sprint>, ConfigError> {
        let list = match &node.value {
            Value::Seq(s) => s.as_slice(),
            Value::Null => &[],
            _ => {
                return Err(self.err(
                    node.span,
                    format!("`sprints` must be a list, found {}", node.type_name()),
                ))
            }
        };
        let mut sprints: Vec<Sprint> = Vec::new();
        for entry in list {
            let mut sprint = Sprint {
                name: String::new(),
                start: None,
                end: None,
                capacity: None,
                span: entry.span,
                capacity_span: None,
                name_span: None,
            };
            for (k, v) in self.map(entry, "sprint")? {
                match self.key(k)? {
                    "name" => {
                        sprint.name = self.string(v, "name")?;
                        sprint.name_span = Some(v.span);
                    }
                    "start" => sprint.start = Some(self.date(v, "start")?),
                    "end" => sprint.end = Some(self.date(v, "end")?),
                    "capacity" => {
                        let c = self.number(v, "capacity")?;
                        if c < 0.0 {
                            return Err(self.err(v.span, "`capacity` must be 0 or more".into()));
                        }
                        sprint.capacity = Some(c);
                        sprint.capacity_span = Some(v.span);
                    }
                    other => {
                        return Err(self.unknown(k, other, &["name", "start", "end", "capacity"]))
                    }
                }
            }
            if sprint.name.is_empty() {
                return Err(self.err(entry.span, "a sprint needs a `name`".into()));
            }
            if let (Some(s), Some(e)) = (&sprint.start, &sprint.end) {
                if e < s {
                    return Err(self.err(
                        entry.span,
                        format!("sprint `{}` ends ({e}) before it starts ({s})", sprint.name),
                    ));
                }
            }
            if sprints.iter().any(|s| s.name == sprint.name) {
                return Err(self.err(
                    entry.span,
                    format!("sprint `{}` is defined twice", sprint.name),
                ));
            }
            sprints.push(sprint);
        }
        Ok(sprints)
    }

    fn fields(&self, node: &Node) -> Result<Vec<FieldDef>, ConfigError> {
        let mut fields = Vec::new();
        for (k, v) in self.map(node, "fields")? {
            let name = self.key(k)?.to_string();
            if crate::model::BUILTIN_FIELDS.contains(&name.as_str()) {
                return Err(self.err(
                    k.span,
                    format!("`{name}` is a built-in field and cannot be redefined"),
                ));
            }
            let mut def = FieldDef {
                name: name.clone(),
                ty: FieldType::String,
                values: None,
                min: None,
                max: None,
            };
            for (fk, fv) in self.map(v, &name)? {
                match self.key(fk)? {
                    "type" => {
                        let t = self.string(fv, "type")?;
                        def.ty = FieldType::from_name(&t).ok_or_else(|| {
                            let mut e = self.err(
                                fv.span,
                                format!(
                                    "unknown field type `{t}`; expected one of {}",
                                    FieldType::NAMES.join(", ")
                                ),
                            );
                            e.help = suggest::help(&t, FieldType::NAMES);
                            e
                        })?;
                    }
                    "values" => {
                        let list = fv.as_seq().ok_or_else(|| {
                            self.err(
                                fv.span,
                                format!("`values` must be a list, found {}", fv.type_name()),
                            )
                        })?;
                        def.values = Some(
                            list.iter()
                                .map(|n| {
                                    n.scalar_text().ok_or_else(|| {
                                        self.err(n.span, "allowed values must be scalars".into())
                                    })
                                })
                                .collect::<Result<_, _>>()?,
                        );
                    }
                    "min" => def.min = Some(self.number(fv, "min")?),
                    "max" => def.max = Some(self.number(fv, "max")?),
                    other => {
                        return Err(self.unknown(fk, other, &["type", "values", "min", "max"]))
                    }
                }
            }
            fields.push(def);
        }
        Ok(fields)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_config_is_the_default() {
        assert_eq!(Config::parse("", "cairn.yaml").unwrap(), Config::default());
    }

    #[test]
    fn epic_between_goal_and_story() {
        let c = Config::parse(
            "kinds:\n  epic: { prefix: E, parent: goal }\n  story: { parent: epic }\n",
            "cairn.yaml",
        )
        .unwrap();
        assert_eq!(c.kind("story").unwrap().parent.as_deref(), Some("epic"));
        assert_eq!(c.kind("story").unwrap().prefix, "S");
        assert_eq!(c.kind("epic").unwrap().prefix, "E");
    }

    #[test]
    fn unknown_key_is_located_with_suggestion() {
        let e =
            Config::parse("plan_dir: plan\nsprint:\n  - {name: a}\n", "cairn.yaml").unwrap_err();
        assert_eq!((e.span.line, e.span.column), (2, 1));
        assert_eq!(e.help.as_deref(), Some("did you mean `sprints`?"));
    }

    #[test]
    fn bad_category_points_at_value() {
        let e = Config::parse(
            "kinds:\n  story:\n    statuses:\n      todo: todo\n      wip: doin\n",
            "cairn.yaml",
        )
        .unwrap_err();
        assert_eq!((e.span.line, e.span.column), (5, 12));
        assert_eq!(e.help.as_deref(), Some("did you mean `doing`?"));
    }
}
