// Sign-up: show only the newsletters-and-promotions box that applies to the chosen country.
// Without this script both boxes show, each saying where it applies; the server decides by
// the country posted, so the script is a convenience only.
(function () {
  "use strict";
  var form = document.querySelector("form[data-opt-in-countries]");
  if (!form) { return; }
  var optIn = form.getAttribute("data-opt-in-countries").split(" ");
  var country = form.querySelector("[name=country]");
  var decline = form.querySelector("[name=marketing_decline]");
  var ask = form.querySelector("[name=marketing_opt_in]");
  if (!country || !decline || !ask) { return; }
  function field(input) { return input.closest(".field") || input.parentNode; }
  function update() {
    var asks = optIn.indexOf((country.value || "").toUpperCase()) !== -1;
    // style, not the hidden attribute: the site's CSS sets .field's display.
    field(decline).style.display = asks ? "none" : "";
    field(ask).style.display = asks ? "" : "none";
  }
  country.addEventListener("change", update);
  update();
}());
