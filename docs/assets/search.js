/* Header search: Pagefind's Component UI, loaded on first use.
 *
 * The page ships a plain input (overrides/partials/rcm-search.html). Nothing search-related is
 * downloaded until an officer focuses or types into it; then the Component UI (script + styles)
 * is fetched from the Pagefind bundle, a <pagefind-searchbox> replaces the plain input, and what
 * was typed so far is carried over. Pagefind then loads only the index chunks the query needs,
 * for the language of the page (<html lang>), and labels itself in that language.
 * If the bundle is missing (e.g. `mkdocs serve`, which does not run Pagefind), the box says so.
 */
(function () {
  "use strict";

  var box = document.querySelector("[data-rcm-search]");
  if (!box) return;
  var form = box.querySelector("form");
  var input = box.querySelector("input");
  // Absolute paths, so results and chunks resolve the same from every page depth and from /en/.
  // The bundle sits at the site root (also the root of result URLs), e.g. /pagefind/ or /repo/pagefind/.
  var bundle = new URL(box.getAttribute("data-rcm-search"), location.href).pathname;
  var root = bundle.replace(/pagefind\/$/, "");
  var state = "idle";

  // Each result shows its title, then type and year of the entry (indexed as the "facts"
  // metadata on entry pages), then the excerpt. Pagefind's template engine escapes {{ }}.
  var RESULT_TEMPLATE =
    '<a class="pf-searchbox-result" id="{{ aria.result_id }}" href="{{ meta.url | default(url) | safeUrl }}"' +
    ' role="option" aria-selected="false" aria-labelledby="{{ aria.title_id }}"' +
    '{{#if excerpt}} aria-describedby="{{ aria.excerpt_id }}"{{/if}}>' +
    '<p class="pf-searchbox-result-title" id="{{ aria.title_id }}">{{ meta.title | default(url) }}</p>' +
    '{{#if meta.facts}}<p class="rcm-search__facts">{{ meta.facts }}</p>{{/if}}' +
    '{{#if excerpt}}<p class="pf-searchbox-result-excerpt" id="{{ aria.excerpt_id }}">{{+ excerpt +}}</p>{{/if}}' +
    "</a>";

  box.hidden = false;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    start();
  });
  input.addEventListener("focus", start);
  input.addEventListener("input", start);

  function start() {
    if (state !== "idle") return;
    state = "loading";
    var pending = 2;
    var done = function () {
      pending -= 1;
      if (pending === 0) swap();
    };
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = bundle + "pagefind-component-ui.css";
    css.onload = done;
    css.onerror = fail;
    var js = document.createElement("script");
    js.src = bundle + "pagefind-component-ui.js";
    js.onload = done;
    js.onerror = fail;
    document.head.appendChild(css);
    document.head.appendChild(js);
  }

  function fail() {
    if (state === "failed") return;
    state = "failed";
    input.disabled = true;
    input.value = "";
    input.placeholder = box.getAttribute("data-rcm-unavailable");
    input.setAttribute("aria-label", input.placeholder);
  }

  function swap() {
    var components = window.PagefindComponents;
    if (state !== "loading" || !components) return fail();
    var instance = components.configureInstance("default", { bundlePath: bundle, baseUrl: root });
    // Load Pagefind itself before the box takes over: searches started while it is still loading
    // can come back out of order and leave the results of a half-typed word on screen. Meanwhile
    // the officer keeps typing into the plain input.
    instance.triggerLoad().then(mount, fail);
  }

  function mount() {
    var searchbox = document.createElement("pagefind-searchbox");
    // Our own label: the component reads its translated placeholder before it knows the language.
    searchbox.setAttribute("placeholder", input.getAttribute("placeholder"));
    searchbox.setAttribute("hide-shortcut", "");
    searchbox.setAttribute("show-keyboard-hints", "false");
    var template = document.createElement("script");
    template.type = "text/pagefind-template";
    template.textContent = RESULT_TEMPLATE;
    searchbox.appendChild(template);

    var hadFocus = document.activeElement === input;
    var typed = input.value;
    form.replaceWith(searchbox); // the element renders its own input as soon as it is connected
    state = "ready";
    var inner = searchbox.querySelector("input");
    if (!inner) return;
    inner.setAttribute("aria-label", input.getAttribute("aria-label"));
    if (hadFocus) inner.focus();
    if (typed) {
      inner.value = typed;
      inner.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }
})();
