// Search for a site opened from a folder (a USB stick, a download), where a
// browser refuses the requests Pagefind makes. The search page loads this
// file and its language's folder-index.js (titles, summaries, dates and
// filter values of every page search indexes) only when Pagefind is not
// available, and this file searches them in the page.
//
// Matching ignores case, accents and Arabic short vowels, reads the forms
// of alef with hamza (أ إ آ ٱ) as ا, ة as ه, ى as ي, ؤ as و and ئ as ي, and
// Arabic-Indic digits as 0-9, so a query finds a word however it is typed.
// Every word of the query must be found; a word found in a title counts
// most, then in key facts, then in the summary. Text is put into the page
// with textContent only: what the index holds is never read as HTML.
(function () {
  "use strict";

  var box = document.getElementById("folder-search");
  if (!box) return;

  /** Text reduced to what matching compares. */
  function fold(text) {
    return text
      .normalize("NFKD")
      .toLowerCase()
      .replace(/[\u0300-\u036f\u064b-\u065f\u0670\u0640]/g, "")
      .replace(/\u0671/g, "\u0627")
      .replace(/\u0649/g, "\u064a")
      .replace(/\u0629/g, "\u0647")
      .replace(/[\u0660-\u0669]/g, function (d) { return String(d.charCodeAt(0) - 0x0660); })
      .replace(/[\u06f0-\u06f9]/g, function (d) { return String(d.charCodeAt(0) - 0x06f0); });
  }

  // Arabic words joined to the word they precede: the article and the
  // conjunctions and prepositions written as one word with it.
  var PROCLITICS = ["\u0648\u0627\u0644", "\u0628\u0627\u0644", "\u0643\u0627\u0644", "\u0641\u0627\u0644", "\u0644\u0644", "\u0627\u0644", "\u0648", "\u0628", "\u0644", "\u0641", "\u0643"];
  var ARABIC = /[\u0600-\u06ff]/;

  /** The forms a word is matched under: as written, and its stem. */
  function forms(word) {
    var out = [word];
    if (ARABIC.test(word)) {
      for (var i = 0; i < PROCLITICS.length; i++) {
        var p = PROCLITICS[i];
        if (word.length - p.length >= 2 && word.indexOf(p) === 0) {
          out.push(word.slice(p.length));
          break;
        }
      }
    } else if (/^[a-z]{4,}$/.test(word)) {
      if (/ies$/.test(word)) out.push(word.slice(0, -3) + "y");
      else if (/[^s]s$/.test(word)) out.push(word.slice(0, -1));
    }
    return out;
  }

  function words(text) {
    return fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  /** Each word of `text`, as the forms it is matched under. */
  function formsOf(text) {
    return words(text).map(forms);
  }

  var WEIGHTS = { title: 10, facts: 4, summary: 2 };

  function matches(queryForms, wordForms, prefix) {
    for (var i = 0; i < queryForms.length; i++) {
      for (var j = 0; j < wordForms.length; j++) {
        if (wordForms[j] === queryForms[i]) return 1;
        if (prefix && wordForms[j].indexOf(queryForms[i]) === 0) return 0.6;
      }
    }
    return 0;
  }

  /** How well one query word is found among a field's words: 1 for a
   * whole word, 0.6 for the start of one. */
  function found(queryForms, field, prefix) {
    var best = 0;
    for (var j = 0; j < field.length && best < 1; j++) {
      best = Math.max(best, matches(queryForms, field[j], prefix));
    }
    return best;
  }

  /** How many words of a field are the query word. */
  function count(queryForms, field) {
    var n = 0;
    for (var j = 0; j < field.length; j++) {
      if (matches(queryForms, field[j], false) === 1) n++;
    }
    return n;
  }

  function score(page, query) {
    var total = 0;
    for (var i = 0; i < query.length; i++) {
      // The word being typed may be unfinished; the others need 3 letters
      // to match the start of a word.
      var prefix = i === query.length - 1 || query[i].word.length >= 3;
      var best = 0;
      for (var field in WEIGHTS) {
        best = Math.max(best, WEIGHTS[field] * found(query[i].forms, page.terms[field], prefix));
      }
      if (best === 0) return 0;
      total += best;
    }
    if (page.folded.indexOf(query.phrase) !== -1) total += 5;
    // A word the title and summary repeat counts a little more.
    for (var k = 0; k < query.length; k++) {
      var seen = count(query[k].forms, page.terms.title) + count(query[k].forms, page.terms.summary);
      total += 0.5 * Math.min(Math.max(seen - 1, 0), 4);
    }
    return total;
  }

  function start(index) {
    var root = box.getAttribute("data-root");
    var input = box.querySelector("input[type=search]");
    var status = box.querySelector(".folder-count");
    var list = box.querySelector(".folder-results");
    var filterBox = box.querySelector(".folder-filters-list");
    var numbers = new Intl.NumberFormat(index.lang, { numberingSystem: box.getAttribute("data-digits") || "latn" });
    var pages = index.pages.map(function (p, i) {
      return {
        order: i,
        record: p,
        folded: fold(p.t),
        terms: {
          title: formsOf(p.t),
          facts: formsOf(p.f.map(function (v) { return v.join(" "); }).join(" ") + " " + p.x.join(" ")),
          summary: formsOf(p.s),
        },
      };
    });

    // One list of choices per filter, its values in the order of the pages.
    var selects = index.filters.map(function (name, i) {
      var values = [];
      index.pages.forEach(function (p) {
        p.f[i].forEach(function (v) { if (values.indexOf(v) === -1) values.push(v); });
      });
      if (values.length < 2) return null;
      values.sort(function (a, b) { return a.localeCompare(b, index.lang, { numeric: true }); });
      var label = document.createElement("label");
      var caption = document.createElement("span");
      caption.textContent = name;
      var select = document.createElement("select");
      var all = document.createElement("option");
      all.value = "";
      all.textContent = box.getAttribute("data-all");
      select.appendChild(all);
      values.forEach(function (v) {
        var option = document.createElement("option");
        option.value = v;
        option.textContent = v;
        select.appendChild(option);
      });
      select.addEventListener("change", run);
      label.appendChild(caption);
      label.appendChild(select);
      filterBox.appendChild(label);
      return { index: i, select: select };
    }).filter(Boolean);

    function run() {
      var query = words(input.value).map(function (w) { return { word: w, forms: forms(w) }; });
      query.phrase = words(input.value).join(" ");
      var chosen = selects.filter(function (s) { return s.select.value !== ""; });
      list.textContent = "";
      if (query.length === 0 && chosen.length === 0) {
        status.textContent = "";
        return;
      }
      var hits = [];
      pages.forEach(function (page) {
        for (var i = 0; i < chosen.length; i++) {
          if (page.record.f[chosen[i].index].indexOf(chosen[i].select.value) === -1) return;
        }
        var s = query.length === 0 ? 1 : score(page, query);
        if (s > 0) hits.push({ page: page, score: s });
      });
      hits.sort(function (a, b) {
        if (query.length === 0) return a.page.order - b.page.order;
        return b.score - a.score || a.page.record.r - b.page.record.r || a.page.record.t.length - b.page.record.t.length || a.page.order - b.page.order;
      });
      status.textContent = hits.length === 0
        ? box.getAttribute("data-none")
        : box.getAttribute("data-count").replace("{n}", numbers.format(hits.length));
      hits.slice(0, 50).forEach(function (hit) {
        var p = hit.page.record;
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = root + p.u;
        link.textContent = p.t;
        var heading = document.createElement("p");
        heading.className = "folder-result-title";
        heading.appendChild(link);
        var meta = document.createElement("p");
        meta.className = "folder-result-meta";
        meta.textContent = p.d ? p.c + " \u2014 " + p.d : p.c;
        var excerpt = document.createElement("p");
        excerpt.className = "folder-result-excerpt";
        excerpt.textContent = p.s;
        item.appendChild(heading);
        item.appendChild(meta);
        item.appendChild(excerpt);
        list.appendChild(item);
      });
    }

    input.addEventListener("input", run);
    box.querySelector("form").addEventListener("submit", function (e) {
      e.preventDefault();
      run();
    });
    var asked = new URLSearchParams(location.search).get("q");
    if (asked) input.value = asked;
    box.hidden = false;
    run();
  }

  var script = document.createElement("script");
  script.src = box.getAttribute("data-index");
  script.onload = function () {
    if (window.dossierFolderIndex) start(window.dossierFolderIndex);
  };
  script.onerror = function () {
    var unavailable = document.getElementById("search-unavailable");
    if (unavailable) unavailable.hidden = false;
  };
  document.head.appendChild(script);
})();
