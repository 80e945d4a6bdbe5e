// Request forms, progressive enhancement: everything works without this file.
// (place_search.js suggests the local government as one types.)
// - Shows only the part of the form of the chosen kind of request.
// - Moves the focus to the error summary, so that it is read first.
(function () {
  "use strict";

  function showChosenKind(form) {
    var radios = form.querySelectorAll('[data-kind-choice] input[type="radio"]');
    var sections = form.querySelectorAll("[data-kind]");
    if (!radios.length || !sections.length) {
      return;
    }

    function update() {
      var chosen = form.querySelector('[data-kind-choice] input[type="radio"]:checked');
      sections.forEach(function (section) {
        section.hidden = Boolean(chosen) && section.dataset.kind !== chosen.value;
      });
    }

    radios.forEach(function (radio) {
      radio.addEventListener("change", update);
    });
    update();
  }

  document.querySelectorAll(".request-form").forEach(showChosenKind);
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
})();
