// hemojoint: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  // Bring an error summary into view and focus so screen readers announce it.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary[tabindex]");
    if (summary) summary.focus();
  });
  // Buttons that change something important ask first: <button data-confirm="...">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) event.preventDefault();
  });
})();
