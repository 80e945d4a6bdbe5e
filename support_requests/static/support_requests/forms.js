// Request forms, progressive enhancement: everything works without this file
// (the server checks that a municipality belongs to its prefecture).
// - Filters a municipality (city) select to the chosen prefecture (province).
// - Shows only the part of the form of the chosen kind of request.
// - Moves the focus to the error summary, so that it is read first.
(function () {
  "use strict";

  function filterChildPlaces(wrapper) {
    var parent = document.getElementById(wrapper.dataset.parentSelect);
    var child = document.getElementById(wrapper.dataset.childSelect);
    if (!parent || !child) {
      return;
    }
    var all = Array.prototype.slice.call(child.options).map(function (option) {
      return option.cloneNode(true);
    });
    var empty = all.filter(function (option) { return !option.value; });

    function update() {
      var selected = child.value;
      var keep = parent.value
        ? all.filter(function (option) {
            return option.dataset.parent === parent.value;
          })
        : [];
      child.textContent = "";
      empty.concat(keep).forEach(function (option) {
        child.appendChild(option.cloneNode(true));
      });
      child.value = keep.some(function (option) { return option.value === selected; })
        ? selected
        : "";
    }

    parent.addEventListener("change", update);
    update();
  }

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

  document.querySelectorAll("[data-parent-select]").forEach(filterChildPlaces);
  document.querySelectorAll(".request-form").forEach(showChosenKind);
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
})();
