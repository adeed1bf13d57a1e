/* banmian search: the same code hosted and from file:// (the offline bundle).

   The index (banmian.search_index, folder bm-search/ at the simplified site's root, shared by
   both scripts) is a set of small scripts, each calling bmSearchData(kind, number, data); this
   file loads only those a query needs, with <script src>, which browsers allow from file://
   where fetch is blocked. Text and queries are folded alike (traditional → simplified,
   full-width → ASCII, Latin lower case, one character for one), so either script finds both.

   A query's terms are its space-separated parts; an entry matches when it holds every term as a
   contiguous string: a term of one character through the character's postings, a longer one
   where its pairs of neighbouring characters sit at consecutive positions (exact, no text
   needed). Ranking: a term in the title first, then in the metadata (byline, place, column),
   then by how often, then newest. Results show title, date, paper and page, place, authors;
   counts by year, place, column, author and proofreading status filter them; the query,
   filters and order live in the URL. On article pages, ?h=query marks the query in the text. */
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me) return;
  var trad = me.getAttribute("data-script") === "zh-Hant";
  var indexBase = new URL(me.getAttribute("data-index"), location.href).href;
  var siteRoot = new URL(me.getAttribute("data-root"), location.href).href;
  var TEXT = trad ? {
    placeholder: "輸入人名、地名、詞語或數字", search: "搜尋", loading: "正在載入索引…", failed: "無法載入檢索索引",
    none: "沒有找到包含「#」的文章", count: "找到 # 篇", shown: "，顯示前 #", more: "顯示更多", relevance: "相關度",
    newest: "日期（新→舊）", oldest: "日期（舊→新）", sort: "排序", year: "年份", place: "地區", column: "欄目",
    author: "作者", status: "校對狀態", undated: "未注明日期", clear: "清除全部篩選", inferred: "據版面推斷",
    about: "約", types: { caption: "圖片說明", notice: "啟事" }, all: "全部", filters: "篩選", remove: "移除篩選"
  } : {
    placeholder: "输入人名、地名、词语或数字", search: "搜索", loading: "正在加载索引…", failed: "无法加载检索索引",
    none: "没有找到包含“#”的文章", count: "找到 # 篇", shown: "，显示前 #", more: "显示更多", relevance: "相关度",
    newest: "日期（新→旧）", oldest: "日期（旧→新）", sort: "排序", year: "年份", place: "地区", column: "栏目",
    author: "作者", status: "校对状态", undated: "未注明日期", clear: "清除全部筛选", inferred: "据版面推断",
    about: "约", types: { caption: "图片说明", notice: "启事" }, all: "全部", filters: "筛选", remove: "移除筛选"
  };
  var FACETS = ["year", "place", "column", "author", "status"];
  var PAGE = 20;

  /* ---------------------------------------------------------------- loading index files */
  var got = {};
  var files = {};
  window.bmSearchData = function (kind, n, data) { got[kind + n] = data; };
  function loadScript(name, kind, n, bust) {
    var key = kind + n;
    if (files[key]) return files[key];
    files[key] = new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = indexBase + name + "?v=" + bust;
      s.async = true;
      s.onload = function () { s.remove(); if (key in got) resolve(got[key]); else reject(new Error(name)); };
      s.onerror = function () { s.remove(); delete files[key]; reject(new Error(name)); };
      document.head.appendChild(s);
    });
    return files[key];
  }
  var head = null;
  function start() {
    // index.js names the build; every other file is asked for with it, so a browser's cache never
    // mixes two builds (the folder is the same on file://, where the query part is ignored)
    if (!head) head = loadScript("index.js", "i", 0, Date.now()).then(function (h) {
      if (h.format !== 1) throw new Error("format");
      return loadScript("fold.js", "f", 0, h.version).then(function (pairs) {
        var map = new Map();
        var cps = Array.from(pairs);
        for (var i = 0; i + 1 < cps.length; i += 2) map.set(cps[i], cps[i + 1]);
        h.fold = map;
        return h;
      });
    });
    head.catch(function () { head = null; });
    return head;
  }
  function fold(map, text) {
    var out = "";
    for (var c of text) out += map.get(c) || c;
    return out;
  }
  function terms(h, query) {
    var seen = {};
    return fold(h.fold, query).split(/\s+/).filter(function (t) {
      if (!t || seen[t]) return false;
      seen[t] = true;
      return true;
    }).slice(0, 8);
  }
  function hash(key) {  // FNV-1a over code points: banmian.search_index.fnv
    var h = 0x811c9dc5;
    for (var c of key) { h ^= c.codePointAt(0); h = Math.imul(h, 0x01000193) >>> 0; }
    return h >>> 0;
  }
  function shard(h, n) {
    return loadScript("s/" + String(n).padStart(4, "0") + ".js", "s", n, h.version).then(function (s) {
      if (!s.map) {
        s.map = new Map();
        s.k.forEach(function (k, i) { s.map.set(k, i); });
        s.bytes = atob(s.b);
        s.cache = new Map();
      }
      return s;
    });
  }
  /* A key's postings: Map entry id → positions (pairs) or → null (characters). */
  function postings(h, key) {
    return shard(h, hash(key) & (h.shards - 1)).then(function (s) {
      if (s.cache.has(key)) return s.cache.get(key);
      var i = s.map.get(key);
      var out = new Map();
      if (i !== undefined) {
        var b = s.bytes, at = s.o[i], end = s.o[i + 1], doc = 0;
        var next = function () {
          var v = 0, mul = 1, c;
          do { c = b.charCodeAt(at++); v += (c & 127) * mul; mul *= 128; } while (c & 128);
          return v;
        };
        var pair = Array.from(key).length === 2;
        while (at < end) {
          doc += next();
          if (!pair) { out.set(doc, null); continue; }
          var n = next(), pos = new Int32Array(n), p = 0;
          for (var j = 0; j < n; j++) { p = j ? p + next() : next(); pos[j] = p; }
          out.set(doc, pos);
        }
      }
      s.cache.set(key, out);
      return out;
    });
  }
  function has(sorted, v) {
    var lo = 0, hi = sorted.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (sorted[mid] === v) return true;
      if (sorted[mid] < v) lo = mid + 1; else hi = mid - 1;
    }
    return false;
  }
  /* Entries holding one term: Map id → start positions of the term ([] for one character). */
  function matchTerm(h, term) {
    var cps = Array.from(term);
    if (cps.length === 1) return postings(h, term).then(function (p) {
      var out = new Map();
      p.forEach(function (_, doc) { out.set(doc, []); });
      return out;
    });
    var keys = [];
    for (var i = 0; i + 1 < cps.length; i++) keys.push(cps[i] + cps[i + 1]);
    return Promise.all(keys.map(function (k) { return postings(h, k); })).then(function (lists) {
      var out = new Map();
      var first = lists[0];
      for (var l of lists) if (l.size < first.size) first = l;
      first.forEach(function (_, doc) {
        var all = lists.map(function (l) { return l.get(doc); });
        if (all.some(function (p) { return !p; })) return;
        var starts = [];
        all[0].forEach(function (p) {
          for (var j = 1; j < all.length; j++) if (!has(all[j], p + j)) return;
          starts.push(p);
        });
        if (starts.length) out.set(doc, starts);
      });
      return out;
    });
  }
  /* Every entry holding every term, ranked: [{id, score}] */
  function search(h, ts) {
    return Promise.all(ts.map(function (t) { return matchTerm(h, t); })).then(function (maps) {
      var smallest = maps.reduce(function (a, b) { return b.size < a.size ? b : a; });
      var out = [];
      smallest.forEach(function (_, doc) {
        var score = 0;
        for (var m of maps) {
          var starts = m.get(doc);
          if (!starts) return;
          var title = starts.some(function (p) { return p < h.meta_at; });
          var meta = starts.some(function (p) { return p >= h.meta_at && p < h.body_at; });
          score += (title ? 10000 : 0) + (meta ? 1000 : 0) + Math.min(starts.length, 50);
        }
        out.push({ id: doc, score: score });
      });
      return out;
    });
  }
  function metaOf(h, ids) {
    var blocks = {};
    ids.forEach(function (id) { blocks[Math.floor(id / h.block)] = true; });
    return Promise.all(Object.keys(blocks).map(function (b) {
      return loadScript("m/" + String(b).padStart(4, "0") + ".js", "m", +b, h.version);
    })).then(function () {
      var out = new Map();
      ids.forEach(function (id) {
        var item = got["m" + Math.floor(id / h.block)][id % h.block];
        out.set(id, item);
      });
      return out;
    });
  }
  window.bmSearch = { start: start, terms: terms, search: search, meta: metaOf, fold: fold };

  /* ---------------------------------------------------------------- showing results */
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function show(item, key) { return trad && item.T && key in item.T ? item.T[key] : item[key]; }
  function dateLabel(item) {
    if (!item.d) return TEXT.undated;
    var p = item.d.split("-"), s = +p[0] + "年";
    if (p[1]) s += +p[1] + "月";
    if (p[2]) s += +p[2] + "日";
    return item.di ? TEXT.about + s + "（" + TEXT.inferred + "）" : s;
  }
  function facetValues(item, name) {
    if (name === "year") return [item.d ? item.d.slice(0, 4) : ""];
    if (name === "place") return item.l ? [item.l.join("/")] : [];
    if (name === "column") return item.c ? [item.c] : [];
    if (name === "author") return item.a || [];
    if (name === "status") return item.s ? [item.s] : [];
    return [];
  }
  function label(item, name, value) {
    if (name === "year") return value ? value + "年" : TEXT.undated;
    var simp = name === "place" ? item.l : name === "author" ? item.a : [item[name === "column" ? "c" : "s"]];
    var tr = trad && item.T ? item.T[name === "place" ? "l" : name === "author" ? "a" : name === "column" ? "c" : "s"] : null;
    if (name === "place") return (tr || simp).slice(0, value.split("/").length).join(" › ");
    var i = simp ? simp.indexOf(value) : -1;
    return tr && i >= 0 ? (Array.isArray(tr) ? tr[i] : tr) : value;
  }
  function passes(item, filters) {
    for (var name of FACETS) {
      var want = filters[name];
      if (want === undefined) continue;
      var vals = facetValues(item, name);
      if (name === "place") {
        if (!vals.some(function (v) { return v === want || v.indexOf(want + "/") === 0; })) return false;
      } else if (vals.indexOf(want) < 0) return false;
    }
    return true;
  }

  function app(box) {
    var params = new URLSearchParams(location.search);
    var state = { q: params.get("q") || "", sort: params.get("sort") || "", filters: {} };
    FACETS.forEach(function (f) { if (params.get(f) !== null) state.filters[f] = params.get(f); });
    box.textContent = "";
    var form = el("form", "bm-s-form");
    form.setAttribute("role", "search");
    var input = el("input", "bm-s-input");
    input.type = "search"; input.name = "q"; input.value = state.q; input.placeholder = TEXT.placeholder;
    input.setAttribute("aria-label", TEXT.search); input.autocomplete = "off";
    var sort = el("select", "bm-s-sort");
    sort.setAttribute("aria-label", TEXT.sort);
    [["", TEXT.relevance], ["date", TEXT.newest], ["date-asc", TEXT.oldest]].forEach(function (o) {
      var opt = el("option", null, o[1]); opt.value = o[0]; sort.appendChild(opt);
    });
    sort.value = state.sort;
    form.appendChild(input); form.appendChild(sort);
    var status = el("p", "bm-s-status");
    status.setAttribute("aria-live", "polite");
    var layout = el("div", "bm-s-layout");
    var facets = el("aside", "bm-s-facets");
    var list = el("ol", "bm-s-results");
    var more = el("button", "md-button bm-s-more", TEXT.more);
    more.type = "button"; more.hidden = true;
    var main = el("div", "bm-s-main");
    main.appendChild(list); main.appendChild(more);
    layout.appendChild(main); layout.appendChild(facets);
    box.appendChild(form); box.appendChild(status); box.appendChild(layout);

    var seq = 0, timer = 0, lastRun = null, current = [];
    function writeUrl() {
      var p = new URLSearchParams();
      if (state.q) p.set("q", state.q);
      FACETS.forEach(function (f) { if (state.filters[f] !== undefined) p.set(f, state.filters[f]); });
      if (state.sort) p.set("sort", state.sort);
      var s = p.toString();
      history.replaceState(null, "", location.pathname + (s ? "?" + s : "") + location.hash);
    }
    function render(items, q, shown) {
      list.textContent = "";
      items.slice(0, shown).forEach(function (r) {
        var it = r.item;
        var li = el("li", "bm-s-hit");
        var a = el("a", "bm-s-title", show(it, "t"));
        a.href = siteRoot + it.u + "?h=" + encodeURIComponent(q);
        var h = el("h3"); h.appendChild(a); li.appendChild(h);
        var bits = [dateLabel(it)];
        if (it.p) bits.push(show(it, "p"));
        var place = show(it, "l");
        if (place) bits.push(place.join(" › ") + (it.tn ? " › " + show(it, "tn") : ""));
        var authors = show(it, "a");
        if (authors) bits.push(authors.join("、"));
        if (it.c) bits.push(show(it, "c"));
        if (it.y && TEXT.types[it.y]) bits.push(TEXT.types[it.y]);
        if (it.s) bits.push(show(it, "s"));
        li.appendChild(el("p", "bm-s-meta", bits.join(" · ")));
        list.appendChild(li);
      });
      more.hidden = items.length <= shown;
      more.onclick = function () { render(items, q, shown + PAGE); };
    }
    function renderFacets(all) {
      facets.textContent = "";
      if (!all.length && !Object.keys(state.filters).length) return;
      var active = FACETS.filter(function (f) { return state.filters[f] !== undefined; });
      if (active.length) {
        var clear = el("button", "bm-s-clear", TEXT.clear);
        clear.type = "button";
        clear.onclick = function () { state.filters = {}; run(true); };
        facets.appendChild(clear);
      }
      FACETS.forEach(function (name) {
        var counts = new Map(), labels = new Map();
        var want = state.filters[name];
        all.forEach(function (r) {
          if (!passes(r.item, Object.assign({}, state.filters, { [name]: name === "place" ? want : undefined }))) return;
          facetValues(r.item, name).forEach(function (v) {
            if (name === "place") {  // one level below the chosen place (provinces when none)
              var depth = want ? want.split("/").length + 1 : 1;
              var parts = v.split("/");
              if (parts.length < depth || (want && v.indexOf(want + "/") !== 0 && v !== want)) return;
              v = parts.slice(0, depth).join("/");
            }
            counts.set(v, (counts.get(v) || 0) + 1);
            if (!labels.has(v)) labels.set(v, label(r.item, name, v));
          });
        });
        if (!counts.size && want === undefined) return;
        var sec = el("section", "bm-s-facet");
        sec.setAttribute("data-facet", name);
        sec.appendChild(el("h4", null, TEXT[name]));
        var ul = el("ul");
        if (want !== undefined) {
          var li0 = el("li", "bm-s-on");
          var b0 = el("button", null, "✕ " + (name === "place" ? want.split("/").join(" › ") : name === "year" ? (want ? want + "年" : TEXT.undated) : want));
          b0.type = "button"; b0.title = TEXT.remove;
          b0.onclick = function () {
            var parts = name === "place" ? want.split("/") : [];
            if (parts.length > 1) state.filters.place = parts.slice(0, -1).join("/"); else delete state.filters[name];
            run(true);
          };
          li0.appendChild(b0); ul.appendChild(li0);
        }
        var entries = Array.from(counts.entries()).filter(function (e) { return e[0] !== want; });
        entries.sort(function (a, b) { return b[1] - a[1] || (a[0] < b[0] ? -1 : 1); });
        if (name === "year") entries.sort(function (a, b) { return a[0] < b[0] ? 1 : -1; });
        entries.slice(0, 15).forEach(function (e) {
          var li = el("li");
          var b = el("button", null, labels.get(e[0]) + " ");
          b.type = "button";
          b.setAttribute("data-value", e[0]);
          b.appendChild(el("span", "bm-s-n", String(e[1])));
          b.onclick = function () { state.filters[name] = e[0]; run(true); };
          li.appendChild(b); ul.appendChild(li);
        });
        sec.appendChild(ul);
        facets.appendChild(sec);
      });
    }
    function run(force) {
      state.q = input.value;
      state.sort = sort.value;
      var key = JSON.stringify(state);
      if (!force && key === lastRun) return;
      lastRun = key;
      writeUrl();
      var mine = ++seq;
      if (!state.q.trim()) { list.textContent = ""; facets.textContent = ""; status.textContent = ""; more.hidden = true; return; }
      status.textContent = TEXT.loading;
      box.setAttribute("data-state", "loading");
      start().then(function (h) {
        var ts = terms(h, state.q);
        if (!ts.length) return null;
        return search(h, ts).then(function (hits) {
          if (mine !== seq) return null;
          if (state.sort === "date") hits.sort(function (a, b) { return b.id - a.id; });
          else if (state.sort === "date-asc") hits.sort(function (a, b) { return a.id - b.id; });
          else hits.sort(function (a, b) { return b.score - a.score || b.id - a.id; });
          var filtered = Object.keys(state.filters).length > 0;
          // first what the first screen shows; the rest (facets, filters) after
          var firstIds = filtered ? hits.map(function (r) { return r.id; }) : hits.slice(0, PAGE).map(function (r) { return r.id; });
          return metaOf(h, firstIds).then(function (meta) {
            if (mine !== seq) return;
            var shownHits = hits.filter(function (r) { return meta.has(r.id); }).map(function (r) { return { id: r.id, item: meta.get(r.id) }; });
            if (filtered) shownHits = shownHits.filter(function (r) { return passes(r.item, state.filters); });
            show1(shownHits, filtered ? shownHits.length : hits.length);
            return metaOf(h, hits.map(function (r) { return r.id; })).then(function (all) {
              if (mine !== seq) return;
              var full = hits.map(function (r) { return { id: r.id, item: all.get(r.id) }; });
              if (!filtered && full.length > shownHits.length) render(full, state.q.trim(), PAGE);  // "more" can list them all
              renderFacets(full);
              box.setAttribute("data-state", "done");
            });
          });
        });
      }).then(function (r) {
        if (r === null && mine === seq) { show1([], 0); box.setAttribute("data-state", "done"); }
      }, function (err) {
        if (mine !== seq) return;
        status.textContent = TEXT.failed;
        box.setAttribute("data-state", "failed");
        if (window.console) console.error("banmian search:", err);
      });
      function show1(items, total) {
        current = items;
        status.textContent = total ? TEXT.count.replace("#", total) + (total > PAGE ? TEXT.shown.replace("#", Math.min(PAGE, items.length)) : "")
          : TEXT.none.replace("#", state.q.trim());
        render(items, state.q.trim(), PAGE);
        box.setAttribute("data-count", String(total));
      }
    }
    function soon() { clearTimeout(timer); timer = setTimeout(function () { run(false); }, 60); }
    input.addEventListener("input", soon);
    input.addEventListener("keyup", soon);  // IMEs commit on key release
    input.addEventListener("change", soon);
    sort.addEventListener("change", function () { run(true); });
    form.addEventListener("submit", function (ev) { ev.preventDefault(); run(true); });
    window.addEventListener("pageshow", function () { if (input.value !== state.q) soon(); });
    if (state.q) run(true);
    input.focus();
  }

  /* ---------------------------------------------------------------- the header's box */
  function headerBox() {
    var inner = document.querySelector(".md-header__inner");
    if (!inner || inner.querySelector(".bm-h-form")) return;
    var form = el("form", "bm-h-form");
    form.action = siteRoot + "search.html";
    form.setAttribute("role", "search");
    var input = el("input", "bm-h-input");
    input.type = "search"; input.name = "q"; input.placeholder = TEXT.search; input.setAttribute("aria-label", TEXT.search);
    var q = new URLSearchParams(location.search).get(document.getElementById("bm-search-app") ? "q" : "__none");
    if (q) input.value = q;
    form.appendChild(input);
    var source = inner.querySelector(".md-header__source");
    inner.insertBefore(form, source);
    var appBox = document.getElementById("bm-search-app");
    if (appBox) form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var main = appBox.querySelector(".bm-s-input");
      main.value = input.value;
      main.dispatchEvent(new Event("input"));
    });
    document.addEventListener("keydown", function (ev) {  // "/" or "s" as in Material: to the search box
      var t = ev.target;
      if (ev.ctrlKey || ev.metaKey || ev.altKey || (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)))) return;
      if (ev.key === "/" || ev.key === "s") { ev.preventDefault(); (document.querySelector(".bm-s-input") || input).focus(); }
    });
  }

  /* ---------------------------------------------------------------- ?h= on an article */
  function mark(query) {
    var scope = document.querySelector(".md-content article") || document.querySelector(".md-content");
    if (!scope) return;
    start().then(function (h) {
      var ts = terms(h, query);
      if (!ts.length) return;
      var nodes = [], text = "", where = [];
      var walk = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT, {
        acceptNode: function (n) {
          return n.parentNode.closest("script, style, .bm-cite, .md-source-file, nav") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
        }
      });
      for (var n = walk.nextNode(); n; n = walk.nextNode()) {
        var s = n.nodeValue;
        var f = fold(h.fold, s);
        for (var i = 0; i < s.length; i++) {
          if (/\s/.test(s[i])) continue;
          text += f[i]; where.push([nodes.length, i]);
        }
        nodes.push(n);
      }
      var cut = [];  // per node: [start, end) ranges to mark
      ts.forEach(function (t) {
        for (var at = text.indexOf(t); at >= 0; at = text.indexOf(t, at + t.length)) {
          for (var k = at; k < at + t.length; k++) {
            var w = where[k];
            var r = cut[w[0]] || (cut[w[0]] = []);
            var last = r[r.length - 1];
            if (last && last[1] === w[1]) last[1] = w[1] + 1; else r.push([w[1], w[1] + 1]);
          }
        }
      });
      var first = null;
      cut.forEach(function (ranges, idx) {
        if (!ranges) return;
        var node = nodes[idx];
        ranges.sort(function (a, b) { return b[0] - a[0]; }).forEach(function (r) {
          var tail = node.splitText(r[0]);
          tail.splitText(r[1] - r[0]);
          var m = el("mark", "bm-mark");
          tail.parentNode.replaceChild(m, tail);
          m.appendChild(tail);
          first = m;
        });
      });
      if (first) document.querySelector("mark.bm-mark").scrollIntoView({ block: "center" });
      document.documentElement.setAttribute("data-bm-marked", String(document.querySelectorAll("mark.bm-mark").length));
    }).catch(function (err) { if (window.console) console.warn("banmian search: marks", err); });
  }

  function ready() {
    headerBox();
    var box = document.getElementById("bm-search-app");
    if (box) app(box);
    var h = new URLSearchParams(location.search).get("h");
    if (h && !box) mark(h);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready); else ready();
})();
