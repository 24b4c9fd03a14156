/* The portal's small behaviours. Loaded with `defer` on every page; no inline scripts anywhere. */
(function () {
  "use strict";

  // A double tap on a slow village connection must not send a form twice: forms marked
  // data-submit-once disable their submit buttons once the browser has accepted the submission.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-submit-once")) {
      return;
    }
    if (form.dataset.submitted === "true") {
      event.preventDefault();
      return;
    }
    form.dataset.submitted = "true";
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (button) {
        button.disabled = true;
      });
    }, 0);
  });

  // A table wider than the phone scrolls inside its .table-responsive box: keyboard users reach that
  // scrolling with Tab and the arrow keys only when the box can take the focus.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".table-responsive:not([tabindex])").forEach(function (box) {
      box.tabIndex = 0;
    });
  });

  // Coming back with the browser's Back button restores the page from cache: enable the buttons again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) {
      return;
    }
    document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
      delete form.dataset.submitted;
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (button) {
        button.disabled = false;
      });
    });
  });
})();
