// cairn site: the search box on every page and the board's filters. No framework, no network:
// the search index is a script next to the pages (search-index.js), loaded on first use, so it
// works from file:// as well as from a web server.
(function () {
  "use strict";
  var root = document.body.getAttribute("data-root") || "";

  // ---- Search ------------------------------------------------------------------------------
  var input = document.getElementById("cairn.q");
  var list = document.getElementById("cairn.results");
  var status = document.getElementById("cairn.search-status");
  var index = null;
  var loading = false;
  var results = [];
  var active = -1;
  var LIMIT = 12;

  function load(then) {
    if (index) return then();
    window.cairnSearchIndex = window.cairnSearchIndex || null;
    if (!loading) {
      loading = true;
      var s = document.createElement("script");
      s.src = root + "search-index.js";
      s.onload = function () {
        index = prepare(window.cairnSearchIndex || { items: [] });
        then();
      };
      s.onerror = function () {
        loading = false;
        say("The search index could not be loaded.");
      };
      document.head.appendChild(s);
    } else {
      var wait = setInterval(function () {
        if (index) { clearInterval(wait); then(); }
      }, 20);
    }
  }

  function fold(s) {
    return (s || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function prepare(doc) {
    return doc.items.map(function (it, order) {
      return {
        item: it,
        order: order,
        id: fold(it.id),
        title: " " + fold(it.title).replace(/[^\p{L}\p{N}]+/gu, " ") + " ",
        tags: " " + it.tags.map(fold).join(" ") + " ",
        people: " " + it.people.map(fold).join(" ") + " ",
        text: " " + fold(it.text) + " "
      };
    });
  }

  // Every word of the query must match: an id, or the start of a word of the title, a tag, a
  // person or the body. Id and title matches rank first.
  function search(query) {
    var words = fold(query).split(/[^\p{L}\p{N}-]+/u).filter(Boolean);
    if (!words.length) return [];
    var found = [];
    for (var i = 0; i < index.length; i++) {
      var e = index[i], score = 0, ok = true;
      for (var w = 0; w < words.length && ok; w++) {
        var q = words[w], s = 0;
        if (e.id === q) s = 100;
        else if (e.id.indexOf(q) === 0) s = 60;
        if (e.title.indexOf(" " + q) >= 0) s = Math.max(s, e.title.indexOf(" " + q + " ") >= 0 ? 30 : 20);
        if (e.tags.indexOf(" " + q) >= 0 || e.people.indexOf(" " + q) >= 0) s = Math.max(s, 12);
        if (!s && e.text.indexOf(" " + q) >= 0) s = 3;
        if (s) score += s; else ok = false;
      }
      if (ok) found.push({ e: e, score: score });
    }
    found.sort(function (a, b) { return b.score - a.score || a.e.order - b.e.order; });
    return found;
  }

  function say(text) { if (status) status.textContent = text; }

  function show(found) {
    results = found.slice(0, LIMIT);
    active = -1;
    list.innerHTML = "";
    results.forEach(function (r, i) {
      var it = r.e.item;
      var li = document.createElement("li");
      li.id = "cairn.result-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.className = "search-result";
      var a = document.createElement("a");
      a.href = root + it.url;
      a.tabIndex = -1;
      var id = document.createElement("span");
      id.className = "id";
      id.textContent = it.id;
      var title = document.createElement("span");
      title.className = "search-title";
      title.textContent = it.title;
      var meta = document.createElement("span");
      meta.className = "search-meta";
      meta.textContent = it.kind + (it.status ? " · " + it.status : "");
      a.appendChild(id);
      a.appendChild(title);
      a.appendChild(meta);
      li.appendChild(a);
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); });
      list.appendChild(li);
    });
    if (input.value.trim() && !results.length) {
      var none = document.createElement("li");
      none.className = "search-none";
      none.setAttribute("role", "presentation");
      none.textContent = "No item matches";
      list.appendChild(none);
    } else if (found.length > LIMIT) {
      var more = document.createElement("li");
      more.className = "search-more";
      more.setAttribute("role", "presentation");
      more.textContent = (found.length - LIMIT) + " more: type more to narrow";
      list.appendChild(more);
    }
    var open = input.value.trim() !== "";
    list.hidden = !open;
    input.setAttribute("aria-expanded", open ? "true" : "false");
    input.removeAttribute("aria-activedescendant");
    say(open ? (found.length === 1 ? "1 item matches" : found.length + " items match") : "");
  }

  function move(by) {
    if (!results.length) return;
    var items = list.querySelectorAll("[role=option]");
    if (active >= 0) items[active].setAttribute("aria-selected", "false");
    active = (active + by + results.length) % results.length;
    items[active].setAttribute("aria-selected", "true");
    items[active].scrollIntoView({ block: "nearest" });
    input.setAttribute("aria-activedescendant", items[active].id);
  }

  function update() {
    var q = input.value;
    load(function () { if (input.value === q) show(search(q)); });
  }

  if (input && list) {
    input.addEventListener("input", update);
    input.addEventListener("focus", function () { load(function () {}); if (input.value.trim()) update(); });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown") { ev.preventDefault(); move(1); }
      else if (ev.key === "ArrowUp") { ev.preventDefault(); move(-1); }
      else if (ev.key === "Enter") {
        var pick = active >= 0 ? results[active] : results[0];
        if (pick) { ev.preventDefault(); window.location.href = root + pick.e.item.url; }
      } else if (ev.key === "Escape") {
        if (input.value) { input.value = ""; show([]); } else input.blur();
      }
    });
    input.addEventListener("blur", function () {
      setTimeout(function () { list.hidden = true; input.setAttribute("aria-expanded", "false"); }, 150);
    });
    // "/" focuses the search box, as on GitHub.
    document.addEventListener("keydown", function (ev) {
      var t = ev.target, tag = t && t.tagName;
      if (ev.key === "/" && tag !== "INPUT" && tag !== "SELECT" && tag !== "TEXTAREA" && !ev.ctrlKey && !ev.metaKey && !ev.altKey) {
        ev.preventDefault();
        input.focus();
      }
    });
  }

  // ---- Board filters -----------------------------------------------------------------------
  var form = document.getElementById("cairn.filters");
  if (!form) return;
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
  var cards = Array.prototype.slice.call(document.querySelectorAll(".board-card"));
  var count = document.getElementById("cairn.f-count");
  form.hidden = false;

  function fromHash() {
    var wanted = {};
    window.location.hash.replace(/^#/, "").split("&").forEach(function (pair) {
      var kv = pair.split("=");
      if (kv.length === 2) {
        try { wanted[kv[0]] = decodeURIComponent(kv[1]); } catch (e) { /* a bad escape */ }
      }
    });
    selects.forEach(function (s) {
      var key = s.getAttribute("data-filter");
      var name = key === "people" ? "person" : key === "tags" ? "tag" : key;
      var v = wanted[name];
      s.value = v !== undefined && Array.prototype.some.call(s.options, function (o) { return o.value === v; }) ? v : "";
    });
  }

  function apply(remember) {
    var want = selects.map(function (s) { return [s.getAttribute("data-filter"), s.value]; });
    var shown = 0;
    cards.forEach(function (c) {
      var ok = want.every(function (w) {
        if (!w[1]) return true;
        var have = c.getAttribute("data-" + w[0]) || "";
        return w[0] === "people" || w[0] === "tags" ? have.indexOf("|" + w[1] + "|") >= 0 : have === w[1];
      });
      c.hidden = !ok;
      if (ok) shown++;
    });
    Array.prototype.forEach.call(document.querySelectorAll(".board .column"), function (col) {
      var n = col.querySelectorAll(".board-card:not([hidden])").length;
      col.querySelector("[data-count]").textContent = n;
      var empty = col.querySelector(".column-empty");
      if (empty) empty.hidden = n > 0;
    });
    var filtered = want.some(function (w) { return w[1]; });
    count.textContent = filtered ? shown + " of " + cards.length + " cards" : cards.length + " cards";
    if (remember) {
      var parts = [];
      selects.forEach(function (s) {
        var key = s.getAttribute("data-filter");
        var name = key === "people" ? "person" : key === "tags" ? "tag" : key;
        if (s.value) parts.push(name + "=" + encodeURIComponent(s.value));
      });
      var hash = parts.length ? "#" + parts.join("&") : " ";
      try { history.replaceState(null, "", hash === " " ? window.location.pathname + window.location.search : hash); }
      catch (e) { /* file:// in some browsers */ }
    }
  }

  selects.forEach(function (s) { s.addEventListener("change", function () { apply(true); }); });
  form.addEventListener("reset", function () { setTimeout(function () { apply(true); }, 0); });
  window.addEventListener("hashchange", function () { fromHash(); apply(false); });
  fromHash();
  apply(false);
})();
