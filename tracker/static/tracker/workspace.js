// The editors' workspace: words selected in the article's text become the passage of the
// suggestion being worked on (the last one clicked or typed in). Without this script the
// passage field is typed or pasted as anywhere else in the admin.
"use strict";
// Loaded in the page's head (with the admin's form media): starts once the page is read.
document.addEventListener("DOMContentLoaded", function () {
  const text = document.querySelector(".workspace-text");
  const rows = Array.from(document.querySelectorAll("form.suggestion"));
  if (!text || rows.length === 0) return;
  let active = null;
  function activate(row) {
    if (active) active.classList.remove("active");
    active = row;
    row.classList.add("active");
  }
  rows.forEach(function (row) {
    row.addEventListener("focusin", function () { activate(row); });
    row.addEventListener("click", function () { activate(row); });
  });
  activate(rows[0]);
  function fill() {
    const selection = window.getSelection();
    if (!active || !selection || selection.isCollapsed) return;
    if (!text.contains(selection.anchorNode) || !text.contains(selection.focusNode)) return;
    const words = selection.toString().trim();
    const box = active.querySelector("textarea.workspace-passage");
    if (!words || !box) return;
    box.value = words;
    box.dispatchEvent(new Event("input", { bubbles: true }));
  }
  text.addEventListener("mouseup", fill);
  text.addEventListener("keyup", fill);
});

// The admin's autocomplete boxes (select2) show an empty box until a value is chosen, which
// leaves screen readers without a name for them: each takes its field's label when drawn
// (select2 draws them after the page has loaded, and again on a change).
function nameAutocompleteBoxes() {
  document.querySelectorAll("form.suggestion .select2-selection__rendered[id]").forEach(
    function (box) {
      if (box.hasAttribute("aria-label")) return;
      const field = box.id.replace(/^select2-/, "").replace(/-container$/, "");
      const label = document.querySelector('label[for="' + field + '"]');
      const name = label ? label.textContent.replace(/:\s*$/, "").trim() : field;
      box.setAttribute("aria-label", name);
    }
  );
}
document.addEventListener("DOMContentLoaded", function () {
  nameAutocompleteBoxes();
  new MutationObserver(nameAutocompleteBoxes).observe(document.body, {
    childList: true,
    subtree: true,
  });
});
