/* The site-wide search box as a WAI-ARIA combobox (the APG "list autocomplete" pattern).
 *
 * htmx fills #search-suggestions as you type; here the input becomes a combobox over that list:
 * ArrowDown/ArrowUp move through the suggestions (focus stays in the box, the active one is named
 * by aria-activedescendant), Enter opens the active suggestion (or, with none active, submits the
 * form to the results page as before), Escape closes the list and, pressed again, clears the box.
 * Without this file (or JavaScript) the box is a plain search form.
 *
 * Listeners sit on `document`, because htmx history restores swap the whole body.
 */
(function () {
  "use strict";
  var INPUT = "site-search";
  var POPUP = "search-suggestions";

  function field() {
    return document.getElementById(INPUT);
  }

  function popup() {
    return document.getElementById(POPUP);
  }

  function options() {
    var box = popup();
    return box ? Array.prototype.slice.call(box.querySelectorAll('[role="option"]')) : [];
  }

  function enhance() {
    var input = field();
    if (!input || input.getAttribute("role") === "combobox") return;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
  }

  function activate(option) {
    var input = field();
    options().forEach(function (other) {
      other.setAttribute("aria-selected", String(other === option));
    });
    if (option) {
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  // Show or hide what htmx put in the popup; "expanded" only when it holds suggestions.
  function show(visible) {
    var input = field();
    var box = popup();
    if (!input || !box) return;
    var list = box.querySelector('[role="listbox"]');
    box.hidden = !visible;
    var expanded = visible && Boolean(list);
    input.setAttribute("aria-expanded", String(expanded));
    if (expanded) input.setAttribute("aria-controls", list.id);
    else input.removeAttribute("aria-controls");
    activate(null);
  }

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input || input.id !== INPUT || event.altKey || event.ctrlKey || event.metaKey) return;
    var box = popup();
    var all = options();
    var current = all.filter(function (o) {
      return o.getAttribute("aria-selected") === "true";
    })[0];
    var open = box && !box.hidden;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!all.length) return;
      event.preventDefault();
      if (!open) {
        show(true);
        current = null;
      }
      var step = event.key === "ArrowDown" ? 1 : -1;
      var at = all.indexOf(current);
      var next = at < 0 ? (step > 0 ? 0 : all.length - 1) : (at + step + all.length) % all.length;
      activate(all[next]);
    } else if (event.key === "Enter") {
      if (open && current) {
        event.preventDefault();
        window.location.assign(current.href);
      }
    } else if (event.key === "Escape") {
      if (open && box.childElementCount) {
        event.preventDefault(); // the first Escape closes the list; the browser's clears the box
        show(false);
      }
    }
  });

  // New text: whatever was active belongs to the old list.
  document.addEventListener("input", function (event) {
    if (event.target && event.target.id === INPUT) activate(null);
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target && event.target.id === POPUP) show(true);
  });

  // Leaving the search box (not for a suggestion in it) closes the list; coming back reopens it.
  document.addEventListener("focusout", function (event) {
    var form = event.target.closest && event.target.closest(".search-box");
    if (!form || (event.relatedTarget && form.contains(event.relatedTarget))) return;
    if (popup() && !popup().hidden) show(false);
  });
  document.addEventListener("focusin", function (event) {
    if (event.target && event.target.id === INPUT && popup() && popup().hidden) show(true);
  });

  document.addEventListener("htmx:historyRestore", enhance);
  enhance();
})();
