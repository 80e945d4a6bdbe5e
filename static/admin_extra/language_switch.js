"use strict";
// The admin's language switch: change the language as soon as it is chosen.
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form.language-switch")) {
    form.querySelector("button[type=submit]").hidden = true;
    form.querySelector("select").addEventListener("change", () => form.submit());
  }
});
