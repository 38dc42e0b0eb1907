/* Header search box: the few lines every page loads (overrides/partials/rcm-search.html).
 *
 * Nothing else is downloaded until an officer focuses or types into the box (or opens the full
 * results page): then this fetches Pagefind's pagefind.js and our renderer, search-ui.js with its
 * stylesheet, side by side, and starts Pagefind (options, init, filters) as soon as pagefind.js is
 * there, without waiting for the renderer: on a slow link every request that waits for another
 * costs a round trip (about 0.6 s on Fast 3G). Pagefind runs on the page's own thread (noWorker):
 * its web worker would be one more script to fetch before the index, and our index is small.
 * Pagefind's own start is a chain of requests, each waiting for the one before: pagefind.js, then
 * pagefind-entry.json, then the language's metadata (pf_meta, named in the entry), then the index
 * and filter chunks, then each result's fragment. On Fast 3G each link costs about 0.6 s, so the
 * chain is cut short where the names are known: the WebAssembly is asked for beside pagefind.js,
 * and this script reads pagefind-entry.json itself, beside pagefind.js, asks for the metadata it
 * names at once, and hands the same response to Pagefind when it asks for the entry (Pagefind's own
 * fetches then find everything in flight or arrived: nothing is fetched twice). The renderer waits
 * until Pagefind has really started (its init() returns before that), so that only the latest
 * text is searched, not every letter typed while Pagefind loaded.
 * What is typed meanwhile is preloaded, the latest text only (Pagefind fetches the index chunk of
 * each word: the chunks of letters typed before would only take bandwidth from it), and the
 * results panel says "Loading search…" (announced) until the renderer replaces it by results.
 * Until the renderer is there, Enter submits the form to the full results page. Keys typed in the
 * box never reach Material's keyboard shortcuts.
 */
