/* Compatibility checker: pick a host and an image, see whether it runs, in which isolation mode,
 * why, and from which source. The answers are computed at build time from kb/ (kbtools/compat.py)
 * and embedded in the page as JSON, so this works offline and from file:// (no fetch).
 * Plain DOM, no innerHTML with data. */
(function () {
  "use strict";

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  function answer(labels, runs) {
    return runs === true ? labels.runs : (runs === false ? labels.blocked : labels.depends);
  }

  function factItem(data, id) {
    var fact = data.facts[id];
    var li = el("li", {}, [fact.text + " "]);
    li.appendChild(el("a", {href: fact.href, "class": "kb-factref"}, [el("code", {}, ["#" + id])]));
    var srcs = fact.sources.map(function (sid) { return data.sources[sid]; }).filter(Boolean);
    if (srcs.length) {
      var list = el("span", {"class": "kb-compat-sources"}, [" — " + data.labels.sources + ": "]);
      srcs.forEach(function (s, n) {
        if (n) list.appendChild(document.createTextNode("; "));
        var name = s.title + " (" + s.publisher + ")";
        list.appendChild(s.url ? el("a", {href: s.url}, [name]) : document.createTextNode(name));
      });
      li.appendChild(list);
    }
    return li;
  }

  function render(form, data, out) {
    var host = form.querySelector("select[name=host]").value;
    var image = form.querySelector("select[name=image]").value;
    var cell = data.cells[host + "|" + image];
    var L = data.labels;
    out.textContent = "";
    if (!cell) return;
    var modes = ["process", "hyperv"];
    var yes = modes.filter(function (m) { return cell[m].runs === true; });
    var maybe = modes.filter(function (m) { return cell[m].runs === null; });
    var verdict = yes.length ? L["verdict-runs"] : (maybe.length ? L["verdict-depends"] : L["verdict-blocked"]);
    out.setAttribute("data-verdict", yes.length ? "runs" : (maybe.length ? "depends" : "blocked"));
    out.appendChild(el("p", {"class": "kb-compat-verdict"}, [el("strong", {}, [verdict])]));
    var names = yes.map(function (m) { return L["mode." + m]; });
    out.appendChild(el("p", {"class": "kb-compat-modes"},
      [L.modes + ": " + (names.length ? names.join(", ") : L.none)]));
    out.appendChild(el("p", {"class": "kb-compat-label"}, [L.why]));
    var why = el("ul", {"class": "kb-compat-why"});
    modes.forEach(function (m) {
      why.appendChild(el("li", {"data-mode": m, "data-runs": String(cell[m].runs)},
        [el("strong", {}, [L["mode." + m] + ": " + answer(L, cell[m].runs)]), " " + cell[m].reason]));
    });
    out.appendChild(why);
    if (cell.notes.length) {
      out.appendChild(el("p", {"class": "kb-compat-label"}, [L.notes]));
      var notes = el("ul", {"class": "kb-compat-notes"});
      cell.notes.forEach(function (n) {
        var li = el("li", {}, [n.text + " "]);
        li.appendChild(el("a", {href: data.facts[n.fact].href, "class": "kb-factref"}, [el("code", {}, ["#" + n.fact])]));
        notes.appendChild(li);
      });
      out.appendChild(notes);
    }
    out.appendChild(el("p", {"class": "kb-compat-label"}, [L.basis]));
    var seen = {}, basis = el("ul", {"class": "kb-compat-basis"});
    modes.forEach(function (m) {
      cell[m].facts.forEach(function (id) {
        if (!seen[id] && data.facts[id]) { seen[id] = true; basis.appendChild(factItem(data, id)); }
      });
    });
    out.appendChild(basis);
  }

  function init() {
    var forms = document.querySelectorAll("form[data-kb-checker]");
    Array.prototype.forEach.call(forms, function (form) {
      var script = document.getElementById(form.getAttribute("data-kb-checker"));
      var out = form.querySelector(".kb-compat-result");
      if (!script || !out || form.getAttribute("data-ready")) return;
      var data = JSON.parse(script.textContent);
      form.setAttribute("data-ready", "true");
      form.addEventListener("submit", function (e) { e.preventDefault(); });
      form.addEventListener("change", function () { render(form, data, out); });
      render(form, data, out);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
  // Material's instant navigation (if enabled) swaps pages without a load event.
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(init);
})();
