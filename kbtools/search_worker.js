/* Korean-aware search: a prelude that runs before Material's search worker.
 *
 * kbtools/search.py fills in KB_SEARCH (glossary aliases, language prefixes), prepends this file
 * to Material's worker (search.*.min.js) and writes assets/javascripts/workers/kb-search.js; the
 * page points the theme's worker URL at it with ?lang=<page language> (assets/js/kb-config.js).
 *
 * Because it runs first:
 * - its "message" listener sees a QUERY before Material's listener and rewrites the query in place:
 *   Korean particles are stripped (격리는 -> 격리, 이미지를 -> 이미지), glossary aliases add the
 *   canonical term (나노 서버 -> Nano Server, 쿠버네티스 -> Kubernetes), kb/synonyms.yaml adds the
 *   words pages use (용량 -> 크기, size), fillers are left out (안 돼요), the words typed are kept;
 *   a pasted error message or code that a question lists (kb/questions errors) marks that question;
 * - its postMessage wrapper sees Material's RESULT: pages in the page's language come first, a
 *   question whose error message was pasted comes before everything else, and the "missing
 *   terms" of each result name the words the reader typed, not the added ones.
 *
 * It works in a real Worker and inside the iframe-worker shim Material uses on file://, where
 * postMessage and importScripts are plain functions of the iframe's window.
 */
