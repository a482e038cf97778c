// Entry forms: an item marked NE (not evaluable) needs a reason instead of a number.
// Without this script the server still refuses an NE without a reason.
(function () {
  "use strict";
  function sync(toggle) {
    var number = document.getElementById(toggle.getAttribute("data-ne-toggle"));
    var reason = document.getElementById(toggle.getAttribute("data-ne-toggle") + "-reason");
    if (!number || !reason) { return; }
    number.required = !toggle.checked;
    number.disabled = toggle.checked;
    reason.required = toggle.checked;
    // The reason box is shown only for an item marked NE (a reason already typed stays visible).
    var box = document.getElementById(toggle.getAttribute("data-ne-toggle") + "-reason-box");
    if (box) { box.hidden = !toggle.checked && !reason.value; }
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("[data-ne-toggle]")) { sync(event.target); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-ne-toggle]").forEach(sync);
  });
})();
