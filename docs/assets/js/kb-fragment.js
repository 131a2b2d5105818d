/* Old links keep working: when the #fragment of the address names no element of this page, look
 * it up in the id map the build writes (assets/js/kb-ids.js, from kb/published.txt, old ids and
 * retired ids; kbtools/shortlinks.py) and go to the page and anchor where it lives now. An id the
 * map does not know gets a notice with a search link, in the page's language.
 *
 * No network beyond the site itself: the map is a script file (loaded only when needed), so it
 * works from file:// too, where fetch() of a local file is refused.
 */
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me) return;
  var root = me.src.replace(/assets\/js\/kb-fragment\.js(?:[?#].*)?$/, "");
  var NOTICE = "kb-fragment-notice";

  function here() { return location.href.split("#")[0].split("?")[0]; }

  function langPrefix() {
    return here().indexOf(root + "en/") === 0 ? "en/" : "";
  }

  function lang() { return langPrefix() ? "en" : "ko"; }

  function fragment() {
    try { return decodeURIComponent(location.hash.slice(1)); } catch (e) { return location.hash.slice(1); }
  }

  function withMap(done) {
    if (window.kbIds) { done(window.kbIds); return; }
    var s = document.createElement("script");
    s.src = root + "assets/js/kb-ids.js";
    s.onload = function () { done(window.kbIds || null); };
    s.onerror = function () { done(null); };
    document.head.appendChild(s);
  }

  function label(map, key, id) {
    var l = (map && map.l && map.l[lang()]) || {};
    return (l[key] || "#{id}").replace("{id}", id);
  }

  function notice(map, id) {
    var old = document.getElementById(NOTICE);
    if (old) old.parentNode.removeChild(old);
    var box = document.createElement("div");
    box.id = NOTICE;
    box.className = "admonition warning " + NOTICE;
    box.setAttribute("role", "status");
    box.setAttribute("data-for", id);
    var p = document.createElement("p");
    p.textContent = label(map, "missing", id);
    var a = document.createElement("a");
    a.href = root + langPrefix() + "index.html?q=" + encodeURIComponent(id.replace(/-/g, " "));
    a.textContent = label(map, "search", id);
    var p2 = document.createElement("p");
    p2.appendChild(a);
    box.appendChild(p);
    box.appendChild(p2);
    var where = document.querySelector("article.md-content__inner") || document.querySelector("main") || document.body;
    where.insertBefore(box, where.firstChild);
  }

  function resolve(map, id) {
    // Own keys only: "#constructor" or "#__proto__" must not find Object.prototype's members.
    var known = map && map.i && Object.prototype.hasOwnProperty.call(map.i, id);
    if (!known) { notice(map, id); return; }
    var entry = map.i[id];
    var page = map.p[typeof entry === "number" ? entry : entry[0]];
    var anchor = typeof entry === "number" ? id : entry[1];
    var target = root + langPrefix() + page;
    if (target === here()) {
      // Same page: an old id whose new id is here, or an id the page lost (never loop).
      if (anchor !== id && document.getElementById(anchor)) location.replace("#" + anchor);
      else notice(map, id);
      return;
    }
    location.replace(target + "#" + anchor);
  }

  function check() {
    var id = fragment();
    var old = document.getElementById(NOTICE);
    if (old && id !== old.getAttribute("data-for")) old.parentNode.removeChild(old);
    if (!id || document.getElementById(id)) return;
    withMap(function (map) { resolve(map, id); });
  }

  window.addEventListener("hashchange", check);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", check);
  else check();
})();
