//! Custom scoring formulas: `reach * impact * confidence / effort + customer_tier_weight`.
//!
//! A tiny expression language: numbers, names, `+ - * /`, parentheses, unary minus, and the
//! functions `min(a, b)` and `max(a, b)`. Names are checked when the config is read, so a typo is
//! a config error with a column, never a silent zero at ranking time.

use std::fmt;

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A literal.
    Num(f64),
    /// A field, e.g. `reach`, `rice.effort`, `estimate`, a custom field.
    Name(String),
    /// `-x`.
    Neg(Box<Expr>),
    /// `a op b`.
    Bin(Box<Expr>, Op, Box<Expr>),
    /// `min(a, b)` / `max(a, b)`.
    Call(String, Vec<Expr>),
}

/// A binary operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
}

/// A syntax error at a character offset of the formula.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormulaError {
    /// 0-based character offset.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Num(n) => write!(f, "{}", crate::model::fmt_num(*n)),
            Expr::Name(n) => f.write_str(n),
            Expr::Neg(e) => write!(f, "-{e}"),
            Expr::Bin(a, op, b) => {
                let op = match op {
                    Op::Add => "+",
                    Op::Sub => "-",
                    Op::Mul => "×",
                    Op::Div => "/",
                };
                write!(f, "({a} {op} {b})")
            }
            Expr::Call(name, args) => {
                let args: Vec<String> = args.iter().map(ToString::to_string).collect();
                write!(f, "{name}({})", args.join(", "))
            }
        }
    }
}

struct Parser<'a> {
    chars: Vec<(usize, char)>,
    pos: usize,
    src: &'a str,
}

/// Parses a formula.
pub fn parse(src: &str) -> Result<Expr, FormulaError> {
    let mut p = Parser {
        chars: src.chars().enumerate().collect(),
        pos: 0,
        src,
    };
    let e = p.expr(0)?;
    p.skip_ws();
    if let Some(&(i, c)) = p.chars.get(p.pos) {
        return Err(FormulaError {
            offset: i,
            message: format!("unexpected `{c}`"),
        });
    }
    Ok(e)
}

impl Parser<'_> {
    fn skip_ws(&mut self) {
        while self
            .chars
            .get(self.pos)
            .is_some_and(|(_, c)| c.is_whitespace())
        {
            self.pos += 1;
        }
    }

    fn peek(&mut self) -> Option<char> {
        self.skip_ws();
        self.chars.get(self.pos).map(|&(_, c)| c)
    }

    fn err(&self, message: impl Into<String>) -> FormulaError {
        FormulaError {
            offset: self
                .chars
                .get(self.pos)
                .map_or(self.src.chars().count(), |&(i, _)| i),
            message: message.into(),
        }
    }

    /// Precedence climbing: level 0 is `+ -`, level 1 is `* /`.
    fn expr(&mut self, level: u8) -> Result<Expr, FormulaError> {
        let mut left = if level == 0 {
            self.expr(1)?
        } else {
            self.unary()?
        };
        loop {
            let op = match (level, self.peek()) {
                (0, Some('+')) => Op::Add,
                (0, Some('-')) => Op::Sub,
                (1, Some('*')) => Op::Mul,
                (1, Some('/')) => Op::Div,
                _ => return Ok(left),
            };
            self.pos += 1;
            let right = if level == 0 {
                self.expr(1)?
            } else {
                self.unary()?
            };
            left = Expr::Bin(Box::new(left), op, Box::new(right));
        }
    }

    fn unary(&mut self) -> Result<Expr, FormulaError> {
        if self.peek() == Some('-') {
            self.pos += 1;
            return Ok(Expr::Neg(Box::new(self.unary()?)));
        }
        self.atom()
    }

    fn atom(&mut self) -> Result<Expr, FormulaError> {
        match self.peek() {
            Some('(') => {
                self.pos += 1;
                let e = self.expr(0)?;
                if self.peek() != Some(')') {
                    return Err(self.err("expected `)`"));
                }
                self.pos += 1;
                Ok(e)
            }
            Some(c) if c.is_ascii_digit() || c == '.' => {
                let start = self.pos;
                while self
                    .chars
                    .get(self.pos)
                    .is_some_and(|(_, c)| c.is_ascii_digit() || *c == '.')
                {
                    self.pos += 1;
                }
                let text: String = self.chars[start..self.pos].iter().map(|(_, c)| c).collect();
                text.parse().map(Expr::Num).map_err(|_| FormulaError {
                    offset: self.chars[start].0,
                    message: format!("`{text}` is not a number"),
                })
            }
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                let start = self.pos;
                while self
                    .chars
                    .get(self.pos)
                    .is_some_and(|(_, c)| c.is_ascii_alphanumeric() || *c == '_' || *c == '.')
                {
                    self.pos += 1;
                }
                let name: String = self.chars[start..self.pos].iter().map(|(_, c)| c).collect();
                if self.peek() == Some('(') {
                    if name != "min" && name != "max" {
                        return Err(FormulaError {
                            offset: self.chars[start].0,
                            message: format!("unknown function `{name}`; use min or max"),
                        });
                    }
                    self.pos += 1;
                    let mut args = vec![self.expr(0)?];
                    while self.peek() == Some(',') {
                        self.pos += 1;
                        args.push(self.expr(0)?);
                    }
                    if self.peek() != Some(')') {
                        return Err(self.err("expected `)` or `,`"));
                    }
                    self.pos += 1;
                    return Ok(Expr::Call(name, args));
                }
                Ok(Expr::Name(name))
            }
            Some(c) => Err(self.err(format!("unexpected `{c}`"))),
            None => Err(self.err("the formula ends too early")),
        }
    }
}

