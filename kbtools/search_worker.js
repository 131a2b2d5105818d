/* Korean-aware search: a prelude that runs before Material's search worker.
 *
 * kbtools/search.py fills in KB_SEARCH (glossary aliases, language prefixes), prepends this file
 * to Material's worker (search.*.min.js) and writes assets/javascripts/workers/kb-search.js; the
 * page points the theme's worker URL at it with ?lang=<page language> (assets/js/kb-config.js).
 *
 * Because it runs first:
 * - its "message" listener sees a QUERY before Material's listener and rewrites the query in place:
 *   Korean particles are stripped (격리는 -> 격리, 이미지를 -> 이미지), glossary aliases add the
 *   canonical term (나노 서버 -> Nano Server, 쿠버네티스 -> Kubernetes), the words typed are kept;
 * - its postMessage wrapper sees Material's RESULT: pages in the page's language come first, and
 *   the "missing terms" of each result name the words the reader typed, not the added ones.
 *
 * It works in a real Worker and inside the iframe-worker shim Material uses on file://, where
 * postMessage and importScripts are plain functions of the iframe's window.
 */
(function () {
  "use strict";

  var KB_SEARCH = /*KB_SEARCH_DATA*/ {"default": "ko", "prefixes": {"ko": "", "en": "en/"}, "aliases": {}};

  var SETUP = 0, QUERY = 2, RESULT = 3;
  var script = typeof document !== "undefined" && document.currentScript;
  var href = script ? script.src : self.location.href;
  var langMatch = /[?&]lang=([a-z]+)/.exec(href);
  var lang = langMatch ? langMatch[1] : KB_SEARCH["default"];

  var HANGUL = /[\uac00-\ud7a3]/;
  var ADVANCED = /(^|\s)[+\-]|["~^*:]/;        // lunr syntax typed on purpose: leave the query alone
  // Particles and common endings, longest first; a stem keeps at least two characters.
  var PARTICLES = [
    "에서부터", "으로부터", "이라는", "이라고", "에서는", "에서도", "에서의", "으로는", "으로도", "으로서",
    "으로써", "에게서", "까지는", "부터는", "이란", "이며", "이고", "이나", "이랑", "에서", "에게", "에는",
    "에도", "에의", "으로", "로는", "로도", "로서", "로써", "와는", "과는", "와도", "과도", "까지", "부터",
    "보다", "처럼", "마다", "라는", "라고", "하고", "하는", "하기", "하려면", "하면", "합니다", "입니다",
    "인가요", "인가", "이에요", "예요", "은", "는", "이", "가", "을", "를", "의", "에", "로", "와", "과",
    "도", "만", "란", "나"
  ].sort(function (a, b) { return b.length - a.length; });

  function stem(word) {
    if (!HANGUL.test(word.slice(-1))) return null;
    for (var i = 0; i < PARTICLES.length; i++) {
      var p = PARTICLES[i];
      if (word.length - p.length >= 2 && word.slice(-p.length) === p) return word.slice(0, -p.length);
    }
    return null;
  }

  function key(text) {
    return text.toLowerCase().replace(/\s+/g, "");
  }

  function words(text) {
    return text.replace(/[":^~*+]/g, " ").split(/\s+/).filter(Boolean);
  }

  /* -> {query, groups}: the query Material will run, and per typed word the words that stand
     for it (itself, its stem, the canonical terms of an alias it is part of). */
  function rewrite(query) {
    var typed = query.trim().split(/\s+/).filter(Boolean);
    if (!typed.length || ADVANCED.test(query)) return {query: query, groups: []};
    var groups = typed.map(function (word) {
      var s = stem(word);
      return {label: word, variants: s ? [word, s] : [word]};
    });
    var aliases = KB_SEARCH.aliases;
    for (var i = 0; i < typed.length;) {
      var found = 0;
      for (var n = Math.min(4, typed.length - i); n > 0 && !found; n--) {
        var span = typed.slice(i, i + n);
        var last = groups[i + n - 1].variants;
        var candidates = [key(span.join(""))];
        if (last.length > 1) candidates.push(key(span.slice(0, -1).join("") + last[1]));
        for (var c = 0; c < candidates.length && !found; c++) {
          var expansions = aliases[candidates[c]];
          if (!expansions) continue;
          found = n;
          for (var e = 0; e < expansions.length; e++) {
            var added = words(expansions[e]);
            for (var g = i; g < i + n; g++) groups[g].variants = groups[g].variants.concat(added);
          }
        }
      }
      i += found || 1;
    }
    var seen = {}, out = [];
    groups.forEach(function (group) {
      group.variants.forEach(function (v) {   // case kept: the index splits camelCase (HostProcess)
        if (!seen[v.toLowerCase()]) { seen[v.toLowerCase()] = true; out.push(v); }
      });
    });
    return {query: out.join(" "), groups: groups};
  }

  function pageLang(location) {
    var best = KB_SEARCH["default"], length = -1;
    Object.keys(KB_SEARCH.prefixes).forEach(function (code) {
      var prefix = KB_SEARCH.prefixes[code];
      if (location.indexOf(prefix) === 0 && prefix.length > length) { best = code; length = prefix.length; }
    });
    return best;
  }

  /* Material's terms are the lunr terms of the rewritten query; report the typed words instead:
     matched variants stay (they drive ?h= highlighting), a typed word is missing only if none of
     its variants matched. */
  function retitle(terms, groups) {
    if (!terms || !groups.length) return terms;
    var out = {};
    groups.forEach(function (group) {
      var known = false, hit = false;
      group.variants.forEach(function (variant) {
        var pieces = variant.split(separator).filter(Boolean).map(function (p) { return p.toLowerCase(); });
        var matched = pieces.length > 0;
        pieces.forEach(function (piece) {
          if (piece in terms) known = true;
          if (!terms[piece]) matched = false;
        });
        if (matched) { hit = true; pieces.forEach(function (piece) { out[piece] = true; }); }
      });
      if (known && !hit) out[group.label] = false;
    });
    return out;
  }

  function order(items, groups) {
    var mine = [], other = [];
    items.forEach(function (group) {
      group.forEach(function (item) { item.terms = retitle(item.terms, groups); });
      (group.length && pageLang(group[0].location) === lang ? mine : other).push(group);
    });
    return mine.concat(other);
  }

  var pending = [], separator = /[\s\-]+/;
  self.addEventListener("message", function (event) {
    var message = event.data;
    if (message && message.type === SETUP && message.data && message.data.config) {
      try { separator = new RegExp(message.data.config.separator, "g"); } catch (err) { /* keep default */ }
    }
    if (!message || message.type !== QUERY || typeof message.data !== "string") return;
    var rewritten = rewrite(message.data);
    pending.push(rewritten.groups);
    message.data = rewritten.query;
  });

  var post = self.postMessage;
  self.postMessage = function (message) {
    if (message && message.type === RESULT && message.data && Array.isArray(message.data.items)) {
      message.data.items = order(message.data.items, pending.shift() || []);
    }
    return post.apply(self, arguments);
  };

  self.kbSearch = {rewrite: rewrite, stem: stem, lang: lang};
})();
