/* The questionnaire: a refused autosave puts the field back as it was saved (a radio it refused is un-ticked).
   Each input of a .qfield keeps its last saved state in data-saved; the server's answer (.field-status) says
   whether the save went through. */
(function () {
  "use strict";
  function remember(root) {
    root.querySelectorAll(".qfield input").forEach(function (input) {
      if (input.type === "radio" || input.type === "checkbox") {
        input.dataset.saved = input.checked ? "1" : "0";
      } else {
        input.dataset.saved = input.value;
      }
    });
  }
  function restore(fieldset) {
    fieldset.querySelectorAll("input").forEach(function (input) {
      if (input.dataset.saved === undefined) { return; }
      if (input.type === "radio" || input.type === "checkbox") {
        input.checked = input.dataset.saved === "1";
      } else {
        input.value = input.dataset.saved;
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { remember(document); });
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) { return; }
    var fieldset = target.closest(".qfield");
    if (fieldset && target.classList.contains("field-status")) {
      if (target.querySelector("[data-testid=field-error]")) { restore(fieldset); } else { remember(fieldset); }
    } else if (target.querySelector && target.querySelector(".qfield")) {
      remember(target);  // a card swapped in from the server shows what is saved
    }
  });
})();
