//! `cairn site` (issue 13): the pages it writes for docs/example and for generated plans, how
//! bodies and links become HTML, the folder it writes to, templates overridden by the plan, a few
//! pages as snapshots, and the whole site in headless Chromium (skipped when Chromium or Node.js
//! is missing): every link and anchor resolves, no request leaves the site, no console error,
//! every item reachable from index.html, the search box and the board's filters at work.
//!
//! Update the snapshots with `INSTA_UPDATE=always cargo test --test site`, then read every
//! changed `.snap` before committing them.

#[path = "../report/check.rs"]
#[allow(dead_code)]
mod check;
#[path = "../common/mod.rs"]
mod common;

mod browser;
mod build;
mod markdown;
mod plans;
mod snapshots;
