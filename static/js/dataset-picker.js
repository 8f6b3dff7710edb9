// Search as you type in a challenge's dataset picker. Without this file the page works the
// same, one search per click: the results and their "Add" buttons come from the server either
// way; this only fetches the same page for the typed words and swaps in its results.
(function () {
  "use strict";
  var form = document.querySelector("form[data-dataset-picker]");
  var results = document.getElementById("dataset-results");
  if (!form || !results || !window.fetch || !window.DOMParser || !window.URL) {
    return;
  }
  var input = form.querySelector('input[name="q"]');
  var timer = null;
  var latest = 0;

  function refresh() {
    var url = new URL(form.action, window.location.href);
    var q = input.value.trim();
    url.search = q ? "?q=" + encodeURIComponent(q) : "";
    var ticket = ++latest;
    fetch(url.toString(), { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        return response.ok ? response.text() : Promise.reject(response.status);
      })
      .then(function (html) {
        if (ticket !== latest) {
          return; // an older search answered after a newer one
        }
        var fresh = new DOMParser().parseFromString(html, "text/html");
        var found = fresh.getElementById("dataset-results");
        if (found) {
          results.innerHTML = found.innerHTML; // our own page, escaped by the server
          window.history.replaceState(null, "", url.toString());
        }
      })
      .catch(function () {
        // Leave the results as they are: the Search button still works.
      });
  }

  if (input) {
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 300);
    });
  }
})();
