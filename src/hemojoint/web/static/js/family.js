// Family pages: small enhancements; every form works without this file.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // The family's UTC offset, so that "today" and a bleed's start time are the family's own.
    document.querySelectorAll("[data-tz-offset]").forEach(function (input) {
      if (input.value) return; // a re-shown form keeps what was sent
      var now = new Date();
      input.value = String(now.getTimezoneOffset());
      // The server filled "now" in UTC; show the family's own clock instead.
      var local = new Date(now.getTime() - now.getTimezoneOffset() * 60000);
      input.form.querySelectorAll("[data-now]").forEach(function (field) {
        field.value = local.toISOString().slice(0, 16);
      });
    });
    // Print the plan shown in the frame (without JavaScript the links open it to print).
    var button = document.querySelector("[data-print-frame]");
    if (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var frame = document.getElementById(button.getAttribute("data-print-frame"));
        if (frame && frame.contentWindow) frame.contentWindow.print();
      });
    }
  });
})();
