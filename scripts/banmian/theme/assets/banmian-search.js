/* banmian hosted search: Pagefind results in Material's own search dialog.

   Loaded before Material's bundle.js, only when extra.bm_search is "pagefind". Material fetches
   the whole search/search_index.json on every page load when a form named "search" exists; on
   http(s) this script takes the name away, so Material keeps its dialog, its keys ("s", "/",
   Esc, arrows, Enter) and never loads the lunr index, and the results come from Pagefind's
   chunked index, which a query only downloads in part. Pagefind is imported when the search
   opens, not before. From file:// (the offline bundle) it does nothing: Pagefind cannot load
   there and Material's own search works as before. */
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
  var EXCERPT = document.documentElement.lang.toLowerCase() === "zh-hant" ? 64 : 40;

  var loading = null;
  var seq = 0;
  var rendered = null;  // the query whose results the list shows
  var timer = 0;
  var hits = [];
  var shown = 0;
  var busy = false;

  function load() {
    if (!loading) {
      loading = import(moduleUrl).then(function (pagefind) {
        return pagefind.options({ excerptLength: EXCERPT }).then(function () { return pagefind.init(); })
          .then(function () { return pagefind; });
      });
      loading.catch(function () { loading = null; });
    }
    return loading;
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
    load().then(function (pagefind) { return pagefind.search(query); }).then(function (found) {
      if (mine !== seq || !found) return;
      hits = found.results; shown = 0; busy = false; rendered = query;
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
