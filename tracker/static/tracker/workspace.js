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
