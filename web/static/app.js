/* Progressive enhancement only: every page works without this file.
   No inline scripts anywhere, so a Content-Security-Policy without 'unsafe-inline' can be set. */
(function () {
  "use strict";

  function flash(button, text) {
    var original = button.getAttribute("data-label") || button.textContent;
    button.setAttribute("data-label", original);
    button.textContent = text;
    window.setTimeout(function () { button.textContent = original; }, 2000);
  }

  function selectInput(input) {
    input.focus();
    input.select();
    input.setSelectionRange(0, input.value.length);
  }

  /* Copy-citation buttons: the clipboard API where allowed (https or localhost),
     otherwise select the readonly citation so Ctrl+C / long-press copies it. */
  function setUpCopyButtons() {
    var buttons = document.querySelectorAll("button.copy-button[data-copy-target], button.copy-gbt[data-copy-target]");
    Array.prototype.forEach.call(buttons, function (button) {
      var input = document.getElementById(button.getAttribute("data-copy-target"));
      if (!input) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        var text = input.value;
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(
            function () { flash(button, "已复制"); },
            function () { selectInput(input); flash(button, "请按 Ctrl+C"); }
          );
        } else {
          selectInput(input);
          var copied = false;
          try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
          flash(button, copied ? "已复制" : "请按 Ctrl+C");
        }
      });
    });
  }

  /* A readonly citation is selected whole on focus, so one keystroke copies it. */
  function setUpCitationInputs() {
    var inputs = document.querySelectorAll("input.cite-text, input.gbt-text");
    Array.prototype.forEach.call(inputs, function (input) {
      input.addEventListener("focus", function () { input.select(); });
    });
  }

  /* Landing on /doc/<id>#<clause>, or on the results after a filter, sort or page link
     (#results-heading): move focus there, so keyboard users start at what changed
     instead of at the top of the page. */
  function focusTarget() {
    if (!location.hash) { return; }
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!target) { return; }
    if (target.classList.contains("clause")) {
      target.focus({ preventScroll: true });
      target.scrollIntoView({ block: "start" });
    } else if (target.id === "results-heading") {
      target.focus({ preventScroll: true });  // the browser has scrolled to it already
    }
  }

  /* A search form goes by GET, so its results have a URL, unless its text is too long
     for one (a pasted passage: 2,000 characters are about 18 KB percent-encoded); then POST. */
  function setUpLongQueries() {
    var forms = document.querySelectorAll("form[data-url-budget]");
    Array.prototype.forEach.call(forms, function (form) {
      var budget = parseInt(form.getAttribute("data-url-budget"), 10);
      form.addEventListener("submit", function () {
        var size = new URLSearchParams(new FormData(form)).toString().length;
        form.method = size > budget ? "post" : "get";
      });
    });
  }

  /* The results of a passage too long for a URL: their filter, sort, page and export links
     search the passage's key words (what a browser without this script gets); a click POSTs
     the same state with the passage itself. */
  function setUpPassageLinks() {
    var state = document.getElementById("passage-state");
    var linkQ = state && state.getAttribute("data-link-q");
    if (!linkQ) { return; }
    var passage = state.elements.q.value;
    var paths = state.getAttribute("data-paths").split(" ");
    document.addEventListener("click", function (event) {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey ||
          event.altKey) { return; }
      var link = event.target.closest ? event.target.closest("a[href]") : null;
      if (!link) { return; }
      var url = new URL(link.href, location.href);
      if (url.origin !== location.origin || paths.indexOf(url.pathname) < 0 || url.searchParams.get("q") !== linkQ) {
        return;
      }
      event.preventDefault();
      postSearch(url, passage);
    });
  }

  function postSearch(url, passage) {
    var form = document.createElement("form");
    form.method = "post";
    form.action = url.pathname + url.hash;
    form.hidden = true;
    var fields = [["q", passage]];
    url.searchParams.forEach(function (value, name) { if (name !== "q") { fields.push([name, value]); } });
    fields.forEach(function (field) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = field[0];
      input.value = field[1];
      form.appendChild(input);
    });
    document.body.appendChild(form);
    form.submit();
  }

  /* The filters sit above the results on a narrow screen: folded there, one tap away; open
     beside the results on a wide one (its summary is hidden there). */
  function setUpFilters() {
    var filters = document.querySelector("details.filters");
    if (!filters || !window.matchMedia) { return; }
    var wide = window.matchMedia("(min-width: 720px)");
    function fit() { filters.open = wide.matches; }
    fit();
    wide.addEventListener("change", fit);
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpCopyButtons();
    setUpCitationInputs();
    setUpLongQueries();
    setUpPassageLinks();
    setUpFilters();
    focusTarget();
  });
  window.addEventListener("hashchange", focusTarget);
})();
