// Drives headless Chromium over the DevTools protocol (--remote-debugging-pipe: JSON messages
// ending in NUL on file descriptors 3 and 4), with nothing but Node's standard library.
//
//   node tests/site/browser.mjs SITE_DIR PROFILE_DIR SPEC_JSON
//
// Crawls the site from index.html, following every link into the site, and reports as JSON on
// standard output: the pages visited, every request that was not a file of the site, every
// console error or uncaught exception, every internal link or anchor that does not resolve, and
// the results of the interactions SPEC asks for (text typed into the search box, board filters).
import { spawn } from "node:child_process";
import { pathToFileURL, fileURLToPath } from "node:url";
import { existsSync } from "node:fs";
import path from "node:path";

const [siteDir, profile, specText] = process.argv.slice(2);
const spec = JSON.parse(specText || "{}");
const root = pathToFileURL(path.resolve(siteDir) + "/").href;
const chromium = process.env.CHROMIUM || "chromium";

const browser = spawn(
  chromium,
  [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--remote-debugging-pipe",
    `--user-data-dir=${profile}`,
    "about:blank",
  ],
  { stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"] },
);
browser.stderr.on("data", () => {});
const toBrowser = browser.stdio[3];
const fromBrowser = browser.stdio[4];

const watchdog = setTimeout(() => finish({ error: "timed out" }), (spec.timeout_s || 300) * 1000);

let nextId = 1;
const pending = new Map();
const listeners = [];
let buffer = Buffer.alloc(0);
fromBrowser.on("data", (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  let end;
  while ((end = buffer.indexOf(0)) >= 0) {
    const msg = JSON.parse(buffer.subarray(0, end).toString("utf8"));
    buffer = buffer.subarray(end + 1);
    if (msg.id && pending.has(msg.id)) {
      const { resolve, reject } = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.error) reject(new Error(JSON.stringify(msg.error)));
      else resolve(msg.result);
    } else if (msg.method) {
      for (const l of listeners) l(msg);
    }
  }
});

function send(method, params = {}, sessionId) {
  const id = nextId++;
  const msg = { id, method, params };
  if (sessionId) msg.sessionId = sessionId;
  toBrowser.write(JSON.stringify(msg) + "\0");
  return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
}

function waitFor(pred, ms = 15000) {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error("event timed out")), ms);
    const l = (msg) => {
      if (pred(msg)) {
        clearTimeout(t);
        listeners.splice(listeners.indexOf(l), 1);
        resolve(msg);
      }
    };
    listeners.push(l);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const report = {
  pages: [],
  requests: [],
  console: [],
  broken: [],
  missing_pages: [],
  search: {},
  board: [],
};
let current = null;

function finish(extra) {
  clearTimeout(watchdog);
  Object.assign(report, extra || {});
  process.stdout.write(JSON.stringify(report) + "\n", () => {
    browser.kill("SIGKILL");
    process.exit(0);
  });
}

