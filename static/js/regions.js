/*
 * Accessible htmx regions: where the focus goes and what is announced after every htmx swap.
 *
 * The server's fragment says it, with two markers (templates/_partials/region.html writes them,
 * only in fragments rendered for htmx):
 *   - data-focus     on the element that takes the focus: the changed item, the next item of a
 *                    list after a removal, the heading or the empty message when none is left, the
 *                    message saying what happened. A non-focusable element gets tabindex="-1".
 *   - data-announce  on an element whose text (or the attribute's own value, when not empty) is
 *                    read once by the one polite live region of base.html (#annonce): cleared, then
 *                    filled, so the same message twice is read twice. An element that also takes
 *                    the focus is not announced: the screen reader reads it on focus already.
 *                    With data-announce-repeat="no", a message the region already holds is not
 *                    read again (proposals while typing).
 * Without data-focus, the focus stays where it was; when the element that had it was replaced,
 * it goes to the new element with the same id, then to an error summary in the new content, then
 * to the swapped region itself (tabindex="-1"): never to <body>.
 * Errors use role="alert" in the fragment itself, not this live region.
 * The page title follows the content: htmx sets document.title from the fragment's <title>,
 * which web/templating.py's render() adds to every fragment.
 */
(function () {
  "use strict";

  var FOCUSABLE = "a[href], button, input, select, textarea, summary, [tabindex]";
  var lastFocusedId = null;
  var lastTarget = null;
  var pending = null;

  function focusOn(element) {
    if (!element.matches(FOCUSABLE) || element.disabled) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus({ preventScroll: false });
  }

  function announce(text) {
    var region = document.getElementById("annonce");
    if (!region || !text) {
      return;
    }
    window.clearTimeout(pending);
    region.textContent = "";
    pending = window.setTimeout(function () {
      region.textContent = text;
    }, 100);
  }

  function focusLost() {
    var active = document.activeElement;
    return !active || active === document.body || !active.isConnected;
  }

  document.addEventListener("htmx:before:swap", function (event) {
    var active = document.activeElement;
    lastFocusedId = active && active !== document.body ? active.id || null : null;
    var tasks = (event.detail && event.detail.tasks) || [];
    var ctx = event.detail && event.detail.ctx;
    lastTarget = ctx && ctx.target instanceof Element ? ctx.target : null;
    if (tasks.length && tasks[0].target instanceof Element) {
      lastTarget = tasks[0].target;
    }
  });

  document.addEventListener("htmx:after:swap", function () {
    var target = document.querySelector("[data-focus]");
    var message = "";
    var repeat = true;
    document.querySelectorAll("[data-announce]").forEach(function (element) {
      var text = element.getAttribute("data-announce") || element.textContent;
      if (element !== target && !(target && target.contains(element))) {
        message = (message ? message + " " : "") + text.replace(/\s+/g, " ").trim();
      }
      repeat = repeat && element.getAttribute("data-announce-repeat") !== "no";
      element.removeAttribute("data-announce");
    });
    document.querySelectorAll("[data-focus]").forEach(function (element) {
      element.removeAttribute("data-focus");
    });
    if (target) {
      focusOn(target);
    } else if (focusLost()) {
      var region = lastTarget && lastTarget.isConnected ? lastTarget : null;
      if (region && (region === document.body || region === document.documentElement)) {
        region = document.getElementById("contenu");
      }
      var same = lastFocusedId ? document.getElementById(lastFocusedId) : null;
      var summary = region ? region.querySelector(".error-summary") : null;
      if (same) {
        same.focus();
      } else if (summary) {
        focusOn(summary);
      } else if (region) {
        focusOn(region);
      } else {
        focusOn(document.getElementById("contenu"));
      }
    }
    var live = document.getElementById("annonce");
    if (!message && live) {
      window.clearTimeout(pending);
      live.textContent = "";
    } else if (repeat || !live || live.textContent !== message) {
      announce(message);
    }
  });
})();