impl Expr {
    /// Every name the expression uses, with its first character offset unknown (names only).
    pub fn names(&self) -> Vec<&str> {
        let mut out = Vec::new();
        let mut todo = vec![self];
        while let Some(e) = todo.pop() {
            match e {
                Expr::Num(_) => {}
                Expr::Name(n) => out.push(n.as_str()),
                Expr::Neg(x) => todo.push(x),
                Expr::Bin(a, _, b) => {
                    todo.push(a);
                    todo.push(b);
                }
                Expr::Call(_, args) => todo.extend(args),
            }
        }
        out
    }

    /// Evaluates with `lookup` giving each name's value; `Err` names what is missing or why the
    /// result would not be a finite number (a zero divisor).
    pub fn eval(&self, lookup: &dyn Fn(&str) -> Option<f64>) -> Result<f64, String> {
        let v = match self {
            Expr::Num(n) => *n,
            Expr::Name(n) => lookup(n).ok_or_else(|| format!("{n} missing"))?,
            Expr::Neg(e) => -e.eval(lookup)?,
            Expr::Bin(a, op, b) => {
                let (a, b) = (a.eval(lookup)?, b.eval(lookup)?);
                match op {
                    Op::Add => a + b,
                    Op::Sub => a - b,
                    Op::Mul => a * b,
                    Op::Div if b == 0.0 => return Err("division by zero".into()),
                    Op::Div => a / b,
                }
            }
            Expr::Call(name, args) => {
                let vals = args
                    .iter()
                    .map(|a| a.eval(lookup))
                    .collect::<Result<Vec<_>, _>>()?;
                let it = vals.into_iter();
                if name == "min" {
                    it.fold(f64::INFINITY, f64::min)
                } else {
                    it.fold(f64::NEG_INFINITY, f64::max)
                }
            }
        };
        if v.is_finite() {
            Ok(v)
        } else {
            Err("the result is not a finite number".into())
        }
    }
}

/// Names a formula may use besides custom numeric fields.
pub const BUILTIN_NAMES: &[&str] = &[
    "reach",
    "impact",
    "confidence",
    "effort",
    "ease",
    "business_value",
    "time_criticality",
    "risk_reduction",
    "job_size",
    "estimate",
    "rice.reach",
    "rice.impact",
    "rice.confidence",
    "rice.effort",
    "ice.impact",
    "ice.confidence",
    "ice.ease",
    "wsjf.business_value",
    "wsjf.time_criticality",
    "wsjf.risk_reduction",
    "wsjf.job_size",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(src: &str, vars: &[(&str, f64)]) -> Result<f64, String> {
        parse(src)
            .unwrap()
            .eval(&|n| vars.iter().find(|(k, _)| *k == n).map(|(_, v)| *v))
    }

    #[test]
    fn precedence_and_functions() {
        assert_eq!(eval("1 + 2 * 3", &[]), Ok(7.0));
        assert_eq!(eval("(1 + 2) * 3", &[]), Ok(9.0));
        assert_eq!(eval("-2 * -3", &[]), Ok(6.0));
        assert_eq!(eval("max(1, reach) / 2", &[("reach", 10.0)]), Ok(5.0));
        assert_eq!(
            eval(
                "reach * impact * confidence / effort",
                &[
                    ("reach", 1200.0),
                    ("impact", 1.0),
                    ("confidence", 0.8),
                    ("effort", 0.5)
                ]
            ),
            Ok(1920.0)
        );
    }

    #[test]
    fn guarded_division_and_missing_names() {
        assert_eq!(
            eval("1 / effort", &[("effort", 0.0)]),
            Err("division by zero".into())
        );
        assert_eq!(eval("reach", &[]), Err("reach missing".into()));
    }

    #[test]
    fn syntax_errors_have_offsets() {
        assert_eq!(parse("reach * ").unwrap_err().offset, 8);
        assert_eq!(parse("reach ** 2").unwrap_err().offset, 7);
        assert_eq!(parse("(reach").unwrap_err().message, "expected `)`");
        assert_eq!(parse("log(2)").unwrap_err().offset, 0);
    }
}
