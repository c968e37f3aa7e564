/* Keep unsent form text in localStorage and restore it on reload (a flaky connection on a factory floor
   loses nothing). Forms opt in with data-draft-key; the server lists the keys it saved in #drafts-cleared. */
(function () {
  "use strict";
  var PREFIX = "shunyi-draft:";
  function storeKey(form) { return PREFIX + form.dataset.draftKey; }
  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.name !== "form" && el.name !== "draft_key" &&
        (el.tagName === "TEXTAREA" || el.tagName === "SELECT" ||
         (el.tagName === "INPUT" && /^(text|date|datetime-local|number)$/.test(el.type)));
    });
  }
  var cleared = document.getElementById("drafts-cleared");
  if (cleared) {
    try { JSON.parse(cleared.textContent).forEach(function (k) { localStorage.removeItem(PREFIX + k); }); }
    catch (e) { /* nothing to clear */ }
  }
  document.querySelectorAll("form[data-draft-key]").forEach(function (form) {
    var stored = localStorage.getItem(storeKey(form));
    if (stored) {
      var restored = false;
      try {
        var data = JSON.parse(stored);
        fields(form).forEach(function (el) {
          if (Object.prototype.hasOwnProperty.call(data, el.name) && data[el.name] !== "" && el.value !== data[el.name]) {
            if (el.tagName === "SELECT" || !el.value) { el.value = data[el.name]; restored = true; }
          }
        });
      } catch (e) { localStorage.removeItem(storeKey(form)); }
      if (restored) {
        var note = form.querySelector(".draft-status");
        if (note) { note.textContent = note.dataset.restored || "已恢复未提交的内容"; }
      }
    }
    form.addEventListener("input", function () {
      var data = {};
      fields(form).forEach(function (el) { data[el.name] = el.value; });
      localStorage.setItem(storeKey(form), JSON.stringify(data));
    });
  });
})();
