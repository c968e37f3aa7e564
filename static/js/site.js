/* Page behaviour that used to be inline handlers (the Content Security Policy allows no inline script):
   - <form data-confirm="question">: asks before submitting;
   - <button data-clear-choice>: unticks the options of its fieldset (htmx then saves the empty answer). */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("[data-clear-choice]") : null;
    if (!button) { return; }
    var fieldset = button.closest("fieldset");
    if (fieldset) {
      fieldset.querySelectorAll("input").forEach(function (input) { input.checked = false; });
    }
  }, true);
})();
