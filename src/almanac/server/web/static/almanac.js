/* Almanac pages: the little JavaScript of our own (no framework, nothing from elsewhere).
   - the phone menu: the menu button opens and closes the navigation;
   - forms with data-confirm ask before they are sent (deletions).
   Everything works without it: the navigation is simply always shown. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function setUpMenu() {
    var button = document.querySelector(".menu-toggle");
    var nav = document.getElementById("mainnav");
    if (!button || !nav) return;
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") === "true";
      button.setAttribute("aria-expanded", open ? "false" : "true");
      nav.classList.toggle("open", !open);
    });
  }

  function setUpConfirms() {
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpMenu();
    setUpConfirms();
  });
})();
