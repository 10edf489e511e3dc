// Domain search as one types: fetches the results fragment of the search page and puts it in
// place. Without this script the form submits and the page answers the same results.
(function () {
  "use strict";
  var input = document.getElementById("domain-q");
  var results = document.getElementById("search-results");
  if (!input || !results || !window.fetch) { return; }
  var url = input.getAttribute("data-fragment-url");
  var timer = null;
  var latest = 0;

  function search() {
    var q = input.value.trim();
    var asked = ++latest;
    if (!q) { results.innerHTML = ""; return; }
    fetch(url + "?fragment=1&q=" + encodeURIComponent(q), {credentials: "same-origin"})
      .then(function (response) { return response.text(); })
      .then(function (html) {
        if (asked !== latest) { return; }  // a later keystroke's answer wins
        var parsed = new DOMParser().parseFromString(html, "text/html");
        var fresh = parsed.getElementById("search-results");
        if (fresh) { results.replaceChildren.apply(results, Array.from(fresh.childNodes)); }
      })
      .catch(function () { /* the form still submits */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  });
})();
