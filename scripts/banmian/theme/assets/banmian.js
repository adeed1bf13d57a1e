/* banmian: fill citations with the reader's date and URL, copy buttons, source line highlight.
   Plain script, no network, works from file:// as well. */
(function () {
  "use strict";
  function today() {
    var d = new Date();
    var p = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate());
  }
  // Citations: the access date (引用日期) is the reader's day; copy buttons; downloads made from
  // the shown text in the browser (a blob), so they work from file:// as on a server and carry
  // the same date. The URL in them is the canonical one, written at build time.
  function citationText(el) {
    return el.closest(".bm-cite-item").querySelector("pre").innerText.trim() + "\n";
  }
  function fillCitations() {
    document.querySelectorAll(".bm-accessed").forEach(function (el) { el.textContent = today(); });
    document.querySelectorAll(".bm-copy").forEach(function (btn) {
      btn.addEventListener("click", function () {
        var text = citationText(btn).trim();
        var done = function () {
          var old = btn.textContent; btn.textContent = btn.getAttribute("data-copied");
          setTimeout(function () { btn.textContent = old; }, 1500);
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(done);
        } else {  // file:// and plain http: the old way still works
          var ta = document.createElement("textarea");
          ta.value = text; document.body.appendChild(ta); ta.select();
          try { document.execCommand("copy"); done(); } finally { ta.remove(); }
        }
      });
    });
    document.querySelectorAll(".bm-download").forEach(function (link) {
      var refresh = function () {
        var old = link.getAttribute("href");
        if (old && old.indexOf("blob:") === 0) URL.revokeObjectURL(old);
        var type = link.getAttribute("data-type") + ";charset=utf-8";
        link.setAttribute("href", URL.createObjectURL(new Blob([citationText(link)], { type: type })));
      };
      refresh();
      link.addEventListener("mousedown", refresh);
      link.addEventListener("focus", refresh);
    });
  }
  // #L12 or #L12-L40: highlight the lines and scroll to the first.
  function highlight() {
    var src = document.querySelector(".bm-src");
    if (!src) return;
    src.querySelectorAll(".bm-hl").forEach(function (el) { el.classList.remove("bm-hl"); });
    var m = /^#L(\d+)(?:-L?(\d+))?$/.exec(location.hash);
    if (!m) return;
    var a = +m[1], b = +(m[2] || m[1]), first = null;
    if (b < a) { var t = a; a = b; b = t; }
    // only the lines this page shows (#L1-L2000000000 must not loop two billion times)
    var spans = src.querySelectorAll("span[id^=L]");
    if (!spans.length) return;
    a = Math.max(a, +spans[0].id.slice(1));
    b = Math.min(b, +spans[spans.length - 1].id.slice(1));
    for (var i = a; i <= b; i++) {
      var el = document.getElementById("L" + i);
      if (el) { el.classList.add("bm-hl"); first = first || el; }
    }
    if (first) first.scrollIntoView({ block: "center" });
  }
  var anchorLine = null;
  function lineClicks() {
    var src = document.querySelector(".bm-src");
    if (!src) return;
    src.addEventListener("click", function (ev) {
      var span = ev.target.closest("span[id^=L]");
      if (!span || ev.offsetX > span.offsetLeft + 60 && !ev.shiftKey) return;
      var n = +span.id.slice(1);
      if (ev.shiftKey && anchorLine) {
        history.replaceState(null, "", "#L" + Math.min(anchorLine, n) + "-L" + Math.max(anchorLine, n));
      } else {
        anchorLine = n; history.replaceState(null, "", "#L" + n);
      }
      highlight();
      outlineLines();
    });
  }
  // The script toggle's href is the same page in the other script, made at build time; the
  // reader's place on the page (#L33-L47, #au-…) and query (?h=… from a search) are added just
  // before it is followed (clicked, middle-clicked, focused, touched), on a server and from
  // file:// alike.
  function keepPlace() {
    var update = function (ev) {
      var link = ev.target && ev.target.closest && ev.target.closest("a[data-banmian-toggle]");
      if (!link) return;
      var base = link.getAttribute("data-bm-base");
      if (base === null) {
        base = link.getAttribute("href").split("#")[0].split("?")[0];
        link.setAttribute("data-bm-base", base);
      }
      link.setAttribute("href", base + location.search + location.hash);
    };
    ["mousedown", "touchstart", "focusin", "click"].forEach(function (type) {
      document.addEventListener(type, update, { capture: true, passive: true });
    });
  }
  // Facsimile: the edition's own zoom (the page image and its zones scale together, the view
  // scrolls); on a raw-source view the highlighted lines are outlined on the image.
  function facsimile() {
    document.querySelectorAll(".bm-facs").forEach(function (box) {
      var page = box.querySelector(".bm-facs-page"), view = box.querySelector(".bm-facs-view"), scale = 1;
      box.querySelectorAll("[data-zoom]").forEach(function (btn) {
        btn.addEventListener("click", function () {
          var how = btn.getAttribute("data-zoom");
          var cx = (view.scrollLeft + view.clientWidth / 2) / page.offsetWidth, cy = (view.scrollTop + view.clientHeight / 2) / page.offsetHeight;
          scale = how === "in" ? Math.min(scale * 1.5, 8) : how === "out" ? Math.max(scale / 1.5, 1) : 1;
          page.style.width = (scale * 100) + "%";
          view.scrollLeft = cx * page.offsetWidth - view.clientWidth / 2;
          view.scrollTop = cy * page.offsetHeight - view.clientHeight / 2;
        });
      });
    });
  }
  function outlineLines() {
    var box = document.querySelector(".bm-facs--source");
    if (!box) return;
    var first = null;
    box.querySelectorAll(".bm-line").forEach(function (el) {
      var on = !!document.getElementById("L" + el.getAttribute("data-line")) &&
        document.getElementById("L" + el.getAttribute("data-line")).classList.contains("bm-hl");
      el.classList.toggle("bm-hl", on);
      if (on && !first) first = el;
    });
    if (first) {
      var view = box.querySelector(".bm-facs-view");
      view.scrollTop = first.offsetTop - view.clientHeight / 3;
    }
  }
  function start() { fillCitations(); highlight(); lineClicks(); facsimile(); outlineLines(); }
  window.addEventListener("hashchange", outlineLines);
  keepPlace();
  window.addEventListener("hashchange", highlight);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
/* The download page: the offline zip sits beside the deployed site only. From file:// the reader
   already has the offline copy; where the zip is missing (a local build) say so, not a 404. */
(function () {
  "use strict";
  function checkDownload() {
    var link = document.querySelector(".bm-download a");
    if (!link) return;
    var show = function (cls) {
      document.querySelector(".bm-download").hidden = true;
      var el = document.querySelector(cls); if (el) el.hidden = false;
    };
    if (location.protocol === "file:") { show(".bm-download-offline"); return; }
    if (!window.fetch) return;
    fetch(link.href, { method: "HEAD" }).then(function (r) { if (!r.ok) show(".bm-download-missing"); })
      .catch(function () { show(".bm-download-missing"); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", checkDownload); else checkDownload();
})();
