// casebook serve: keyboard shortcuts for the review queue. The pages work
// without this file; it only saves a researcher's hands.
//   a accept, r reject, e edit (first field), j next, k previous
(function () {
  "use strict";
  function typing(el) {
    return el && (el.tagName === "INPUT" || el.tagName === "SELECT" ||
                  el.tagName === "TEXTAREA" || el.isContentEditable);
  }
  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (typing(document.activeElement)) {
      if (ev.key === "Escape") document.activeElement.blur();
      return;
    }
    var target = null;
    switch (ev.key) {
      case "a": target = document.getElementById("accept"); break;
      case "r": target = document.getElementById("reject"); break;
      case "j": target = document.getElementById("next"); break;
      case "k": target = document.getElementById("prev"); break;
      case "e": {
        var f = document.querySelector("#edit select, #edit input:not([type=hidden])");
        if (f) { f.focus(); ev.preventDefault(); }
        return;
      }
      default: return;
    }
    if (target) { ev.preventDefault(); target.click(); }
  });
})();
