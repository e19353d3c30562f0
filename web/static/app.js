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
    var buttons = document.querySelectorAll("button.copy-button[data-copy-target]");
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
    var inputs = document.querySelectorAll("input.cite-text");
    Array.prototype.forEach.call(inputs, function (input) {
      input.addEventListener("focus", function () { input.select(); });
    });
  }

  /* Landing on /doc/<id>#<clause>: move focus to the clause so keyboard users start there. */
  function focusTarget() {
    if (!location.hash) { return; }
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target && target.classList.contains("clause")) {
      target.focus({ preventScroll: true });
      target.scrollIntoView({ block: "start" });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpCopyButtons();
    setUpCitationInputs();
    focusTarget();
  });
  window.addEventListener("hashchange", focusTarget);
})();