(function () {
  "use strict";

  var box = document.querySelector("[data-rcm-search]");
  if (!box) return;
  var input = box.querySelector(".rcm-search__input");
  var assets = new URL(box.getAttribute("data-rcm-assets"), location.href).href;
  var bundle = new URL(box.getAttribute("data-rcm-search"), location.href).pathname;
  // The bundle sits at the site root (also the root of result URLs), e.g. /pagefind/ or /repo/pagefind/.
  var root = bundle.replace(/pagefind\/$/, "");
  var panel = box.querySelector(".rcm-search__panel");
  var status = box.querySelector(".rcm-search__status");
  var uiLoaded = false;
  var resolveUi;
  var ui = new Promise(function (resolve) { resolveUi = resolve; });
  var boot = (window.rcmSearchBoot = { pagefind: null, ready: function (api) { uiLoaded = true; resolveUi(api); } });
  // For the relevance tests and the benchmark: the ranking the box uses (see search-ui.js).
  window.rcmSearch = {
    rank: function (query, n) {
      start();
      return ui.then(function (api) { return api.rank(query, n); });
    },
  };
  var started = false;

  box.hidden = false;

  function start() {
    if (started) return;
    started = true;
    // The initialised Pagefind module, for search-ui.js.
    var entry = readEntryEarly();
    boot.pagefind = import(bundle + "pagefind.js").then(function (pagefind) {
      return Promise.resolve(pagefind.options({ baseUrl: root, noWorker: true }))
        .then(function () { return pagefind.init(); })
        // init() only starts Pagefind; a search waits until its index is there, so this one
        // (of nothing) resolves once Pagefind can search.
        .then(function () { return pagefind.search(""); })
        .then(function () {
          // The first search needs the filter index (kind:tool): fetch it now, while the officer types.
          pagefind.filters();
          return pagefind;
        });
    });
    boot.pagefind.then(entry.done, entry.done);
    boot.pagefind.catch(function () {}); // search-ui.js says so in the box
    // Pagefind asks for its WebAssembly (named after the page's language) only once pagefind.js and
    // pagefind-entry.json have arrived, two round trips in: ask for it now, beside them.
    var lang = document.documentElement.lang;
    if (/^[a-z]{2}$/.test(lang)) preload(bundle + "wasm." + lang + ".pagefind");
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = assets + "search-ui.css";
    document.head.appendChild(css);
    var js = document.createElement("script");
    js.src = assets + "search-ui.js";
    document.head.appendChild(js);
  }

  // Pagefind reads pagefind-entry.json only once pagefind.js has arrived (with a cache-busting
  // ?ts= query), and the metadata it names only after that. Read the entry now, beside pagefind.js,
  // ask for the metadata at once, and answer Pagefind's own request for the entry with this
  // response: the metadata arrives two round trips in, not three. "no-cache" revalidates, so the entry is as fresh as
  // Pagefind's cache-busting makes it (a page open across a deploy must not name an old build).
  // Only that one request is answered so, once; every other fetch goes to the network untouched.
  function readEntryEarly() {
    var entryPath = new URL(bundle + "pagefind-entry.json", location.href).pathname;
    var response = fetch(bundle + "pagefind-entry.json", { cache: "no-cache" });
    var lang = (document.documentElement.lang || "unknown").toLowerCase();
    response.then(function (r) { return r.ok ? r.clone().json() : null; }).then(function (entry) {
      var index = entry && entry.languages && languageIndex(entry.languages, lang);
      if (index && /^[\w-]+$/.test(index.hash)) preload(bundle + "pagefind." + index.hash + ".pf_meta");
    }).catch(function () {}); // Pagefind reads the entry itself, and says so if it is missing
    var nativeFetch = window.fetch;
    function handOver(resource, options) {
      var url = typeof resource === "string" ? resource : resource && resource.url;
      var target = typeof url === "string" ? new URL(url, location.href) : null;
      if (!target || target.pathname !== entryPath || target.search.indexOf("?ts=") !== 0) {
        return nativeFetch.apply(this, arguments);
      }
      done();
      return response.then(function (r) { return r.ok ? r.clone() : nativeFetch(resource, options); },
                           function () { return nativeFetch(resource, options); });
    }
    function done() {
      if (window.fetch === handOver) window.fetch = nativeFetch;
    }
    window.fetch = handOver;
    return { done: done };
  }

  // A fetch Pagefind will make, started now (Pagefind's fetch() uses it: same URL, CORS mode).
  function preload(href) {
    var link = document.createElement("link");
    link.rel = "preload";
    link.as = "fetch";
    link.crossOrigin = "anonymous";
    link.href = href;
    document.head.appendChild(link);
  }

  // The index Pagefind picks for the page's language (its findIndex): the language, its base
  // language ("es" for "es-mx"), or else the one with the most pages.
  function languageIndex(languages, language) {
    var found = languages[language] || languages[language.split("-")[0]];
    if (found) return found;
    return Object.keys(languages).map(function (key) { return languages[key]; })
      .sort(function (a, b) { return b.page_count - a.page_count; })[0];
  }

  // Fetch the index chunks of what the box holds now, once Pagefind is ready: a word typed while it
  // loads is preloaded once, not once per letter.
  var preloaded = "";
  function preloadTyped() {
    boot.pagefind.then(function (pagefind) {
      var query = input.value.trim();
      if (!query || query === preloaded) return;
      preloaded = query;
      pagefind.preload(query);
    }).catch(function () {});
  }

  // Before the renderer is there: say that search is loading, in the results panel, so that typing
  // is never met by silence. The text goes in a moment after the panel shows, so that screen
  // readers, which announce changes to a live region already on screen, read it out.
  var loadingTimer = 0;
  function showLoading() {
    clearTimeout(loadingTimer);
    if (uiLoaded) return; // search-ui.js answers from now on
    if (!input.value.trim()) {
      panel.hidden = true;
      status.textContent = "";
      input.setAttribute("aria-expanded", "false");
      return;
    }
    if (panel.hidden) {
      status.textContent = "";
      panel.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
    loadingTimer = setTimeout(function () {
      if (!uiLoaded) status.textContent = box.getAttribute("data-rcm-loading");
    }, 50);
  }

  input.addEventListener("focus", start);
  input.addEventListener("input", function () {
    start();
    showLoading();
    // Fetch the index chunks of what is typed so far while Pagefind and the renderer load, and
    // while the renderer is still busy with the search of the text before.
    preloadTyped();
  });
  // Capture phase on the whole box, like Material's own search: keys typed here go no further, so
  // typing "nin" never triggers Material's shortcuts (n = next page, etc.).
  box.addEventListener("keydown", function (event) { event.stopPropagation(); }, true);
  if (document.querySelector("[data-rcm-results-page-body]")) {
    start();
    carryQueryAcrossLanguages();
  }

  // On the full results page (/buscar/?q=…), the language switcher leads to the same search in the
  // other language, not to an empty box.
  function carryQueryAcrossLanguages() {
    var query = new URLSearchParams(location.search).get("q");
    if (!query) return;
    document.querySelectorAll("a.md-select__link[hreflang]").forEach(function (link) {
      var target = new URL(link.getAttribute("href"), location.href);
      target.search = "?q=" + encodeURIComponent(query);
      link.href = target.href;
    });
  }
})();
