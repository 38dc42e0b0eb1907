/* Header search box: the few lines every page loads (overrides/partials/rcm-search.html).
 *
 * Nothing else is downloaded until an officer focuses or types into the box (or opens the full
 * results page): then this fetches Pagefind's pagefind.js and our renderer, search-ui.js with its
 * stylesheet, side by side. Until the renderer is there, Enter submits the form to the full results
 * page. Keys typed in the box never reach Material's keyboard shortcuts.
 */
(function () {
  "use strict";

  var box = document.querySelector("[data-rcm-search]");
  if (!box) return;
  var input = box.querySelector(".rcm-search__input");
  var assets = new URL(box.getAttribute("data-rcm-assets"), location.href).href;
  var bundle = new URL(box.getAttribute("data-rcm-search"), location.href).pathname;
  var resolveUi;
  var ui = new Promise(function (resolve) { resolveUi = resolve; });
  var boot = (window.rcmSearchBoot = { pagefind: null, ready: function (api) { resolveUi(api); } });
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
    boot.pagefind = import(bundle + "pagefind.js");
    boot.pagefind.catch(function () {}); // search-ui.js says so in the box
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = assets + "search-ui.css";
    document.head.appendChild(css);
    var js = document.createElement("script");
    js.src = assets + "search-ui.js";
    document.head.appendChild(js);
  }

  input.addEventListener("focus", start);
  input.addEventListener("input", start);
  // Capture phase on the whole box, like Material's own search: keys typed here go no further, so
  // typing "nin" never triggers Material's shortcuts (n = next page, etc.).
  box.addEventListener("keydown", function (event) { event.stopPropagation(); }, true);
  if (document.querySelector("[data-rcm-results-page-body]")) start();
})();
