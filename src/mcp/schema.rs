//! The JSON Schemas of the tools' inputs, and the validator that holds arguments to them.
//!
//! A tool's input schema is the contract a client sees in `tools/list`; [`validate`] checks the
//! arguments of `tools/call` against that same value, so the two cannot drift apart. It knows the
//! keywords the schemas here use (`type`, `anyOf`, `enum`, `properties`, `required`,
//! `additionalProperties`, `items`, `minimum`, `minLength`, `minItems`, `minProperties`) and
//! ignores the rest (`description`, `default`, `propertyNames`, whose rules the engine checks
//! itself with its own messages).

use serde_json::{json, Map, Value};

/// An object schema: `properties`, the `required` ones, no other property.
pub fn object(properties: Value, required: &[&str]) -> Value {
    json!({
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

/// A string from a fixed list.
pub fn one_of(values: &[&str], description: &str) -> Value {
    json!({ "type": "string", "enum": values, "description": description })
}

/// A list of strings (each from `values` when given).
pub fn strings(values: Option<&[&str]>, description: &str) -> Value {
    let items = match values {
        Some(v) => json!({ "type": "string", "enum": v }),
        None => json!({ "type": "string", "minLength": 1 }),
    };
    json!({ "type": "array", "items": items, "description": description })
}

/// Checks `value` against `schema`; the error says which argument is wrong and how.
pub fn validate(schema: &Value, value: &Value) -> Result<(), String> {
    check(schema, value, "")
}

fn check(schema: &Value, value: &Value, at: &str) -> Result<(), String> {
    let Some(schema) = schema.as_object() else {
        return Ok(()); // `true` or `{}`: anything
    };
    let name = || {
        if at.is_empty() {
            "the arguments".to_string()
        } else {
            format!("`{at}`")
        }
    };
    if let Some(types) = schema.get("type") {
        let types: Vec<&str> = match types {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if !types.iter().any(|t| has_type(value, t)) {
            return Err(format!(
                "{} must be {}, not {}",
                name(),
                types
                    .iter()
                    .map(|t| type_name(t))
                    .collect::<Vec<_>>()
                    .join(" or "),
                describe(value)
            ));
        }
    }
    if let Some(Value::Array(branches)) = schema.get("anyOf") {
        let errors: Vec<String> = branches
            .iter()
            .filter_map(|b| check(b, value, at).err())
            .collect();
        if errors.len() == branches.len() && !branches.is_empty() {
            let types: Vec<&str> = branches
                .iter()
                .filter_map(|b| b.get("type").and_then(Value::as_str))
                .collect();
            return Err(
                if types.len() == branches.len() && !has_type_any(value, &types) {
                    format!(
                        "{} must be {}, not {}",
                        name(),
                        types
                            .iter()
                            .map(|t| type_name(t))
                            .collect::<Vec<_>>()
                            .join(" or "),
                        describe(value)
                    )
                } else {
                    errors.into_iter().next().unwrap_or_default()
                },
            );
        }
    }
    if let Some(Value::Array(allowed)) = schema.get("enum") {
        if !allowed.contains(value) {
            let names: Vec<&str> = allowed.iter().filter_map(Value::as_str).collect();
            let hint = value
                .as_str()
                .and_then(|v| crate::suggest::did_you_mean(v, names.iter().copied()))
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            return Err(format!(
                "{} must be one of {}, not {}{hint}",
                name(),
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                describe(value)
            ));
        }
    }
    if let (Some(min), Some(n)) = (
        schema.get("minimum").and_then(Value::as_f64),
        value.as_f64(),
    ) {
        if n < min {
            return Err(format!("{} must be at least {min}, not {n}", name()));
        }
    }
    if let (Some(min), Some(s)) = (
        schema.get("minLength").and_then(Value::as_u64),
        value.as_str(),
    ) {
        if (s.chars().count() as u64) < min {
            return Err(format!("{} must not be empty", name()));
        }
    }
    if let Value::Array(items) = value {
        if let Some(min) = schema.get("minItems").and_then(Value::as_u64) {
            if (items.len() as u64) < min {
                return Err(format!("{} must hold at least {min} value(s)", name()));
            }
        }
        if let Some(item) = schema.get("items") {
            for (i, v) in items.iter().enumerate() {
                check(
                    item,
                    v,
                    &format!("{}[{i}]", if at.is_empty() { "" } else { at }),
                )?;
            }
        }
    }
    if let Value::Object(map) = value {
        check_object(schema, map, at, &name())?;
    }
    Ok(())
}

fn check_object(
    schema: &Map<String, Value>,
    map: &Map<String, Value>,
    at: &str,
    name: &str,
) -> Result<(), String> {
    let properties = schema.get("properties").and_then(Value::as_object);
    let child = |k: &str| {
        if at.is_empty() {
            k.to_string()
        } else {
            format!("{at}.{k}")
        }
    };
    if let Some(Value::Array(required)) = schema.get("required") {
        for r in required.iter().filter_map(Value::as_str) {
            if !map.contains_key(r) {
                return Err(format!("missing required argument `{}`", child(r)));
            }
        }
    }
    if let Some(min) = schema.get("minProperties").and_then(Value::as_u64) {
        if (map.len() as u64) < min {
            return Err(format!("{name} must not be empty"));
        }
    }
    for (k, v) in map {
        match properties.and_then(|p| p.get(k)) {
            Some(s) => check(s, v, &child(k))?,
            None => match schema.get("additionalProperties") {
                Some(Value::Bool(false)) => {
                    let known: Vec<&str> = properties
                        .map(|p| p.keys().map(String::as_str).collect())
                        .unwrap_or_default();
                    let hint = crate::suggest::did_you_mean(k, known.iter().copied())
                        .map(|s| format!("; did you mean `{s}`?"))
                        .unwrap_or_default();
                    let what = if at.is_empty() {
                        "argument".to_string()
                    } else {
                        format!("property of `{at}`")
                    };
                    return Err(if known.is_empty() {
                        format!("unknown {what} `{k}`: none is taken")
                    } else {
                        format!("unknown {what} `{k}`{hint} (known: {})", known.join(", "))
                    });
                }
                Some(extra @ Value::Object(_)) => check(extra, v, &child(k))?,
                _ => {}
            },
        }
    }
    Ok(())
}

fn has_type_any(value: &Value, types: &[&str]) -> bool {
    types.iter().any(|t| has_type(value, t))
}

fn has_type(value: &Value, t: &str) -> bool {
    match t {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        "number" => value.is_number(),
        "integer" => {
            value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        _ => true,
    }
}

fn type_name(t: &str) -> &str {
    match t {
        "object" => "an object",
        "array" => "a list",
        "string" => "a string",
        "boolean" => "true or false",
        "null" => "null",
        "number" => "a number",
        "integer" => "a whole number",
        other => other,
    }
}

/// A value for a message: `"epik"`, `3`, `a list`.
fn describe(value: &Value) -> String {
    match value {
        Value::String(s) => format!("{:?}", s),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> Value {
        object(
            json!({
                "kind": one_of(&["goal", "story"], "the kind"),
                "top": { "type": "integer", "minimum": 1 },
                "tags": strings(None, "tags"),
                "fields": { "type": "object", "minProperties": 1 },
            }),
            &["kind"],
        )
    }

    #[test]
    fn arguments_that_fit_pass() {
        let ok = json!({"kind": "story", "top": 3, "tags": ["a"], "fields": {"x": 1}});
        assert_eq!(validate(&schema(), &ok), Ok(()));
        assert_eq!(
            validate(&schema(), &json!({"kind": "goal", "top": 2.0})),
            Ok(())
        );
    }

    #[test]
    fn every_mistake_is_named_with_its_argument() {
        let err = |v: Value| validate(&schema(), &v).unwrap_err();
        assert_eq!(err(json!({})), "missing required argument `kind`");
        assert_eq!(
            err(json!({"kind": "storey"})),
            "`kind` must be one of `goal`, `story`, not \"storey\" (did you mean `story`?)"
        );
        assert_eq!(
            err(json!({"kind": "story", "top": 0})),
            "`top` must be at least 1, not 0"
        );
        assert_eq!(
            err(json!({"kind": "story", "top": "3"})),
            "`top` must be a whole number, not \"3\""
        );
        assert_eq!(
            err(json!({"kind": "story", "tags": "a"})),
            "`tags` must be a list, not \"a\""
        );
        assert_eq!(
            err(json!({"kind": "story", "tags": [""]})),
            "`tags[0]` must not be empty"
        );
        assert_eq!(
            err(json!({"kind": "story", "fields": {}})),
            "`fields` must not be empty"
        );
        assert_eq!(
            err(json!({"kind": "story", "topp": 1})),
            "unknown argument `topp`; did you mean `top`? (known: kind, top, tags, fields)"
        );
        assert_eq!(
            err(json!(["story"])),
            "the arguments must be an object, not a list"
        );
    }
}
