/* The little the pages need beyond HTML and htmx: the remembered theme, and the tab lists.
 *
 * Loaded in <head> without `defer` so a remembered theme applies before the first paint; the rest
 * waits for the document. Everything listens on `document`, because htmx history restores swap
 * the whole body and would drop listeners bound to elements. Without this file every tab is a
 * plain link and the theme follows the system.
 */
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY = "theme";
  var dark = window.matchMedia("(prefers-color-scheme: dark)");

  function stored() {
    try {
      return localStorage.getItem(KEY);
    } catch (e) {
      return null;
    }
  }

  function remember(value) {
    try {
      if (value) localStorage.setItem(KEY, value);
      else localStorage.removeItem(KEY);
    } catch (e) {
      /* private mode: the choice lasts for this page only */
    }
  }

  var choice = stored();
  if (choice === "light" || choice === "dark") root.setAttribute("data-theme", choice);

  function effectiveTheme() {
    return root.getAttribute("data-theme") || (dark.matches ? "dark" : "light");
  }

  // The button says what pressing it does ("Use dark theme" in the light theme), so its name
  // changes with the theme; `data-theme-now` lets the stylesheet show which theme is on.
  function showTheme() {
    var now = effectiveTheme();
    document.querySelectorAll("[data-theme-toggle]").forEach(function (button) {
      button.hidden = false;
      button.setAttribute("data-theme-now", now);
      var label = button.querySelector("span");
      if (label) label.textContent = now === "dark" ? "Use light theme" : "Use dark theme";
    });
  }

  function toggleTheme() {
    var next = effectiveTheme() === "dark" ? "light" : "dark";
    // Choosing what the system already says means "follow the system" again.
    var system = dark.matches ? "dark" : "light";
    if (next === system) root.removeAttribute("data-theme");
    else root.setAttribute("data-theme", next);
    remember(next === system ? null : next);
    showTheme();
  }

  /* WAI-ARIA tabs with manual activation: the server renders links with aria-current; here they
   * become tabs. Arrow keys, Home and End move focus; Enter or Space opens a tab (an htmx
   * request that swaps the panel). */
  function enhanceTabs(scope) {
    scope.querySelectorAll("[data-tablist]").forEach(function (list) {
      var nav = list.closest("nav");
      list.setAttribute("role", "tablist");
      if (nav && nav.getAttribute("aria-label")) {
        list.setAttribute("aria-label", nav.getAttribute("aria-label"));
      }
      var tabs = list.querySelectorAll("a[aria-controls]");
      var current =
        list.querySelector('a[aria-selected="true"]') || list.querySelector('a[aria-current="true"]') || tabs[0];
      tabs.forEach(function (tab) {
        tab.parentElement.setAttribute("role", "presentation");
        tab.setAttribute("role", "tab");
      });
      if (!current) return;
      select(current);
      var panel = document.getElementById(current.getAttribute("aria-controls"));
      if (panel) {
        panel.setAttribute("role", "tabpanel");
        panel.setAttribute("aria-labelledby", current.id);
      }
    });
  }

  function select(tab) {
    var list = tab.closest('[role="tablist"]');
    if (!list) return;
    list.querySelectorAll('[role="tab"]').forEach(function (other) {
      var chosen = other === tab;
      other.setAttribute("aria-selected", String(chosen));
      other.setAttribute("tabindex", chosen ? "0" : "-1");
      other.removeAttribute("aria-current"); // aria-selected says it now
    });
  }

  document.addEventListener("keydown", function (event) {
    var tab = event.target.closest && event.target.closest('[role="tab"]');
    if (!tab || event.altKey || event.ctrlKey || event.metaKey) return;
    var tabs = Array.prototype.slice.call(tab.closest('[role="tablist"]').querySelectorAll('[role="tab"]'));
    var at = tabs.indexOf(tab);
    var next = null;
    if (event.key === "ArrowRight") next = tabs[(at + 1) % tabs.length];
    else if (event.key === "ArrowLeft") next = tabs[(at - 1 + tabs.length) % tabs.length];
    else if (event.key === "Home") next = tabs[0];
    else if (event.key === "End") next = tabs[tabs.length - 1];
    else if (event.key === " ") {
      event.preventDefault();
      tab.click();
      return;
    } else return;
    event.preventDefault();
    next.focus();
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-theme-toggle]")) toggleTheme();
  });

  // A swapped-in panel: mark its tab selected, label the panel, and move focus to its heading.
  document.addEventListener("htmx:afterSettle", function (event) {
    var panel = event.target;
    if (!panel.hasAttribute || !panel.hasAttribute("data-swap-focus")) return;
    var config = event.detail && event.detail.requestConfig;
    var tab = config && config.elt;
    if (tab && tab.getAttribute && tab.getAttribute("role") === "tab") select(tab);
    enhanceTabs(panel.parentElement || document);
    var heading = panel.querySelector("h2, h3");
    if (heading) heading.focus();
  });

  // A panel that cannot be fetched (an error or no network): follow the link the ordinary way.
  function fallBack(event) {
    var elt = event.detail && event.detail.elt;
    if (elt && elt.href) window.location.assign(elt.href);
  }
  document.addEventListener("htmx:responseError", fallBack);
  document.addEventListener("htmx:sendError", fallBack);

  document.addEventListener("htmx:historyRestore", function () {
    enhanceTabs(document);
    showTheme();
  });

  /* Notes: htmx saves a note a second after typing stops and when focus leaves it (see
   * progress/_note.html). Here: say "Not saved yet" while typing, skip saves when nothing
   * changed, save a note with unsaved text before a tab swaps its panel away, and warn before
   * leaving the page while a note still has unsaved text. */
  function noteForm(element) {
    return element && element.closest ? element.closest("form[data-note]") : null;
  }

  function noteStatus(form, text) {
    var status = form.querySelector(".note-status");
    if (status) status.textContent = text;
  }

  function dirtyNotes() {
    return Array.prototype.filter.call(document.querySelectorAll("form[data-note]"), function (form) {
      return form.__edits > (form.__saved || 0);
    });
  }

  document.addEventListener("input", function (event) {
    var form = noteForm(event.target);
    if (!form) return;
    form.__edits = (form.__edits || 0) + 1;
    noteStatus(form, "Not saved yet");
    var copy = form.parentElement && form.parentElement.querySelector("[data-note-print]");
    if (copy) copy.textContent = ""; // stale until printing fills it again
  });

  document.addEventListener("htmx:confirm", function (event) {
    var elt = event.detail.elt;
    var form = noteForm(elt);
    var trigger = event.detail.triggeringEvent;
    if (form === elt && trigger && trigger.type !== "submit" && !(form.__edits > (form.__saved || 0))) {
      event.preventDefault(); // nothing new to save
      return;
    }
    if (form) {
      form.__sending = form.__edits || 0;
      return;
    }
    // Another request (a tab) that may swap a note away: save unsaved notes first.
    var dirty = dirtyNotes();
    if (!dirty.length) return;
    event.preventDefault();
    Promise.all(dirty.map(saveNow)).then(function () {
      event.detail.issueRequest(true);
    });
  });

  // A save htmx already sent (focus left the note when the tab was clicked) is waited for, not
  // sent again beside it: two writes of one note at once can collide in the database.
  function settled(form) {
    if (!form.__inFlight) return Promise.resolve();
    return new Promise(function (resolve) {
      (form.__waiters = form.__waiters || []).push(resolve);
    });
  }

  function saveNow(form) {
    return settled(form).then(function () {
      if (!(form.__edits > (form.__saved || 0))) return undefined; // that save carried it all
      return send(form);
    });
  }

  function send(form) {
    var sent = form.__edits || 0;
    return fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "HX-Request": "true" },
      credentials: "same-origin",
    }).then(function (response) {
      if (response.ok) form.__saved = sent;
    }, function () {});
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = noteForm(event.detail.elt);
    if (form === event.detail.elt) form.__inFlight = true;
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = noteForm(event.detail.elt);
    if (form !== event.detail.elt) return;
    if (event.detail.successful) form.__saved = form.__sending;
    form.__inFlight = false;
    (form.__waiters || []).splice(0).forEach(function (resolve) { resolve(); });
  });

  window.addEventListener("beforeunload", function (event) {
    if (!dirtyNotes().length) return;
    event.preventDefault();
    event.returnValue = ""; // older browsers need it to show the warning
  });

  // A printed page shows each note as text (a textarea prints as a clipped box).
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("form[data-note]").forEach(function (form) {
      var copy = form.parentElement && form.parentElement.querySelector("[data-note-print]");
      var text = form.querySelector("textarea");
      if (copy && text) copy.textContent = text.value.trim() ? "My notes: " + text.value : "";
    });
  });

  document.addEventListener("DOMContentLoaded", function () {
    enhanceTabs(document);
    showTheme();
    if (dark.addEventListener) dark.addEventListener("change", showTheme);
  });
})();
