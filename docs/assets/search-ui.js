/* Header search, the part loaded on first use (by assets/search.js, when the box is focused or
 * typed into): Pagefind's plain JS API and our own small renderer.
 *
 * Pagefind comes initialised from search.js (window.rcmSearchBoot.pagefind), which loads only the
 * index chunks a query needs, for the language of the page (<html lang>).
 *
 * Only the top results are rendered (TOP), each with its title, type and year, and two lines of
 * its summary, plus a link to the full results page (docs/buscar.md), which renders every result
 * PAGE at a time. Catalog pages (entries and decisions, filter kind:tool) come first, in Pagefind's
 * order, then the site's other pages: an officer looks for a tool, not for a page about the site.
 *
 * Keyboard: ArrowDown/ArrowUp move through the results, Enter opens the highlighted (or the top)
 * result, Escape closes the panel and leaves the focus in the box. The box is an ARIA combobox
 * with a listbox; the number of results is announced through a live region. (search.js keeps the
 * keys typed in the box away from Material's keyboard shortcuts.)
 * If the bundle is missing (e.g. `mkdocs serve`, which does not run Pagefind), the box says so.
 */
(function () {
  "use strict";

  var TOP = 10; // results in the header panel
  // The text of the first FIRST results (what a 390 x 844 phone shows without scrolling) is fetched
  // at once; the rest once typing has paused for PAUSE_MS, so each letter typed does not fetch the
  // text of results nobody sees: on a slow link, those bytes would delay the results of the word.
  var FIRST = 5;
  var PAUSE_MS = 400;
  var PAGE = 20; // results per step on the full results page
  // Searching as one types, without a debounce: a search starts at the keystroke, unless one is
  // being computed. Pagefind answers one search at a time, and a broad word at N = 5,000 takes it
  // 100-300 ms on a phone, so the text typed meanwhile waits, and only the latest of it is searched
  // next (never a queue of every letter). Each search also fetches the text of its top results,
  // which are mostly those of the whole word: on a slow link they are there when typing stops.

  var box = document.querySelector("[data-rcm-search]");
  if (!box) return;
  var input = box.querySelector(".rcm-search__input");
  var form = box.querySelector("form");
  var panel = box.querySelector(".rcm-search__panel");
  var status = box.querySelector(".rcm-search__status");
  var list = box.querySelector("[data-rcm-results]");
  var allLink = box.querySelector("[data-rcm-all-results]");
  // An absolute path, so it resolves the same from every page depth and from /en/.
  var resultsPage = new URL(box.getAttribute("data-rcm-results-page"), location.href).pathname;

  var loading = null; // the promise of the initialised Pagefind module
  var ready = false; // Pagefind has answered a search on this page
  var failed = false;
  var sequence = 0; // the latest search; older ones drop their results
  var searching = false; // a search is being computed (until its ranking is known)
  var waiting = null; // the text typed meanwhile, searched next
  var active = -1; // index of the highlighted result, -1 for none
  var shown = []; // URLs of the rendered results, in order
  var shownQuery = null; // the query the rendered results belong to

  function label(name, n) {
    return (box.getAttribute("data-rcm-" + name) || "").replace("{n}", String(n));
  }

  function countLabel(n) {
    if (n === 0) return label("none", n);
    return n === 1 ? label("one", n) : label("many", n);
  }

  // --- Loading Pagefind on first use ----------------------------------------------------------
  function load() {
    if (!loading) {
      // Started by search.js (options, init, filters) as soon as pagefind.js arrived.
      loading = window.rcmSearchBoot.pagefind;
      loading.catch(fail);
    }
    return loading;
  }

  function fail() {
    if (failed) return;
    failed = true;
    close();
    input.disabled = true;
    input.value = "";
    input.placeholder = box.getAttribute("data-rcm-unavailable");
    input.setAttribute("aria-label", input.placeholder);
    var page = document.querySelector("[data-rcm-results-page-body]");
    if (page) page.textContent = input.placeholder;
  }

  // Accent-free, lower-case words joined by single spaces, padded: " guatemala repatriacion ".
  function words(text) {
    return " " + text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, " ").trim() + " ";
  }

  // The member countries a query names ("honduras", "guatemala repatriacion", "Estados Unidos"): the
  // values of the index's "country" filter (each national tool's countries, named in both languages)
  // that appear in it as whole words. The names come from the index, so nothing here repeats the
  // vocabulary.
  var countryNames = null;
  function countriesNamed(pagefind, query) {
    if (!countryNames) {
      countryNames = Promise.resolve(pagefind.filters()).then(function (filters) {
        return Object.keys((filters && filters.country) || {});
      });
    }
    return countryNames.then(function (names) {
      var typed = words(query);
      return names.filter(function (name) { return typed.indexOf(words(name)) >= 0; });
    });
  }

  // Catalog pages first (kind:tool), then the other pages, each group in Pagefind's order. A query
  // that names a country leads with that country's own tools: otherwise a regional study that says
  // "Mexico" in its title and issuers outranks Mexico's national tools.
  // Resolves to the first `n` results of that order and the number of pages matching in all. Each
  // search returns every matching page (thousands for a broad word at N = 5,000: 100-300 ms on a
  // phone), so the next group is searched only while the ones before give fewer than `n`: for the
  // top ten of a broad word, one search (tools), not two. Every search counts the pages matching
  // the words with filters aside (Pagefind's unfilteredResultCount). The tools search starts at
  // once, beside the look-up of country names: on a cold page that look-up waits for the filter
  // index, and the search need not wait with it.
  function rank(pagefind, query, n) {
    var tools = pagefind.search(query, { filters: { kind: "tool" } });
    return countriesNamed(pagefind, query).then(function (countries) {
      return Promise.all(countries.length
        ? [pagefind.search(query, { filters: { kind: "tool", country: { any: countries } } }), tools] : [tools]);
    }).then(function (groups) {
      var seen = Object.create(null);
      var out = [];
      var total = groups[0].unfilteredResultCount;
      function add(group) {
        group.results.forEach(function (result) {
          if (!seen[result.id]) {
            seen[result.id] = true;
            out.push(result);
          }
        });
      }
      groups.forEach(add);
      if (out.length >= n || out.length >= total) return { results: out.slice(0, n), total: total };
      return pagefind.search(query).then(function (all) {
        add(all);
        return { results: out.slice(0, n), total: all.results.length };
      });
    });
  }

  // The same ranking, for the relevance tests and the benchmark: the URLs of the first `n` results.
  window.rcmSearchBoot.ready({
    rank: function (query, n) {
      return load().then(function (pagefind) { return rank(pagefind, query, n || TOP); }).then(function (ranked) {
        return Promise.all(ranked.results.map(function (r) { return r.data(); }));
      }).then(function (data) { return data.map(function (d) { return d.url; }); });
    },
  });

  // --- Rendering ------------------------------------------------------------------------------
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  // The summary as text, with the words that start like a query word marked.
  function appendMarked(parent, text, query) {
    var words = fold(query).split(/[^a-z0-9]+/).filter(function (w) { return w.length >= 3; });
    if (!words.length) {
      parent.textContent = text;
      return;
    }
    text.split(/(\s+)/).forEach(function (piece) {
      var bare = fold(piece).replace(/^[^a-z0-9]+/, "");
      var hit = bare && words.some(function (w) { return bare.indexOf(w) === 0; });
      if (hit) {
        var mark = document.createElement("mark");
        mark.textContent = piece;
        parent.appendChild(mark);
      } else {
        parent.appendChild(document.createTextNode(piece));
      }
    });
  }

  // Pagefind's own excerpt (pages without a summary): its text and <mark>s only, never markup.
  function appendExcerpt(parent, html) {
    var template = document.createElement("template");
    template.innerHTML = html; // inert: template content runs no script and loads nothing
    template.content.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        parent.appendChild(mark);
      } else {
        parent.appendChild(document.createTextNode(node.textContent));
      }
    });
  }

  function resultElement(data, query, tag, id) {
    var el = document.createElement(tag);
    el.className = "rcm-result";
    el.setAttribute("data-rcm-result", "");
    var link = el;
    if (tag === "a") {
      el.href = data.url;
    } else {
      link = document.createElement("a");
      link.href = data.url;
      el.appendChild(link);
    }
    if (id) {
      el.id = id;
      el.setAttribute("role", "option");
      el.setAttribute("aria-selected", "false");
      el.tabIndex = -1;
    }
    var title = document.createElement("span");
    title.className = "rcm-result__title";
    title.textContent = (data.meta && data.meta.title) || data.url;
    link.appendChild(title);
    if (data.meta && data.meta.facts) {
      var facts = document.createElement("span");
      facts.className = "rcm-result__facts";
      facts.textContent = data.meta.facts;
      link.appendChild(facts);
    }
    var excerpt = document.createElement("span");
    excerpt.className = "rcm-result__excerpt";
    if (data.meta && data.meta.summary) appendMarked(excerpt, data.meta.summary, query);
    else appendExcerpt(excerpt, data.excerpt || "");
    link.appendChild(excerpt);
    return el;
  }

  function open() {
    panel.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function close() {
    panel.hidden = true;
    input.setAttribute("aria-expanded", "false");
    highlight(-1);
  }

  function highlight(index) {
    var options = list.querySelectorAll("[data-rcm-result]");
    if (options[active]) options[active].setAttribute("aria-selected", "false");
    active = index;
    if (options[active]) {
      options[active].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function render(query, data, total) {
    ready = true;
    var keep = query === shownQuery ? active : -1; // results still arriving keep the highlight
    highlight(-1);
    list.textContent = "";
    data.forEach(function (d, i) {
      list.appendChild(resultElement(d, query, "a", "rcm-search-result-" + i));
    });
    shown = data.map(function (d) { return d.url; });
    shownQuery = query;
    list.setAttribute("data-rcm-query", query); // which query these results answer (the benchmark reads it)
    status.textContent = countLabel(total);
    allLink.hidden = total <= data.length;
    allLink.href = resultsPage + "?q=" + encodeURIComponent(query);
    allLink.textContent = label("all", total);
    open();
    if (keep >= 0) highlight(Math.min(keep, data.length - 1));
  }

  // Until results arrive, the panel says that search is loading (the status is announced).
  function showLoading() {
    if (shownQuery !== null && list.childNodes.length) return; // older results stay until replaced
    status.textContent = label("loading", 0);
    allLink.hidden = true;
    open();
  }

  // --- Searching as one types -----------------------------------------------------------------
  function request(query) {
    if (searching && query.trim()) {
      waiting = query;
      return;
    }
    searching = true;
    waiting = null;
    search(query).then(function () {
      searching = false;
      if (waiting !== null && waiting === input.value) request(waiting);
      else waiting = null;
    });
  }

  // Search `query` and render its results; resolves once the ranking is known (the results' text
  // still on its way).
  function search(query) {
    var mine = ++sequence;
    if (!query.trim()) {
      shown = [];
      shownQuery = null;
      list.textContent = "";
      list.removeAttribute("data-rcm-query");
      status.textContent = "";
      close();
      return Promise.resolve();
    }
    if (!ready) showLoading();
    var engine = null;
    return load().then(function (pagefind) {
      if (mine !== sequence) return; // typed on while Pagefind loaded: only the latest text is searched
      engine = pagefind;
      // The index chunks of the words first: once begun, a search cannot be stopped, so text typed
      // while they arrive is searched instead of this one, never after it.
      return pagefind.preload(query, { filters: { kind: "tool" } });
    }).then(function () {
      if (mine !== sequence || !engine) return;
      return rank(engine, query, TOP).then(function (ranked) {
        if (mine !== sequence) return;
        // Each result's text is one more request: render the results in order as they arrive, so
        // the first ones show while the rest are still on their way.
        var top = ranked.results;
        var data = [];
        var rendered = 0;
        if (!top.length) render(query, [], ranked.total); // "no results" replaces "loading"
        function fetchText(from, to) {
          return Promise.all(top.slice(from, to).map(function (r, j) {
            return r.data().then(function (d) {
              data[from + j] = d;
              var n = rendered;
              while (n < top.length && data[n]) n++;
              if (n > rendered && mine === sequence) {
                rendered = n;
                render(query, data.slice(0, n), ranked.total);
              }
            });
          }));
        }
        fetchText(0, FIRST).catch(function () {});
        if (top.length > FIRST) {
          setTimeout(function () {
            if (mine === sequence) fetchText(FIRST, top.length).catch(function () {});
          }, PAUSE_MS);
        }
      });
    }).catch(function () { /* fail() has said so in the box */ });
  }

  // This script loads because the box is being used: get Pagefind ready (or say it is missing),
  // and search what was typed while this script loaded.
  load().catch(function () {});
  if (input.value && document.activeElement === input && !document.querySelector("[data-rcm-results-page-body]")) {
    request(input.value);
  }

  input.addEventListener("focus", function () {
    load().catch(function () {});
    if (shown.length && input.value === shownQuery) open();
  });
  // (search.js preloads the index chunks of what is typed while a search is being computed.)
  input.addEventListener("input", function () {
    sequence++; // results of what was typed before this key are no longer wanted
    request(input.value);
  });

  function go(url) {
    location.href = url;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var query = input.value.trim();
    if (!query) return;
    if (shownQuery === input.value && shown.length) go(shown[active >= 0 ? active : 0]);
    else go(resultsPage + "?q=" + encodeURIComponent(query));
  });

  box.addEventListener("keydown", function (event) {
    var options = list.querySelectorAll("[data-rcm-result]");
    switch (event.key) {
      case "ArrowDown":
        if (!options.length) return;
        event.preventDefault();
        if (panel.hidden) open();
        highlight(Math.min(active + 1, options.length - 1));
        break;
      case "ArrowUp":
        if (!options.length) return;
        event.preventDefault();
        highlight(Math.max(active - 1, -1));
        break;
      case "Escape":
        if (!panel.hidden) {
          event.preventDefault();
          close();
        }
        input.focus();
        break;
      case "Enter":
        if (event.target !== input) return; // a focused link opens itself
        event.preventDefault();
        form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true }));
        break;
    }
  }, true);

  // A click or tap outside the box closes the panel.
  document.addEventListener("pointerdown", function (event) {
    if (!box.contains(event.target)) close();
  });

  // --- The full results page (docs/buscar.md) ---------------------------------------------------
  var pageBody = document.querySelector("[data-rcm-results-page-body]");
  if (pageBody) showAllResults(pageBody, new URLSearchParams(location.search).get("q") || "");

  function showAllResults(container, query) {
    input.value = query;
    if (!query.trim()) return;
    load().then(function (pagefind) { return rank(pagefind, query, Infinity); }).then(function (ranked) {
      var results = ranked.results;
      container.textContent = "";
      var heading = document.createElement("p");
      heading.className = "rcm-results-page__status";
      heading.setAttribute("role", "status");
      var ol = document.createElement("ol");
      ol.className = "rcm-results-page__list";
      ol.setAttribute("data-rcm-results", "");
      var more = document.createElement("button");
      more.type = "button";
      more.className = "md-button";
      more.textContent = label("more", PAGE);
      container.append(heading, ol, more);
      var next = 0;
      function step() {
        var slice = results.slice(next, next + PAGE);
        next += slice.length;
        more.hidden = next >= results.length;
        return Promise.all(slice.map(function (r) { return r.data(); })).then(function (data) {
          var first = null;
          data.forEach(function (d) {
            var li = resultElement(d, query, "li", null);
            ol.appendChild(li);
            first = first || li.querySelector("a");
          });
          return first;
        });
      }
      more.addEventListener("click", function () {
        step().then(function (first) { if (first) first.focus(); });
      });
      // The count is announced once the first results are on the page.
      return step().then(function () { heading.textContent = countLabel(results.length); });
    }).catch(function () {});
  }
})();