async function main() {
  const { targetId } = await send("Target.createTarget", { url: "about:blank" });
  const { sessionId } = await send("Target.attachToTarget", { targetId, flatten: true });
  const s = (method, params) => send(method, params, sessionId);
  listeners.push((msg) => {
    if (msg.sessionId !== sessionId) return;
    const p = msg.params;
    if (msg.method === "Network.requestWillBeSent") {
      const url = p.request.url;
      if (!url.startsWith(root) || !existsSync(fileURLToPath(url.split("#")[0].split("?")[0]))) {
        report.requests.push({ page: current, url });
      }
    } else if (msg.method === "Runtime.consoleAPICalled" && (p.type === "error" || p.type === "assert")) {
      report.console.push({ page: current, text: p.args.map((a) => a.value ?? a.description).join(" ") });
    } else if (msg.method === "Runtime.exceptionThrown") {
      report.console.push({ page: current, text: p.exceptionDetails.exception?.description || p.exceptionDetails.text });
    } else if (msg.method === "Log.entryAdded" && p.entry.level === "error") {
      report.console.push({ page: current, text: p.entry.text + " " + (p.entry.url || "") });
    }
  });
  for (const d of ["Page", "Runtime", "Network", "Log"]) await s(`${d}.enable`);
  const evaluate = async (expression) => {
    const r = await s("Runtime.evaluate", { expression, returnByValue: true, awaitPromise: true });
    if (r.exceptionDetails) throw new Error(r.exceptionDetails.text + " in " + expression);
    return r.result.value;
  };
  const open = async (url) => {
    if (current && current.split("#")[0] === url.slice(root.length).split("#")[0]) {
      // A change of fragment alone loads nothing: leave the page first.
      const blank = waitFor((m) => m.sessionId === sessionId && m.method === "Page.loadEventFired");
      await s("Page.navigate", { url: "about:blank" });
      await blank;
    }
    current = url.slice(root.length);
    const loaded = waitFor((m) => m.sessionId === sessionId && m.method === "Page.loadEventFired");
    await s("Page.navigate", { url });
    await loaded;
  };

  // Crawl: every page reachable from index.html, with its links and ids.
  const seen = new Map(); // page path -> ids
  const links = []; // [from, to-url]
  const queue = ["index.html"];
  const queued = new Set(queue);
  while (queue.length) {
    const page = queue.shift();
    const file = fileURLToPath(root + page);
    if (!existsSync(file)) {
      report.missing_pages.push(page);
      continue;
    }
    await open(root + page);
    const found = await evaluate(`({
      ids: [...document.querySelectorAll("[id]")].map(e => e.id),
      links: [...document.querySelectorAll("a[href]")].map(a => new URL(a.getAttribute("href"), document.baseURI).href),
    })`);
    seen.set(page, new Set(found.ids));
    report.pages.push(page);
    for (const href of found.links) {
      if (!href.startsWith(root)) continue;
      links.push([page, href]);
      const target = decodeURIComponent(href.slice(root.length).split("#")[0].split("?")[0]);
      if (target.endsWith(".html") && !queued.has(target)) {
        queued.add(target);
        queue.push(target);
      }
    }
    if (spec.max_pages && report.pages.length >= spec.max_pages) break;
  }
  for (const [from, href] of links) {
    const [rest, fragment] = href.slice(root.length).split("#");
    const target = decodeURIComponent(rest.split("?")[0]) || "index.html";
    if (target.endsWith(".html")) {
      const ids = seen.get(target);
      if (!ids) {
        if (!spec.max_pages) report.broken.push({ from, href, why: "no such page" });
      } else if (fragment && !/^(sprint|goal|person|tag)=/.test(fragment) && !ids.has(decodeURIComponent(fragment))) {
        report.broken.push({ from, href, why: "no such anchor" });
      }
    } else if (!existsSync(fileURLToPath(root + rest.split("?")[0]))) {
      report.broken.push({ from, href, why: "no such file" });
    }
  }

  // Typing into the search box lists the matching items.
  for (const query of spec.searches || []) {
    await open(root + (spec.search_page || "index.html"));
    await evaluate(`document.getElementById("cairn.q").focus()`);
    await s("Input.insertText", { text: query });
    let ids = null;
    for (let i = 0; i < 100; i++) {
      ids = await evaluate(`(() => {
        const list = document.getElementById("cairn.results");
        if (list.hidden) return null;
        return [...list.querySelectorAll("[role=option] .id")].map(e => e.textContent);
      })()`);
      if (ids !== null) break;
      await sleep(30);
    }
    const status = await evaluate(`document.getElementById("cairn.search-status").textContent`);
    // Enter opens the first match.
    let opened = null;
    if (ids && ids.length) {
      const nav = waitFor((m) => m.sessionId === sessionId && m.method === "Page.loadEventFired");
      await s("Input.dispatchKeyEvent", { type: "keyDown", key: "Enter", code: "Enter", windowsVirtualKeyCode: 13 });
      await nav;
      opened = (await evaluate("location.href")).slice(root.length);
    }
    report.search[query] = { ids, status, opened };
  }

  // The board's filters hide and show cards; the address remembers them.
  for (const filters of spec.board || []) {
    const hash = Object.entries(filters.hash || {}).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&");
    await open(root + "board.html" + (hash ? "#" + hash : ""));
    const result = await evaluate(`(() => {
      const set = ${JSON.stringify(filters.select || {})};
      for (const [key, value] of Object.entries(set)) {
        const el = document.querySelector('select[data-filter="' + key + '"]');
        el.value = value;
        el.dispatchEvent(new Event("change"));
      }
      const visible = [...document.querySelectorAll(".board-card")].filter(c => !c.hidden && c.offsetParent !== null);
      return {
        visible: visible.map(c => c.querySelector(".id").textContent),
        counts: [...document.querySelectorAll(".board .column [data-count]")].map(e => Number(e.textContent)),
        status: document.getElementById("cairn.f-count").textContent,
        hash: location.hash,
        form_shown: !document.getElementById("cairn.filters").hidden,
      };
    })()`);
    report.board.push({ filters, ...result });
  }
  finish();
}

main().catch((e) => finish({ error: String(e && e.stack || e) }));
