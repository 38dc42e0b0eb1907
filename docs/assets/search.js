/* Header search box: the few lines every page loads (overrides/partials/rcm-search.html).
 *
 * Nothing else is downloaded until an officer focuses or types into the box (or opens the full
 * results page): then this fetches Pagefind's pagefind.js and our renderer, search-ui.js with its
 * stylesheet, side by side, and starts Pagefind (options, init, filters) as soon as pagefind.js is
 * there, without waiting for the renderer: on a slow link every request that waits for another
 * costs a round trip (about 0.6 s on Fast 3G). Pagefind runs on the page's own thread (noWorker):
 * its web worker would be one more script to fetch before the index, and our index is small.
 * What is typed meanwhile is preloaded (Pagefind fetches the index chunks of those words), and the
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
    boot.pagefind = import(bundle + "pagefind.js").then(function (pagefind) {
      return Promise.resolve(pagefind.options({ baseUrl: root, noWorker: true }))
        .then(function () { return pagefind.init(); })
        .then(function () {
          // The first search needs the filter index (kind:tool): fetch it now, while the officer types.
          pagefind.filters();
          return pagefind;
        });
    });
    boot.pagefind.catch(function () {}); // search-ui.js says so in the box
    // Pagefind asks for its WebAssembly (named after the page's language) only once pagefind.js and
    // pagefind-entry.json have arrived, two round trips in: ask for it now, beside them.
    var lang = document.documentElement.lang;
    if (/^[a-z]{2}$/.test(lang)) {
      var wasm = document.createElement("link");
      wasm.rel = "preload";
      wasm.as = "fetch";
      wasm.crossOrigin = "anonymous";
      wasm.href = bundle + "wasm." + lang + ".pagefind";
      document.head.appendChild(wasm);
    }
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = assets + "search-ui.css";
    document.head.appendChild(css);
    var js = document.createElement("script");
    js.src = assets + "search-ui.js";
    document.head.appendChild(js);
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
    var query = input.value;
    // Fetch the index chunks of what is typed so far while Pagefind and the renderer load.
    if (query.trim()) {
      boot.pagefind.then(function (pagefind) { pagefind.preload(query); }).catch(function () {});
    }
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
