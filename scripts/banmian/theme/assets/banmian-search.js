/* banmian hosted search: Pagefind results in Material's own search dialog.

   Loaded before Material's bundle.js, only when extra.bm_search is "pagefind". Material fetches
   the whole search/search_index.json on every page load when a form named "search" exists; on
   http(s) this script takes the name away, so Material keeps its dialog, its keys ("s", "/",
   Esc, arrows, Enter) and never loads the lunr index, and the results come from Pagefind's
   chunked index, which a query only downloads in part. Pagefind is imported when the search
   opens, not before. From file:// (the offline bundle) it does nothing: Pagefind cannot load
   there and Material's own search works as before.

   Corrections: pages changed since the main index (SITE/pagefind/) was written are indexed apart,
   in SITE/pagefind-delta/, beside a file per language (banmian.pagefind_index.delta_file). When
   the search opens, this script reads its language's file (missing: no delta); when it names
   pages, Pagefind searches both indexes (mergeIndex). The results of the main index's pages that
   the delta supersedes are dropped, and the delta's scores are put on the main index's scale
   (see merge). The HTML pages do not change when only the index does. */
(function () {
  "use strict";
  var me = document.currentScript;
  if (location.protocol === "file:" || !me) return;
  var form = document.forms.namedItem("search");
  if (!form) return;
  form.removeAttribute("name");
  form.setAttribute("data-bm-search", "pagefind");

  var text = me.dataset;
  var moduleUrl = new URL(text.pagefind, location.href).href;
  var lang = document.documentElement.lang.toLowerCase();  // Pagefind picks its index by it too
  var deltaBase = new URL("../pagefind-delta/", moduleUrl).href;
  var deltaUrl = new URL("banmian-delta." + lang + ".json", deltaBase).href;
  var input = form.querySelector("input.md-search__input");
  var result = document.querySelector("[data-md-component=search-result]");
  if (!input || !result) return;
  var meta = result.querySelector(".md-search-result__meta");
  var list = result.querySelector(".md-search-result__list");
  var scroller = result.closest(".md-search__scrollwrap");
  var BATCH = 10;  // results rendered at a time, as Material does; each one fetches a fragment
  var DELAY = 80;  // ms of quiet typing before a query: one search per burst of keystrokes
  // Pagefind counts the excerpt in words; its traditional-script index is segmented almost
  // character by character, so it needs more "words" for the same two lines of text.
  var EXCERPT = lang === "zh-hant" ? 64 : 40;

  var loading = null;
  var seq = 0;
  var rendered = null;  // the query whose results the list shows
  var timer = 0;
  var hits = [];
  var shown = 0;
  var busy = false;

  /* The delta's file for this language, or null: none (a site indexed whole), or unreadable. */
  function readDelta() {
    return fetch(deltaUrl, { cache: "no-cache" }).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) {
        if (!d || d.format !== 1 || !d.pages || !Array.isArray(d.superseded)) return null;  // another format
        if (!Object.keys(d.pages).length && !d.superseded.length) return null;
        d.superseded = new Set(d.superseded);
        d.count = Object.keys(d.pages).length;
        return d;
      }, function () { return null; });
  }

  function start(pagefind, delta) {
    return pagefind.options({ excerptLength: EXCERPT }).then(function () { return pagefind.init(); }).then(function () {
      if (delta && delta.count) return pagefind.mergeIndex(deltaBase, { excerptLength: EXCERPT, language: lang });
    }).then(function () { return { pagefind: pagefind, delta: delta }; });
  }

  function load() {
    if (!loading) {
      loading = Promise.all([import(moduleUrl), readDelta()]).then(function (got) {
        var pagefind = got[0], delta = got[1];
        return start(pagefind, delta).catch(function (err) {
          if (!delta) throw err;
          // The delta did not load: the main index alone, as it was written (older texts).
          if (window.console) console.warn("banmian search: corrected pages not loaded", err);
          return pagefind.destroy().then(function () { return start(pagefind, null); });
        });
      });
      loading.catch(function () { loading = null; });
    }
    return loading;
  }

  /* Pagefind's terms for a query, as pagefind.js (1.5) makes them: words by Intl.Segmenter for
     Chinese, Japanese and Thai, lower case, punctuation dropped (its test, as written), marks
     removed after NFD. Also used on one word of a page, to compare it with a term. */
  var segmenters = null;
  function queryTerms(query, include) {
    var punct = /^\p{Pd}|\p{Pe}|\p{Pf}|\p{Pi}|\p{Po}|\p{Ps}$/u;
    var keep = function (g) { return include.indexOf(g) >= 0 ? g : punct.test(g) ? "" : g.toLocaleLowerCase(); };
    if (!segmenters) {
      var locale = null;
      try { locale = Intl.getCanonicalLocales(lang)[0]; } catch (e) { /* Pagefind goes on without */ }
      segmenters = locale && typeof Intl.Segmenter !== "undefined" ? {
        chars: new Intl.Segmenter(locale, { granularity: "grapheme" }),
        words: ["zh", "ja", "th"].indexOf(locale.split("-")[0].toLowerCase()) >= 0 ? new Intl.Segmenter(locale, { granularity: "word" }) : null
      } : {};
    }
    var split = function (s) { return Array.from(segmenters.chars.segment(s), function (g) { return keep(g.segment); }).join(""); };
    var term;
    if (!segmenters.chars) term = Array.from(query, keep).join("");
    else if (!segmenters.words) term = split(query);
    else term = Array.from(segmenters.words.segment(query), function (w) { return split(w.segment); }).filter(Boolean).join(" ");
    return term.replace(/\s{2,}/g, " ").trim().normalize("NFD").replace(/\p{M}/gu, "").split(" ").filter(Boolean);
  }

  function idf(pages, containing) { return Math.log((pages - containing + 0.5) / (containing + 0.5) + 1); }

  function fromDelta(d, r) { return Object.prototype.hasOwnProperty.call(d.pages, r.id); }

  /* How an index answered a term, told by its results for the term alone: "=" by its words
     that begin with the term; a shorter word: it has none, and took its longest word that
     begins the term; "": by nothing, it left the term out; null: cannot tell. The words a
     result matched are its fragment's words at its locations (as pagefind.js marks them). */
  function answer(results, term, include) {
    var i = 0;
    function next() {
      if (i >= Math.min(results.length, 3)) return Promise.resolve(results.length ? null : "");
      var r = results[i++];
      return r.data().then(function (data) {
        var content = data.raw_content || "";
        var words = content.indexOf("\u200b") >= 0 ? content.split("\u200b") : content.split(/[\r\n\s]+/g);
        var matched = r.words.map(function (at) { return queryTerms(words[at] || "", include).join(""); }).filter(Boolean);
        if (!matched.length) return next();
        if (matched.some(function (w) { return w.startsWith(term); })) return "=";
        return matched.filter(function (w) { return term.startsWith(w); }).sort(function (a, b) { return b.length - a.length; })[0] || null;
      });
    }
    return next();
  }

  /* Whether each index answers a term as one index of every page would. Pagefind matches a term
     with the index's words that begin with it; when there are none, with its longest word that
     begins the term; when there is none either, it leaves the term out. The delta, a few pages,
     has few words: "上报" may find a corrected page through "上", where the whole index has
     words "上报…" and would not; the other way, a word new in the delta makes the main index
     fall back or leave the term out. The whole index has the main index's words (of the pages
     not superseded) and the delta's; it answers by the best of the two. */
  function agrees(engine, term) {
    var d = engine.delta, include = d.include_characters || [];
    if (queryTerms(term, include).join(" ") !== term) return Promise.resolve({ main: true, delta: true });
    return engine.pagefind.search(term).then(function (found) {
      var main = [], live = [], mine = [];
      found.results.forEach(function (r) {
        if (fromDelta(d, r)) mine.push(r); else { main.push(r); if (!d.superseded.has(r.id)) live.push(r); }
      });
      return Promise.all([answer(main, term, include), answer(mine, term, include), live.length]);
    }).then(function (a) {
      var m = a[0], x = a[1];
      if (m === null || x === null) return { main: true, delta: true };  // as Pagefind answers
      var kept = a[2] ? m : "";  // the main index's answer by the pages it still serves
      var whole = kept === "=" || x === "=" ? "=" : kept.length >= x.length ? kept : x;
      return { main: m === whole, delta: x === whole };
    }, function () { return { main: true, delta: true }; });
  }

  /* The results of both indexes, as one index made from every page would give them.

     - The main index's results for pages the delta supersedes are dropped.
     - An index that answers a term otherwise than the whole index would (see agrees) has its
       results dropped. A quoted query matches whole words, and is left as it is.
     - Scores: Pagefind's BM25 weighs a term by how few of the index's pages hold it, and in a
       delta of a few pages every term is common: its results would come last. A corrected page
       whose earlier text the main index found takes that text's score, so it ranks where it did;
       one the main index did not find gets its delta score times the ratio of the query's
       inverse document frequency in the main index to that in the delta, counted from the
       results (exact for a one-term query but for the average page length, approximate for
       more terms). Measured in README "Performance". */
  function merge(results, engine, query) {
    var d = engine.delta;
    var check = d.count && results.length && !/^\s*".+"\s*$/.test(query) ? queryTerms(query, d.include_characters || []) : [];
    return Promise.all(check.map(function (t) { return agrees(engine, t); })).then(function (verdicts) {
      var main = [], mine = [];
      results.forEach(function (r) { (fromDelta(d, r) ? mine : main).push(r); });
      if (!verdicts.every(function (v) { return v.main; })) main = [];
      if (!verdicts.every(function (v) { return v.delta; })) mine = [];
      var before = {};
      main.forEach(function (r) { before[r.id] = r.score; });
      var ratio = idf(d.main_pages, main.length) / idf(d.count, mine.length);
      mine = mine.map(function (r) {
        var old = d.pages[r.id];
        var score = old && Object.prototype.hasOwnProperty.call(before, old) ? before[old] : r.score * ratio;
        return { id: r.id, score: score, words: r.words, data: r.data };
      });
      main = main.filter(function (r) { return !d.superseded.has(r.id); });
      return main.concat(mine).sort(function (a, b) { return b.score - a.score; });
    });
  }

  /* Remove the first n characters of a paragraph of text and <mark> nodes. */
  function dropStart(p, n) {
    while (n > 0 && p.firstChild) {
      var node = p.firstChild, len = node.textContent.length;
      if (len <= n) { p.removeChild(node); n -= len; } else { node.textContent = node.textContent.slice(n); n = 0; }
    }
    if (p.firstChild && p.firstChild.nodeType === 3) p.firstChild.data = p.firstChild.data.replace(/^[\s.]+/, "");
  }

  /* Pagefind's excerpt is HTML with <mark> around the hits: keep the marks, everything else as
     text. The title is indexed as the article's heading, so an excerpt of a hit in the title
     starts with it: shown once, as the result's heading. */
  function excerpt(html, title) {
    var tpl = document.createElement("template");
    tpl.innerHTML = html;
    var p = document.createElement("p");
    tpl.content.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        p.appendChild(mark);
      } else {
        p.appendChild(document.createTextNode(node.textContent));
      }
    });
    p.normalize();
    // Pagefind joins the words it segmented with U+200B: invisible, but it breaks copy and paste.
    p.childNodes.forEach(function (n) { if (n.nodeType === 3) n.data = n.data.replace(/\u200b/g, ""); });
    p.querySelectorAll("mark").forEach(function (m) { m.textContent = m.textContent.replace(/\u200b/g, ""); });
    if (title && p.textContent.indexOf(title) === 0) dropStart(p, title.length);
    return p;
  }

  /* The markup Material's own search renders, so its styles and keyboard handling apply. */
  function item(hit, data) {
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    var a = document.createElement("a");
    a.className = "md-search-result__link";
    a.href = data.url;
    a.tabIndex = -1;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    article.setAttribute("data-md-score", hit.score.toFixed(2));  // Enter opens the best one
    var icon = document.createElement("div");
    icon.className = "md-search-result__icon md-icon";
    var h1 = document.createElement("h1");
    var title = (data.meta && data.meta.title) || "";
    h1.textContent = title || data.url;
    article.append(icon, h1, excerpt(data.excerpt || "", title));
    a.appendChild(article);
    li.appendChild(a);
    return li;
  }

  function more(mine) {
    if (busy || shown >= hits.length) return Promise.resolve();
    busy = true;
    var batch = hits.slice(shown, shown + BATCH);
    shown += batch.length;
    return Promise.all(batch.map(function (hit) { return hit.data(); })).then(function (datas) {
      busy = false;
      if (mine !== seq) return;
      datas.forEach(function (data, i) { list.appendChild(item(batch[i], data)); });
      fill(mine);
    }, function (err) { busy = false; throw err; });
  }

  /* Keep loading while the list does not fill the dialog yet. */
  function fill(mine) {
    if (scroller && scroller.scrollHeight <= scroller.clientHeight + 16) more(mine).catch(failed);
  }

  function failed(err) {
    meta.textContent = text.failed;
    if (window.console) console.error("banmian search:", err);
  }

  function run() {
    var mine = ++seq;
    var query = input.value.trim();
    if (!query) {
      hits = []; shown = 0; rendered = null;
      list.innerHTML = "";
      meta.textContent = text.placeholder;
      return;
    }
    var engine;
    load().then(function (e) { engine = e; return e.pagefind.search(query); }).then(function (found) {
      if (mine !== seq || !found) return null;
      return engine.delta ? merge(found.results, engine, query) : found.results;
    }).then(function (found) {
      if (mine !== seq || !found) return;
      hits = found; shown = 0; busy = false; rendered = query;
      list.innerHTML = "";
      if (scroller) scroller.scrollTop = 0;
      meta.textContent = hits.length ? text.count.replace("#", String(hits.length)) : text.none;
      return more(mine);
    }).catch(function (err) { if (mine === seq) failed(err); });
  }

  input.addEventListener("focus", function () {
    if (!loading) meta.textContent = text.loading;
    load().then(function () {
      var query = input.value.trim();  // set by Material from ?q=, or still there from before
      if (query && query !== rendered) run(); else if (!query) meta.textContent = text.placeholder;
    }, failed);
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, DELAY);
  });
  form.addEventListener("reset", function () { setTimeout(run, 0); });
  if (scroller) {
    scroller.addEventListener("scroll", function () {
      if (scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 64) more(seq).catch(failed);
    }, { passive: true });
  }
})();
