// A local government found as one types part of its name, in either
// language or script (progressive enhancement: without this file the form
// finds it on sending, and shows the candidates to choose from).
// The text input becomes an ARIA combobox: suggestions from the portal's JSON
// address (data-place-search), chosen with the arrow keys and Enter or with a
// click; the chosen place's code goes in the hidden input, as a candidate's
// radio button would send it.
(function () {
  "use strict";

  var DELAY = 150;

  function enhance(wrapper, index) {
    var input = wrapper.querySelector('input[type="text"]');
    var pick = wrapper.querySelector("[data-place-pick]");
    var address = wrapper.dataset.placeSearch;
    if (!input || !pick || !address || !window.fetch) {
      return;
    }
    var listId = (input.id || "place-search-" + index) + "-suggestions";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "place-search__suggestions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.after(list);
    wrapper.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var places = [];
    var active = -1;
    var timer = null;
    var latest = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(position) {
      var options = list.querySelectorAll('[role="option"]');
      active = position;
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === position ? "true" : "false");
      });
      if (position >= 0 && options[position]) {
        input.setAttribute("aria-activedescendant", options[position].id);
        options[position].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(place) {
      input.value = place.label;
      pick.value = place.code;
      wrapper.querySelectorAll('input[type="radio"]').forEach(function (radio) {
        radio.checked = false;
      });
      close();
    }

    function say(count) {
      if (!count) {
        status.textContent = wrapper.dataset.placeStatusNone || "";
      } else if (count === 1) {
        status.textContent = wrapper.dataset.placeStatusOne || "";
      } else {
        status.textContent = (wrapper.dataset.placeStatusMany || "").replace(
          "{count}",
          String(count)
        );
      }
    }

    function show(found) {
      places = found;
      list.textContent = "";
      found.forEach(function (place, i) {
        var option = document.createElement("li");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.code = place.code;
        option.textContent = place.label + " ";
        var kind = document.createElement("span");
        kind.className = "place-search__kind";
        kind.textContent = place.kind;
        option.appendChild(kind);
        // mousedown, not click: before the input loses the focus.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(place);
        });
        list.appendChild(option);
      });
      list.hidden = !found.length;
      input.setAttribute("aria-expanded", found.length ? "true" : "false");
      active = -1;
      say(found.length);
    }

    function search() {
      var text = input.value.trim();
      var ticket = ++latest;
      if (!text) {
        show([]);
        status.textContent = "";
        return;
      }
      fetch(address + "?q=" + encodeURIComponent(text.slice(0, 50)), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.ok ? response.json() : { places: [] };
        })
        .then(function (data) {
          if (ticket === latest) {
            show(Array.isArray(data.places) ? data.places : []);
          }
        })
        .catch(function () {
          // Offline or refused: the form still finds the place on sending.
        });
    }

    input.addEventListener("input", function () {
      pick.value = "";
      window.clearTimeout(timer);
      timer = window.setTimeout(search, DELAY);
    });

    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (list.hidden) {
          if (places.length) {
            show(places);
          }
          return;
        }
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        highlight((active + step + places.length) % places.length);
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();
        choose(places[active]);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });

    input.addEventListener("blur", close);
  }

  document.querySelectorAll("[data-place-search]").forEach(enhance);
})();
