// The reply box's canned replies: the chosen one is inserted at the cursor in
// the reply (already in the requester's language: the server chose it).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const select = document.getElementById("canned-reply");
  if (!select) return;
  select.addEventListener("change", () => {
    const option = select.selectedOptions[0];
    const target = document.getElementById(select.dataset.target);
    if (!option || !option.value || !target) return;
    const text = option.dataset.body;
    const start = target.selectionStart ?? target.value.length;
    const end = target.selectionEnd ?? target.value.length;
    target.value = target.value.slice(0, start) + text + target.value.slice(end);
    target.focus();
    target.selectionStart = target.selectionEnd = start + text.length;
    select.value = "";
  });
});
