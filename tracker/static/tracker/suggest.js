// Suggestions for the filter form's text fields: an input with data-suggest (a URL answering
// ?q= with {"results": [{"slug", "name"}]}) and a list="..." datalist gets its options filled
// as the reader types. Without this script the fields are plain text inputs that take a slug,
// a name or an alias.
(function () {
  "use strict";
  var WAIT_MS = 150;

  function attach(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var url = input.getAttribute("data-suggest");
    if (!list || !url || !window.fetch) return;
    var timer = null;
    var asked = "";

    function fill(results) {
      list.replaceChildren();
      results.forEach(function (row) {
        var option = document.createElement("option");
        option.value = row.slug;
        option.label = row.name; // text, never markup
        option.textContent = row.name;
        list.appendChild(option);
      });
    }

    function ask() {
      var text = input.value.trim();
      if (text === asked) return;
      asked = text;
      if (!text) { fill([]); return; }
      fetch(url + "?q=" + encodeURIComponent(text), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (asked === text) fill(data.results || []); })
        .catch(function () { /* no suggestions: the field still takes what is typed */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, WAIT_MS);
    });
  }

  document.querySelectorAll("input[data-suggest][list]").forEach(attach);
})();