(function () {
  "use strict";

  var KB_SEARCH = /*KB_SEARCH_DATA*/ {"default": "ko", "prefixes": {"ko": "", "en": "en/"}, "aliases": {}, "weights": {}, "fillers": [], "errors": [], "questions": "questions.html"};

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

  /* As kbtools/search.py normalize(): lower case, no quotes or trailing dot, single spaces. */
  function normalize(text) {
    return text.replace(/["'`\u201c\u201d\u2018\u2019]/g, "").replace(/\s+/g, " ").trim().replace(/\.+$/, "").toLowerCase();
  }

  /* Ids of the questions listing the error message or code that was pasted (or a long part of it). */
  function pastedErrors(query) {
    var typed = normalize(query), out = [];
    KB_SEARCH.errors.forEach(function (pair) {
      var err = pair[0];
      var hit = err === typed || (typed.length >= 10 && err.indexOf(typed) >= 0) ||
        (err.length >= 10 && typed.indexOf(err) >= 0);
      if (hit && out.indexOf(pair[1]) < 0) out.push(pair[1]);
    });
    return out;
  }

  function words(text) {
    return text.replace(/[":^~*+]/g, " ").split(/\s+/).filter(Boolean);
  }

  /* -> {query, groups}: the query Material will run, and per typed word (or alias phrase) the
     words that stand for it: itself, its stem, the names of the glossary term it spells. */
  function rewrite(query) {
    var questions = pastedErrors(query);
    var typed = query.trim().split(/\s+/).filter(Boolean);
    if (questions.length || typed.length >= 5) {
      // A pasted message is text, not lunr syntax: its quotes, colons and dashes are the message's.
      query = query.replace(/["':^~*+]/g, " ").replace(/(^|\s)-+/g, "$1");
      typed = query.trim().split(/\s+/).filter(Boolean);
    } else if (!typed.length || ADVANCED.test(query)) {
      return {query: query, groups: [], phrases: [], questions: questions};
    }
    var stems = typed.map(stem);
    var groups = [];
    var fill = KB_SEARCH.fillers || [];
    var onlyFillers = typed.every(function (w, k) {
      return fill.indexOf(key(w)) >= 0 || (stems[k] && fill.indexOf(key(stems[k])) >= 0);
    });
    for (var i = 0; i < typed.length;) {
      if (!onlyFillers) {
        // A filler (안 돼요, 되나요) ends a question; the pages have nothing to match it with.
        var skip = 0;
        for (var f = Math.min(3, typed.length - i); f > 0 && !skip; f--) {
          if (fill.indexOf(key(typed.slice(i, i + f).join(""))) >= 0) skip = f;
        }
        if (skip) { i += skip; continue; }
      }
      var match = null;
      for (var n = Math.min(4, typed.length - i); n > 0 && !match; n--) {
        var span = typed.slice(i, i + n);
        var candidates = [key(span.join(""))];
        if (stems[i + n - 1]) candidates.push(key(span.slice(0, -1).join("") + stems[i + n - 1]));
        for (var c = 0; c < candidates.length && !match; c++) {
          if (KB_SEARCH.aliases[candidates[c]]) match = {n: n, key: candidates[c], names: KB_SEARCH.aliases[candidates[c]]};
        }
      }
      var n2 = match ? match.n : 1;
      var words1 = typed.slice(i, i + n2);
      var group = {label: words1.join(" "), variants: []};
      if (n2 > 1 && HANGUL.test(group.label)) {
        // A name typed as several words (나노 서버) is one name: its words alone (서버) would
        // match everything, so the phrase stands as one word and the name's own words join it.
        group.variants.push(words1.join(""));
      } else if (n2 > 1) {
        group.variants = words1.slice();
      } else {
        group.variants.push(words1[0]);
        if (stems[i]) group.variants.push(stems[i]);
      }
      group.own = group.variants.length;
      group.n = n2;
      if (match) {
        group.names = match.names;
        match.names.forEach(function (name) {
          if (key(name).indexOf(match.key) >= 0) return;   // HostProcess already names "HostProcess container"
          group.variants = group.variants.concat(words(name));
        });
      }
      groups.push(group);
      i += n2;
    }
    var seen = {}, out = [];
    function emit(term) {
      if (!seen[term.toLowerCase()]) { seen[term.toLowerCase()] = true; out.push(term); }
    }
    groups.forEach(function (group) {
      group.variants.forEach(function (variant, v) {
        // Case kept: the index splits camelCase (HostProcess -> host, process). A word typed in
        // one piece that the index splits (HostProcess, Hyper-V) needs all its pieces, exactly:
        // otherwise Material's host* process* v* match "self-hosted", "process isolation" and
        // every "verified".
        var pieces = variant.split(separator).filter(Boolean);
        if (pieces.length > 1 && v < group.own && /^[\x21-\x7e]+$/.test(variant)) {
          pieces.forEach(function (piece) { emit("+" + piece); });
        } else if (pieces.length > 1) {
          pieces.forEach(function (piece) { emit(/^[A-Za-z0-9]$/.test(piece) ? piece + "^1" : piece); });
        } else {
          emit(variant);
        }
      });
    });
    // Phrases whose literal presence in a result lifts it: the whole query, each typed word or
    // name, the names an alias stands for (lunr scores words one by one; this keeps "HostProcess"
    // above a "Process isolation" heading that only shares a piece).
    var phrases = [typed.join(" ")];
    groups.forEach(function (group) {
      phrases.push(group.label);
      if (group.names) phrases = phrases.concat(group.names);
    });
    phrases = phrases.map(function (x) { return x.toLowerCase(); })
      .filter(function (x, k, all) { return x.length > 1 && all.indexOf(x) === k; });
    return {query: out.join(" ") || query, groups: groups, phrases: phrases, questions: questions};
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

  /* Result pages in the page's language first; within each language by score, where reference
     pages that name everything (glossary, sources) weigh less, so facts come before them. */
  function plain(html) {
    return String(html || "").replace(/<[^<>]*>/g, "").toLowerCase();
  }

  /* How well an item covers what was typed: typed words (or names) found in it through any of
     their variants, plus one if it holds the whole query as typed; title hits break ties. lunr's
     own score comes last: with Material's title boost it lets one shared word in a heading
     ("HostProcess 컨테이너" for 프로세스) outweigh a section that has every word. */
  function coverage(item, rewritten) {
    var title = plain(item.title), body = title + " " + plain(item.text);
    var cover = 0, titled = 0;
    rewritten.groups.forEach(function (group) {
      // What counts as the typed word being there: the word as typed (or its stem), or a whole
      // name it stands for; not a piece of a name ("10" of "Windows 10", "Service" of gMSA).
      var own = group.n > 1 ? (HANGUL.test(group.label) ? group.variants.slice(0, 1) : []) : group.variants.slice(0, group.own);
      var names = [group.label].concat(own)
        .concat(group.names || []).map(function (v) { return v.toLowerCase(); })
        .filter(function (v) { return v.length > 1; });
      if (names.some(function (v) { return body.indexOf(v) >= 0; })) cover++;
      if (names.some(function (v) { return title.indexOf(v) >= 0; })) titled++;
    });
    var whole = rewritten.phrases[0];
    if (rewritten.groups.length > 1 && whole && body.indexOf(whole) >= 0) cover++;
    return [cover, titled];
  }

  function better(a, b) {
    return b.key[0] - a.key[0] || b.key[1] - a.key[1] || b.score - a.score;
  }

  function order(items, rewritten) {
    var groups = rewritten.groups || [];
    var ranked = items.map(function (group, position) {
      var page = group.length ? group[0].location.split("#")[0] : "";
      var weight = KB_SEARCH.weights[page];
      var penalty = typeof weight === "number" ? 1 - weight : 0;
      var asked = rewritten.questions || [];
      var scored = group.map(function (item) {
        item.terms = retitle(item.terms, groups);
        var key = groups.length ? coverage(item, rewritten) : [0, 0];
        var parts = item.location.split("#");
        if (parts[1] && asked.indexOf(parts[1]) >= 0 && parts[0].slice(-KB_SEARCH.questions.length) === KB_SEARCH.questions) {
          key = [key[0] + 100, key[1]];   // the question that explains the pasted error
        }
        // A reference page whose own title is what was typed (용어집) is what the reader wants.
        var own = item.location.indexOf("#") < 0 && key[1] === groups.length ? 0 : penalty;
        // A page that names everything (weight below one half) loses a covered word; one that
        // names many things (the questions page) loses only ties in the title.
        var major = penalty >= 0.5 ? own : 0;
        return {item: item, key: [key[0] - major, key[1] - own], score: item.score * (1 - own)};
      });
      scored.sort(better);
      return {
        group: scored.map(function (s) { return s.item; }), position: position,
        mine: group.length && pageLang(page) === lang ? 0 : 1,
        key: scored.length ? scored[0].key : [0, 0], score: scored.length ? scored[0].score : 0
      };
    });
    ranked.sort(function (a, b) { return a.mine - b.mine || better(a, b) || a.position - b.position; });
    return ranked.map(function (r) { return r.group; });
  }

  var pending = [], separator = /[\s\-]+/;
  self.addEventListener("message", function (event) {
    var message = event.data;
    if (message && message.type === SETUP && message.data && message.data.config) {
      try { separator = new RegExp(message.data.config.separator, "g"); } catch (err) { /* keep default */ }
    }
    if (!message || message.type !== QUERY || typeof message.data !== "string") return;
    var rewritten = rewrite(message.data);
    pending.push(rewritten);
    message.data = rewritten.query;
  });

  var post = self.postMessage;
  self.postMessage = function (message) {
    if (message && message.type === RESULT && message.data && Array.isArray(message.data.items)) {
      message.data.items = order(message.data.items, pending.shift() || {groups: []});
    }
    return post.apply(self, arguments);
  };

  self.kbSearch = {rewrite: rewrite, stem: stem, lang: lang, pastedErrors: pastedErrors};
})();
