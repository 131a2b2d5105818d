/* Permalinks for wiki authors: a copy button and a "copy as" menu on every fact and section.
 *
 * The link written is the absolute URL of the page AS CURRENTLY VIEWED (location, without query
 * string) + "#" + the id, so it is right on the published site, on an internal mirror under another
 * host or sub-path, and in the offline copy (a file:// URL). Ids are the same in Korean and English.
 *
 * Formats: the URL; for a fact first its short link (f/<id>.html beside the page, which follows the
 * fact if it moves and unfurls as the fact; kbtools/shortlinks.py); a Markdown link; an HTML link;
 * plain text with the fact's sentence, its current state and its sources, then the URL. Labels come from kb/labels.yaml (permalink.*), embedded per page
 * in the page's language by the kb hook (<script id="kb-permalink-labels">).
 *
 * Keyboard: Tab reaches the buttons (they appear on hover or focus); Enter/Space activates; in the
 * menu ArrowUp/ArrowDown/Home/End move, Escape closes and returns focus, Tab closes.
 * Clipboard: navigator.clipboard where available, else a hidden textarea + execCommand("copy")
 * (file://, old browsers), else a visible, selected text field to copy by hand.
 */
(function () {
  "use strict";

  var DEFAULTS = {
    copy: "Copy permalink", copied: "Link copied", menu: "Copy as…",
    copyFailed: "Could not copy automatically. Select the text below and copy it (Ctrl+C).",
    asMarkdown: "Copy as Markdown link", asHtml: "Copy as HTML link",
    asText: "Copy as text with sentence and source", sources: "Sources", asShort: "Copy short link",
    section: "Permanent link to this section", fact: "Permanent link to this fact"
  };
  var ICON_LINK = '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M3.9 12c0-1.71 1.39-3.1 3.1-3.1h4V7H7a5 5 0 0 0-5 5 5 5 0 0 0 5 5h4v-1.9H7c-1.71 0-3.1-1.39-3.1-3.1M8 13h8v-2H8v2m9-6h-4v1.9h4c1.71 0 3.1 1.39 3.1 3.1s-1.39 3.1-3.1 3.1h-4V17h4a5 5 0 0 0 5-5 5 5 0 0 0-5-5Z"/></svg>';
  var ICON_DOWN = '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M7 10l5 5 5-5z"/></svg>';
  var HEADINGS = "h1[id], h2[id], h3[id], h4[id], h5[id], h6[id]";
  var labels = DEFAULTS;
  var status = null;
  var openMenu = null;

  function readLabels() {
    var el = document.getElementById("kb-permalink-labels");
    var out = {};
    var k;
    for (k in DEFAULTS) out[k] = DEFAULTS[k];
    if (el) {
      try {
        var data = JSON.parse(el.textContent);
        for (k in data) out[k] = data[k];
      } catch (e) { /* keep the defaults */ }
    }
    return out;
  }

  /* ------------------------------------------------------------------ what is copied */

  function pageUrl() {
    return location.href.split("#")[0].split("?")[0];
  }

  function permalink(id) {
    return pageUrl() + "#" + id;
  }

  function clean(node, drop) {
    var copy = node.cloneNode(true);
    var gone = copy.querySelectorAll(drop);
    for (var i = 0; i < gone.length; i++) gone[i].parentNode.removeChild(gone[i]);
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  function title(target) {
    if (target.classList.contains("kb-fact")) {
      var text = target.querySelector(".kb-fact-text");
      return text ? clean(text, "sup, .kb-badge, .kb-pl") : target.id;
    }
    return clean(target, ".headerlink, .kb-pl") || target.id;
  }

  function sources(target) {
    var seen = {};
    var out = [];
    var refs = target.querySelectorAll("a.footnote-ref[href^='#']");
    for (var i = 0; i < refs.length; i++) {
      var id = decodeURIComponent(refs[i].getAttribute("href").slice(1));
      if (seen[id]) continue;
      seen[id] = true;
      var note = document.getElementById(id);
      if (note) out.push(clean(note, ".footnote-backref"));
    }
    return out;
  }

  function escapeHtml(s) {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  /* f/<id>.html in the folder of the page (the language root): Korean f/, English en/f/. */
  function shortlink(id) {
    return pageUrl().replace(/[^\/]*$/, "") + "f/" + id + ".html";
  }

  function format(kind, target) {
    if (kind === "short") return shortlink(target.id);
    var url = permalink(target.id);
    var name = title(target);
    if (kind === "markdown") {
      return "[" + name.replace(/([\\\[\]])/g, "\\$1") + "](" + url.replace(/\)/g, "%29").replace(/ /g, "%20") + ")";
    }
    if (kind === "html") return '<a href="' + escapeHtml(url) + '">' + escapeHtml(name) + "</a>";
    if (kind === "text") {
      var lines = [name];
      var current = target.classList.contains("kb-fact") && target.querySelector(".kb-current");
      if (current) lines.push(clean(current, "sup, .kb-pl"));
      var src = target.classList.contains("kb-fact") ? sources(target) : [];
      if (src.length) lines.push(labels.sources + ":\n" + src.map(function (x) { return "- " + x; }).join("\n"));
      lines.push(url);
      return lines.join("\n");
    }
    return url;
  }

  /* ------------------------------------------------------------------ the clipboard */

  function execCopy(text) {
    var active = document.activeElement;
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.setAttribute("aria-hidden", "true");
    area.style.position = "fixed";
    area.style.top = "0";
    area.style.left = "0";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    if (active && active.focus) active.focus();
    return ok;
  }

  function copyText(text) {
    if (navigator.clipboard && navigator.clipboard.writeText && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(function () { return true; },
        function () { return execCopy(text); });
    }
    return Promise.resolve(execCopy(text));
  }

  function announce(text) {
    if (!status) {
      status = document.createElement("div");
      status.className = "kb-pl__status";
      status.setAttribute("role", "status");
      status.setAttribute("aria-live", "polite");
      document.body.appendChild(status);
    }
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; status.classList.add("kb-pl__status--shown"); }, 30);
    window.clearTimeout(announce.timer);
    announce.timer = window.setTimeout(function () { status.classList.remove("kb-pl__status--shown"); }, 2500);
  }

  function closeFallback() {
    var old = document.querySelector(".kb-pl__fallback");
    if (old) old.parentNode.removeChild(old);
  }

  /* Nothing could reach the clipboard: show the text, selected, to copy by hand. */
  function fallback(tools, text, returnTo) {
    closeFallback();
    var box = document.createElement("div");
    box.className = "kb-pl__fallback";
    var id = "kb-pl-fallback-" + tools.getAttribute("data-kb-pl-for");
    var label = document.createElement("label");
    label.setAttribute("for", id);
    label.textContent = labels.copyFailed;
    var field = document.createElement("textarea");
    field.id = id;
    field.readOnly = true;
    field.rows = Math.min(6, text.split("\n").length + 1);
    field.value = text;
    field.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape") {
        ev.preventDefault();
        closeFallback();
        returnTo.focus();
      }
    });
    box.appendChild(label);
    box.appendChild(field);
    tools.appendChild(box);
    field.focus();
    field.select();
  }

  function copy(tools, kind, returnTo) {
    var target = document.getElementById(tools.getAttribute("data-kb-pl-for"));
    var text = format(kind, target);
    return copyText(text).then(function (ok) {
      if (ok) {
        closeFallback();
        tools.classList.add("kb-pl--copied");
        window.setTimeout(function () { tools.classList.remove("kb-pl--copied"); }, 1500);
        announce(labels.copied);
      } else {
        fallback(tools, text, returnTo);
      }
      return ok;
    });
  }

  /* ------------------------------------------------------------------ the menu */

  function items(menu) {
    return Array.prototype.slice.call(menu.querySelectorAll("[role=menuitem]"));
  }

  function close(menu, focusButton) {
    if (!menu || menu.hidden) return;
    menu.hidden = true;
    var button = menu.parentNode.querySelector(".kb-pl__more");
    button.setAttribute("aria-expanded", "false");
    menu.parentNode.classList.remove("kb-pl--open");
    if (openMenu === menu) openMenu = null;
    if (focusButton) button.focus();
  }

  function open(menu, which) {
    if (openMenu && openMenu !== menu) close(openMenu, false);
    closeFallback();
    menu.hidden = false;
    menu.parentNode.classList.add("kb-pl--open");
    menu.parentNode.querySelector(".kb-pl__more").setAttribute("aria-expanded", "true");
    openMenu = menu;
    var list = items(menu);
    list[which === "last" ? list.length - 1 : 0].focus();
  }

  function onMenuKey(ev) {
    var menu = ev.currentTarget;
    var list = items(menu);
    var i = list.indexOf(document.activeElement);
    var next = null;
    if (ev.key === "ArrowDown") next = list[(i + 1) % list.length];
    else if (ev.key === "ArrowUp") next = list[(i - 1 + list.length) % list.length];
    else if (ev.key === "Home") next = list[0];
    else if (ev.key === "End") next = list[list.length - 1];
    else if (ev.key === "Escape") { ev.preventDefault(); close(menu, true); return; }
    else if (ev.key === "Tab") { close(menu, false); return; }
    if (next) { ev.preventDefault(); next.focus(); }
  }

  function button(cls, html, label) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = cls;
    b.innerHTML = html;
    b.setAttribute("aria-label", label);
    b.title = label;
    return b;
  }

  function tools(target) {
    var id = target.id;
    var box = document.createElement("span");
    box.className = "kb-pl";
    box.setAttribute("data-kb-pl-for", id);
    var copyButton = button("kb-pl__copy", ICON_LINK, labels.copy + " (#" + id + ")");
    copyButton.title = labels.copy;
    var more = button("kb-pl__more", ICON_DOWN, labels.menu + " (#" + id + ")");
    more.title = labels.menu;
    var menu = document.createElement("span");
    menu.className = "kb-pl__menu";
    menu.id = "kb-pl-menu-" + id;
    menu.setAttribute("role", "menu");
    menu.setAttribute("aria-label", labels.menu);
    menu.hidden = true;
    more.setAttribute("aria-haspopup", "menu");
    more.setAttribute("aria-expanded", "false");
    more.setAttribute("aria-controls", menu.id);
    var formats = [["markdown", labels.asMarkdown], ["html", labels.asHtml], ["text", labels.asText]];
    if (target.classList.contains("kb-fact")) formats.unshift(["short", labels.asShort]);
    formats.forEach(function (f) {
      var item = document.createElement("button");
      item.type = "button";
      item.setAttribute("role", "menuitem");
      item.setAttribute("tabindex", "-1");
      item.setAttribute("data-format", f[0]);
      item.textContent = f[1];
      item.addEventListener("click", function (ev) {
        ev.stopPropagation();
        close(menu, true);
        copy(box, f[0], more);
      });
      menu.appendChild(item);
    });
    copyButton.addEventListener("click", function () { close(openMenu, false); copy(box, "url", copyButton); });
    more.addEventListener("click", function (ev) {
      ev.stopPropagation();
      if (menu.hidden) open(menu, "first"); else close(menu, true);
    });
    more.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
        ev.preventDefault();
        open(menu, ev.key === "ArrowUp" ? "last" : "first");
      }
    });
    menu.addEventListener("keydown", onMenuKey);
    box.appendChild(copyButton);
    box.appendChild(more);
    box.appendChild(menu);
    return box;
  }

  function init() {
    if (document.documentElement.hasAttribute("data-kb-pl")) return;
    document.documentElement.setAttribute("data-kb-pl", "");
    labels = readLabels();
    var article = document.querySelector("article.md-content__inner") || document.querySelector("article");
    if (!article) return;
    var facts = article.querySelectorAll(".kb-fact[id]");
    for (var i = 0; i < facts.length; i++) {
      var meta = facts[i].querySelector(".kb-fact-meta") || facts[i];
      var link = meta.querySelector(".kb-permalink");
      var t = tools(facts[i]);
      if (link && link.nextSibling) meta.insertBefore(t, link.nextSibling); else meta.appendChild(t);
    }
    var heads = article.querySelectorAll(HEADINGS);
    for (var j = 0; j < heads.length; j++) heads[j].appendChild(tools(heads[j]));
    document.addEventListener("click", function (ev) {
      if (openMenu && !openMenu.parentNode.contains(ev.target)) close(openMenu, false);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
