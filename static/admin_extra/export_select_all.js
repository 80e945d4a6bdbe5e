// The export form's "select all" checkboxes. import-export's own template
// binds them with an inline onchange handler, which the Content-Security-Policy
// refuses; onSelectToggleChange comes from import-export's
// export_selectable_fields.js, loaded before this file.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  for (const toggle of document.querySelectorAll(".select-toggle")) {
    toggle.addEventListener("change", onSelectToggleChange);
  }
});
