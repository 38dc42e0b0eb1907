/* Catalog filters: a progressive enhancement of the complete list on the catalog page.
 *
 * The page (scripts/rcmkb/templates/overview.md.j2) ships every entry as a list item whose data
 * attributes hold its term ids (data-tipo="protocol", data-tema="best-interests trafficking", ...,
 * data-anio="2016") and a hidden form with one checkbox per term, labelled in the page language.
 * This script shows the form, hides the items that do not match, writes the counts, sorts, and
 * keeps the selection in the URL query (?tema=a,b&desde=2010&orden=anio-desc), so a filtered
 * view can be bookmarked, shared, reloaded, or opened in the other language.
 * Terms of one filter widen the selection (OR); different filters narrow it (AND).
 * A box may also stand for other terms (data-also): a member country's box also matches the
 * regional instruments, which apply to every member; they are listed after the country's own tools.
 */
(function () {
  "use strict";

  var form = document.querySelector("form[data-rcm-facets]");
  var list = document.querySelector("ul.rcm-entries");
  if (!form || !list) return;

  var items = Array.prototype.slice.call(list.children);
  items.forEach(function (item, index) {
    item.rcmTitleOrder = index; // the generator lists entries by title
    item.rcmTerms = {};
  });
  var checkboxes = Array.prototype.slice.call(form.querySelectorAll("input[type=checkbox]"));
  var keys = [];
  checkboxes.forEach(function (box) {
    if (keys.indexOf(box.name) < 0) keys.push(box.name);
  });
  items.forEach(function (item) {
    keys.forEach(function (key) {
      var value = item.getAttribute("data-" + key) || "";
      item.rcmTerms[key] = value ? value.split(" ") : [];
    });
    var year = parseInt(item.getAttribute("data-anio") || "", 10);
    item.rcmYear = isNaN(year) ? null : year;
  });
  // key -> term -> the other terms its box also stands for (data-also="regional" on member countries)
  var also = {};
  checkboxes.forEach(function (box) {
    var extra = (box.getAttribute("data-also") || "").split(" ").filter(Boolean);
    if (!extra.length) return;
    also[box.name] = also[box.name] || {};
    also[box.name][box.value] = extra;
  });
  var from = form.elements.desde;
  var to = form.elements.hasta;
  var order = form.elements.orden;
  var status = form.querySelector(".rcm-facets__status");
  var statusText = form.getAttribute("data-status");
  // The count in the heading above the list: "(103 recursos)", "(36 de 103 recursos)" while filtered.
  var headingCount = document.querySelector("[data-rcm-entries-count]");
  var headingAll = headingCount ? headingCount.textContent : "";
  var headingText = form.getAttribute("data-heading-count");

  // Each filter's boxes in the alphabetical order of their labels in the page's language, accents
  // and case aside ("Panamá" among the P's), not in the order of the vocabulary's codes.
  var collator = new Intl.Collator(document.documentElement.lang || undefined, { sensitivity: "base" });
  Array.prototype.forEach.call(form.querySelectorAll("details[data-facet] fieldset"), function (fieldset) {
    var labels = Array.prototype.filter.call(fieldset.children, function (child) {
      return child.tagName === "LABEL" && child.querySelector("input[type=checkbox]");
    });
    labels.sort(function (a, b) { return collator.compare(a.textContent.trim(), b.textContent.trim()); });
    labels.forEach(function (labelEl) { fieldset.appendChild(labelEl); });
  });

  // --- state <-> URL ---------------------------------------------------------------------
  function readState() {
    var state = { terms: {}, from: "", to: "", order: "" };
    keys.forEach(function (key) {
      state.terms[key] = checkboxes
        .filter(function (box) { return box.name === key && box.checked; })
        .map(function (box) { return box.value; });
    });
    state.from = from.value;
    state.to = to.value;
    state.order = order.value;
    return state;
  }

  function applyQuery(search) {
    var params = new URLSearchParams(search);
    checkboxes.forEach(function (box) {
      var wanted = (params.get(box.name) || "").split(",");
      box.checked = wanted.indexOf(box.value) >= 0;
    });
    setSelect(from, params.get("desde"));
    setSelect(to, params.get("hasta"));
    setSelect(order, params.get("orden"));
  }

  function setSelect(select, value) {
    var known = Array.prototype.some.call(select.options, function (option) {
      return option.value === value;
    });
    select.value = known ? value : "";
  }

  function queryOf(state) {
    var params = new URLSearchParams(location.search);
    keys.concat(["desde", "hasta", "orden"]).forEach(function (key) { params.delete(key); });
    keys.forEach(function (key) {
      if (state.terms[key].length) params.set(key, state.terms[key].join(","));
    });
    if (state.from) params.set("desde", state.from);
    if (state.to) params.set("hasta", state.to);
    if (state.order) params.set("orden", state.order);
    var query = params.toString().replace(/%2C/g, ",");
    return query ? "?" + query : "";
  }

  // --- matching ----------------------------------------------------------------------------
  function matchesYear(item, state) {
    if (!state.from && !state.to) return true;
    if (item.rcmYear === null) return false; // an unknown year is outside any chosen range
    if (state.from && item.rcmYear < parseInt(state.from, 10)) return false;
    if (state.to && item.rcmYear > parseInt(state.to, 10)) return false;
    return true;
  }

  function widened(key, terms) {
    var out = terms.slice();
    terms.forEach(function (term) {
      ((also[key] || {})[term] || []).forEach(function (extra) {
        if (out.indexOf(extra) < 0) out.push(extra);
      });
    });
    return out;
  }

  function hasAny(item, key, terms) {
    return terms.some(function (term) { return item.rcmTerms[key].indexOf(term) >= 0; });
  }

  // 1 for an item shown only through what a ticked box also stands for (a regional instrument
  // under a ticked country): it is listed after the items that have the ticked term itself.
  function secondary(item, state) {
    return keys.some(function (key) {
      var wanted = state.terms[key];
      var extra = []; // what the ticked boxes also stand for
      wanted.forEach(function (term) { extra = extra.concat((also[key] || {})[term] || []); });
      if (!extra.length) return false;
      var own = wanted.filter(function (term) { return extra.indexOf(term) < 0; });
      return !hasAny(item, key, own);
    }) ? 1 : 0;
  }

  function matches(item, state, skipKey) {
    for (var i = 0; i < keys.length; i++) {
      var key = keys[i];
      var wanted = widened(key, state.terms[key]);
      if (key === skipKey || !wanted.length) continue;
      var has = item.rcmTerms[key];
      if (!wanted.some(function (term) { return has.indexOf(term) >= 0; })) return false;
    }
    return matchesYear(item, state);
  }

  // --- rendering ---------------------------------------------------------------------------
  function render(state) {
    var shown = 0;
    items.forEach(function (item) {
      var visible = matches(item, state, null);
      item.hidden = !visible;
      if (visible) shown += 1;
    });
    // Each count says how many entries ticking that box would show, given the other filters.
    checkboxes.forEach(function (box) {
      var count = 0;
      items.forEach(function (item) {
        if (hasAny(item, box.name, widened(box.name, [box.value])) && matches(item, state, box.name)) count += 1;
      });
      box.parentNode.querySelector(".rcm-count").textContent = "(" + count + ")";
      box.disabled = count === 0 && !box.checked;
    });
    Array.prototype.forEach.call(form.querySelectorAll("details[data-facet]"), function (details) {
      var key = details.getAttribute("data-facet");
      var active = key === "anio" ? [state.from, state.to].filter(Boolean).join("–")
        : String(state.terms[key].length || "");
      details.querySelector(".rcm-facet__on").textContent = active ? "(" + active + ")" : "";
    });
    sortItems(state);
    status.textContent = statusText.replace("{n}", shown).replace("{total}", items.length);
    if (headingCount) {
      headingCount.textContent = shown === items.length ? headingAll
        : headingText.replace("{n}", shown).replace("{total}", items.length);
    }
  }

  function sortItems(state) {
    var orderValue = state.order;
    items.forEach(function (item) { item.rcmGroup = secondary(item, state); });
    var sorted = items.slice().sort(function (a, b) {
      if (a.rcmGroup !== b.rcmGroup) return a.rcmGroup - b.rcmGroup;
      if (orderValue === "anio-desc" || orderValue === "anio-asc") {
        if (a.rcmYear !== b.rcmYear) {
          if (a.rcmYear === null) return 1; // unknown years last, whichever the direction
          if (b.rcmYear === null) return -1;
          return orderValue === "anio-desc" ? b.rcmYear - a.rcmYear : a.rcmYear - b.rcmYear;
        }
      }
      return a.rcmTitleOrder - b.rcmTitleOrder;
    });
    sorted.forEach(function (item) { list.appendChild(item); });
    // A line above the first regional instrument under a ticked country (the label says it in words).
    var first = sorted.filter(function (item) { return !item.hidden && item.rcmGroup; })[0];
    items.forEach(function (item) { item.classList.toggle("rcm-entries__also", item === first); });
  }

  // The language switcher keeps the selection: both languages use the same term ids.
  var switcher = Array.prototype.slice.call(document.querySelectorAll("a[hreflang].md-select__link"));
  function carryToOtherLanguage(query) {
    switcher.forEach(function (link) {
      var url = new URL(link.getAttribute("href"), location.href);
      url.search = query;
      link.setAttribute("href", url.pathname + url.search + url.hash);
    });
  }
  // Material's "stay on page" handler (on document.body) rebuilds the switcher's target from the
  // sitemap and drops the query; the link's own href is already the right page, so let it be.
  switcher.forEach(function (link) {
    link.addEventListener("click", function (event) { event.stopPropagation(); });
  });

  function update() {
    var state = readState();
    render(state);
    var query = queryOf(state);
    try {
      history.replaceState(history.state, "", location.pathname + query + location.hash);
    } catch (error) {
      // Some browsers refuse to change the address of a page opened from disk (offline bundle).
    }
    carryToOtherLanguage(query);
  }

  applyQuery(location.search);
  Array.prototype.forEach.call(form.querySelectorAll("details[data-facet]"), function (details) {
    var yearSet = details.getAttribute("data-facet") === "anio" && (from.value || to.value);
    if (details.querySelector("input:checked") || yearSet) {
      details.open = true;
    }
  });
  form.addEventListener("change", update);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () {
    setTimeout(update, 0); // after the browser has cleared the fields
  });
  form.hidden = false;
  update();
})();
