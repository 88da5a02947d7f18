//! Priority scores with their arithmetic: RICE, ICE, WSJF and custom formulas.

use crate::config::{Config, Method};
use crate::model::{fmt_num, CustomValue, Item};
use crate::priority::formula::{Expr, Op};
use std::collections::BTreeMap;

/// A computed score and how it was computed.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    /// The score.
    pub value: f64,
    /// The inputs used, by name (`reach`, `rice.effort` …).
    pub inputs: BTreeMap<String, f64>,
    /// The arithmetic, e.g. `RICE = 1200 × 1 × 0.8 / 0.5 = 1920`.
    pub arithmetic: String,
}

/// The value of a named numeric input of an item (see [`crate::priority::formula::BUILTIN_NAMES`]).
pub fn input(item: &Item, name: &str) -> Option<f64> {
    let rice = item.rice.unwrap_or_default();
    let ice = item.ice.unwrap_or_default();
    let wsjf = item.wsjf.unwrap_or_default();
    match name {
        "reach" | "rice.reach" => rice.reach,
        "impact" | "rice.impact" => rice.impact,
        "confidence" | "rice.confidence" => rice.confidence,
        "effort" | "rice.effort" => rice.effort,
        "ice.impact" => ice.impact,
        "ice.confidence" => ice.confidence,
        "ease" | "ice.ease" => ice.ease,
        "business_value" | "wsjf.business_value" => wsjf.business_value,
        "time_criticality" | "wsjf.time_criticality" => wsjf.time_criticality,
        "risk_reduction" | "wsjf.risk_reduction" => wsjf.risk_reduction,
        "job_size" | "wsjf.job_size" => wsjf.job_size,
        "estimate" => item.estimate,
        custom => item
            .custom
            .iter()
            .find(|(k, _)| k == custom)
            .and_then(|(_, v)| match v {
                CustomValue::Num(n) => Some(*n),
                _ => None,
            }),
    }
}

/// The item's score under `method`, or why it has none ("rice.effort missing"). MoSCoW is a
/// class, not a score: every item is unscored under it.
pub fn evaluate(item: &Item, config: &Config, method: Method) -> Result<Scored, String> {
    let names: &[&str] = match method {
        Method::Rice => &[
            "rice.reach",
            "rice.impact",
            "rice.confidence",
            "rice.effort",
        ],
        Method::Ice => &["ice.impact", "ice.confidence", "ice.ease"],
        Method::Wsjf => &[
            "wsjf.business_value",
            "wsjf.time_criticality",
            "wsjf.risk_reduction",
            "wsjf.job_size",
        ],
        Method::Moscow => return Err("MoSCoW ranks by class only".into()),
        Method::Formula => return formula(item, config),
    };
    let values: Vec<Option<f64>> = names.iter().map(|n| input(item, n)).collect();
    let missing: Vec<&str> = names
        .iter()
        .zip(&values)
        .filter(|(_, v)| v.is_none())
        .map(|(n, _)| *n)
        .collect();
    if missing.len() == names.len() {
        return Err(format!("no `{}` inputs", method.as_str()));
    }
    if !missing.is_empty() {
        return Err(format!("{} missing or invalid", missing.join(", ")));
    }
    let v: Vec<f64> = values.into_iter().flatten().collect();
    let n = |x: f64| fmt_num(x);
    let (value, arithmetic) = match method {
        Method::Rice => (
            v[0] * v[1] * v[2] / v[3],
            format!(
                "RICE = {} × {} × {} / {}",
                n(v[0]),
                n(v[1]),
                n(v[2]),
                n(v[3])
            ),
        ),
        Method::Ice if config.ice_mean => (
            (v[0] + v[1] + v[2]) / 3.0,
            format!("ICE = ({} + {} + {}) / 3", n(v[0]), n(v[1]), n(v[2])),
        ),
        Method::Ice => (
            v[0] * v[1] * v[2],
            format!("ICE = {} × {} × {}", n(v[0]), n(v[1]), n(v[2])),
        ),
        _ => (
            (v[0] + v[1] + v[2]) / v[3],
            format!(
                "WSJF = ({} + {} + {}) / {}",
                n(v[0]),
                n(v[1]),
                n(v[2]),
                n(v[3])
            ),
        ),
    };
    if !value.is_finite() {
        return Err("the score is not a finite number".into());
    }
    let inputs = names.iter().map(|s| s.to_string()).zip(v).collect();
    Ok(Scored {
        value,
        inputs,
        arithmetic: format!("{arithmetic} = {}", n(value)),
    })
}

fn formula(item: &Item, config: &Config) -> Result<Scored, String> {
    let expr = config
        .formula_expr
        .as_ref()
        .ok_or_else(|| "no scoring formula is configured".to_string())?;
    let lookup = |name: &str| input(item, name);
    let value = expr.eval(&lookup)?;
    let inputs = expr
        .names()
        .into_iter()
        .filter_map(|name| lookup(name).map(|v| (name.to_string(), v)))
        .collect();
    Ok(Scored {
        value,
        inputs,
        arithmetic: format!(
            "{} = {} = {}",
            config.formula.as_deref().unwrap_or_default(),
            substituted(expr, &lookup, 0),
            fmt_num(value)
        ),
    })
}

/// The expression with values in place of names, parenthesised only where needed.
fn substituted(e: &Expr, lookup: &dyn Fn(&str) -> Option<f64>, parent: u8) -> String {
    match e {
        Expr::Num(n) => fmt_num(*n),
        Expr::Name(name) => lookup(name).map_or_else(|| name.clone(), fmt_num),
        Expr::Neg(x) => format!("-{}", substituted(x, lookup, 3)),
        Expr::Bin(a, op, b) => {
            let (prec, sym) = match op {
                Op::Add => (1, "+"),
                Op::Sub => (1, "-"),
                Op::Mul => (2, "×"),
                Op::Div => (2, "/"),
            };
            let text = format!(
                "{} {sym} {}",
                substituted(a, lookup, prec),
                substituted(b, lookup, prec + 1)
            );
            if prec < parent {
                format!("({text})")
            } else {
                text
            }
        }
        Expr::Call(name, args) => {
            let args: Vec<String> = args.iter().map(|a| substituted(a, lookup, 0)).collect();
            format!("{name}({})", args.join(", "))
        }
    }
}

/// The item's score under `method`, when it has one.
pub fn score(item: &Item, config: &Config, method: Method) -> Option<f64> {
    evaluate(item, config, method).ok().map(|s| s.value)
}
