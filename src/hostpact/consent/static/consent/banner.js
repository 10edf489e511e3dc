/* The cookie banner: a dialog over the page's plain form (which works without this script).
   A choice is POSTed as JSON and the page reloads, so the server renders it, and its
   Content-Security-Policy, for the new choice. No request leaves this site. */
(function () {
  "use strict";
  var d = document, body = d.body, url = body.getAttribute("data-consent-url");
  var granted = (body.getAttribute("data-consent") || "").split(" ");
  var gpc = navigator.globalPrivacyControl === true, opener = null;

  function activate() {
    d.querySelectorAll('script[type="text/plain"][data-category]').forEach(function (old) {
      if (granted.indexOf(old.getAttribute("data-category")) < 0) return;
      var s = d.createElement("script");
      [].forEach.call(old.attributes, function (a) {
        if (a.name !== "type" && a.name !== "data-category") s.setAttribute(a.name, a.value);
      });
      s.nonce = old.nonce;
      s.text = old.text;
      old.replaceWith(s);
    });
  }

  function token() {
    var t = d.querySelector("input[name=csrfmiddlewaretoken]");
    return t ? t.value : "";
  }

  function post(data) {
    data.gpc = gpc;
    return fetch(url, {method: "POST", credentials: "same-origin", body: JSON.stringify(data),
      headers: {"Content-Type": "application/json", "X-CSRFToken": token()}});
  }

  function visible(box) {
    return [].filter.call(box.querySelectorAll("a[href],button,input:not([disabled])"),
      function (e) { return e.offsetParent !== null; });
  }

  function close(box) {
    box.hidden = true;
    (opener || body).focus();
  }

  function wire(box) {
    var form = box.querySelector("form"), panel = box.querySelector("fieldset");
    var more = box.querySelector("[data-consent-customise]"), fallback = false;
    box.addEventListener("keydown", function (e) {
      if (e.key === "Escape") {
        e.preventDefault();
        close(box);
      } else if (e.key === "Tab") {
        var f = visible(box), first = f[0], last = f[f.length - 1];
        if (e.shiftKey && d.activeElement === first) { last.focus(); e.preventDefault(); }
        else if (!e.shiftKey && d.activeElement === last) { first.focus(); e.preventDefault(); }
      }
    });
    more.addEventListener("click", function (e) {
      e.preventDefault();
      panel.hidden = !panel.hidden;
      more.setAttribute("aria-expanded", String(!panel.hidden));
      if (!panel.hidden) panel.querySelector("input:not([disabled])").focus();
    });
    form.addEventListener("submit", function (e) {
      var b = e.submitter;
      if (fallback || !b) return;
      e.preventDefault();
      var cats = [].map.call(form.querySelectorAll("input[name=categories]:checked:not([disabled])"),
        function (c) { return c.value; });
      post({action: b.value, categories: b.value === "save" ? cats : []}).then(function (r) {
        if (!r.ok) throw r;
        location.reload();
      }).catch(function () { fallback = true; form.requestSubmit(b); });
    });
  }

  function open(box, modal) {
    box.hidden = false;
    box.classList.remove("hp-consent-page");
    box.classList.toggle("hp-modal", modal);
    box.setAttribute("role", "dialog");
    if (modal) box.setAttribute("aria-modal", "true");
    box.setAttribute("aria-labelledby", "hp-consent-title");
    box.querySelector("[data-consent-customise]").setAttribute("aria-expanded",
      String(!box.querySelector("fieldset").hidden));
    box.querySelector("button").focus();
  }

  var box = d.getElementById("hp-consent");
  if (box && !box.classList.contains("hp-consent-page")) {
    wire(box);
    open(box, false);
  }
  var link = d.querySelector("[data-consent-open]");
  if (link) link.addEventListener("click", function (e) {
    e.preventDefault();
    opener = link;
    var shown = d.getElementById("hp-consent");
    if (shown && !shown.classList.contains("hp-consent-page")) { open(shown, true); return; }
    fetch(link.href, {credentials: "same-origin"}).then(function (r) { return r.text(); })
      .then(function (html) {
        var found = new DOMParser().parseFromString(html, "text/html").getElementById("hp-consent");
        if (!found) { location.href = link.href; return; }
        if (shown) shown.remove();
        body.appendChild(d.importNode(found, true));
        var fresh = d.getElementById("hp-consent");
        wire(fresh);
        open(fresh, true);
      });
  });
  activate();
  if (gpc && body.getAttribute("data-consent-gpc") !== "1" && token()) {
    post({action: "gpc"}).then(function (r) { if (r.ok) location.reload(); });
  }
})();
