//! `cairn lsp` driven over stdio with JSON-RPC, as an editor drives it; and `cairn schema`.

#[path = "../common/mod.rs"]
mod common;

mod client;
mod editing;
mod navigation;
mod plans;
mod protocol;

use client::*;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// `scripts/bench` section `lsp`: edit → diagnostics latency and memory over a generated plan.
/// Run with `cargo test --release --test lsp -- --ignored --nocapture lsp_bench`; the plan
/// comes from `CAIRN_BENCH_PLAN` or is generated with `scripts/gen_plan.py` (10,000 items).
#[test]
#[ignore]
fn lsp_bench() {
    let edits: usize = std::env::var("CAIRN_BENCH_EDITS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let tmp;
    let dir = match std::env::var_os("CAIRN_BENCH_PLAN") {
        Some(d) => std::path::PathBuf::from(d),
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
    let story = std::fs::read_dir(dir.join("plan/stories"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "md"))
        .expect("a story");
    let rel = story
        .strip_prefix(&dir)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let text = std::fs::read_to_string(&story).unwrap();
    let goal_line = text
        .lines()
        .find(|l| l.starts_with("goal: "))
        .expect("goal line")
        .to_string();
    let broken = text.replace(&goal_line, "goal: G-999999");
    let items = walk_count(&dir.join("plan"));

    let started = Instant::now();
    let mut c = Client::new(&dir);
    let startup = started.elapsed();
    let s = uri(&dir, &rel);
    c.open(&s, &text);
    let _ = c.settle();
    let pid = c.child.id();
    let mut times = Vec::with_capacity(edits);
    let mut rss_early = 0;
    let mut rss_half = 0;
    for i in 0..edits {
        let next = if i % 2 == 0 { &broken } else { &text };
        let t0 = Instant::now();
        c.change(&s, i as i64 + 2, next);
        let d = c.diagnostics(&s);
        times.push(t0.elapsed());
        assert_eq!(d.len(), usize::from(i % 2 == 0), "edit {i}: {d:?}");
        if i + 1 == edits / 10 {
            rss_early = rss_kb(pid);
        }
        if i + 1 == edits / 2 {
            rss_half = rss_kb(pid);
        }
    }
    let rss_late = rss_kb(pid);
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let p = |q: f64| ms(times[((times.len() as f64 * q) as usize).min(times.len() - 1)]);
    println!(
        "lsp-bench items={items} edits={edits} startup_ms={:.1} median_ms={:.2} p95_ms={:.2} max_ms={:.2} rss_kb_after_{}={rss_early} rss_kb_after_{}={rss_half} rss_kb_after_{edits}={rss_late}",
        ms(startup),
        p(0.5),
        p(0.95),
        ms(*times.last().unwrap()),
        edits / 10,
        edits / 2,
    );
    assert_eq!(c.shutdown(), 0);
}

fn walk_count(dir: &Path) -> usize {
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            n += walk_count(&p);
        } else if std::fs::read_to_string(&p).is_ok_and(|t| t.starts_with("---\nid:")) {
            n += 1;
        }
    }
    n
}

fn rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}
