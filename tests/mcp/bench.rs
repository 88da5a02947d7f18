//! `scripts/bench` section `mcp`: tool-call latency and memory over a generated plan.
//!
//! Run with `cargo test --release --test mcp -- --ignored --nocapture --exact bench::mcp_bench`;
//! the plan comes from `CAIRN_BENCH_PLAN` or is generated with `scripts/gen_plan.py` (10,000
//! items), `CAIRN_BENCH_CALLS` (default 1,000) calls rotate over `show`, `list` (filtered),
//! `rank` (top 10), `next` and `set` (a dry run, which checks the whole plan as it would be).
//! One line `mcp-bench KEY=VALUE…` is printed for the script.

use crate::client::Client;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    ms(sorted[i])
}

#[test]
#[ignore = "a benchmark: scripts/bench runs it (BENCH_SECTIONS=mcp)"]
fn mcp_bench() {
    let calls: usize = std::env::var("CAIRN_BENCH_CALLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let tmp;
    let dir: PathBuf = match std::env::var_os("CAIRN_BENCH_PLAN") {
        Some(d) => PathBuf::from(d),
        None => {
            tmp = tempfile::tempdir().unwrap();
            let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/gen_plan.py");
            let ok = Command::new("python3")
                .arg(script)
                .arg(tmp.path().join("p"))
                .args(["10000", "--seed", "42"])
                .stdout(Stdio::null())
                .status()
                .expect("python3");
            assert!(ok.success());
            tmp.path().join("p")
        }
    };
    let started = Instant::now();
    let mut c = Client::new(&dir);
    let startup = started.elapsed();
    let pid = c.child.id();
    let listed = c.ok("list", json!({"kind": ["story"], "limit": 200}));
    let ids: Vec<String> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    let items = c.ok("check", json!({ "paths": ["nowhere"] }))["items"]
        .as_u64()
        .unwrap();

    let kinds = ["show", "list", "rank", "next", "set"];
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); kinds.len()];
    let mut all = Vec::with_capacity(calls);
    let mut rss_early = 0;
    for i in 0..calls {
        let k = i % kinds.len();
        let id = &ids[(i / kinds.len()) % ids.len()];
        let args: Value = match kinds[k] {
            "show" => json!({ "id": id }),
            "list" => json!({ "kind": ["story"], "status": ["ready"], "goal": ["G-1"] }),
            "rank" => json!({ "top": 10 }),
            "next" => json!({}),
            _ => json!({ "id": id, "fields": { "estimate": (i % 8) + 1 }, "dry_run": true }),
        };
        let t0 = Instant::now();
        let r = c.call(kinds[k], args);
        let d = t0.elapsed();
        assert_eq!(r["isError"], false, "{}: {r}", kinds[k]);
        times[k].push(d);
        all.push(d);
        if i + 1 == calls / 10 {
            rss_early = rss_kb(pid);
        }
    }
    let rss_late = rss_kb(pid);
    all.sort();
    let mut line = format!(
        "mcp-bench items={items} calls={calls} startup_ms={:.0} median_ms={:.1} p95_ms={:.1} max_ms={:.1} rss_kb_after_{}={rss_early} rss_kb_after_{calls}={rss_late}",
        ms(startup),
        percentile(&all, 0.5),
        percentile(&all, 0.95),
        ms(*all.last().unwrap()),
        calls / 10,
    );
    for (k, mut t) in kinds.iter().zip(times) {
        t.sort();
        line.push_str(&format!(
            " {k}_median_ms={:.1} {k}_p95_ms={:.1}",
            percentile(&t, 0.5),
            percentile(&t, 0.95)
        ));
    }
    println!("{line}");
    assert_eq!(c.finish(), 0);
}
