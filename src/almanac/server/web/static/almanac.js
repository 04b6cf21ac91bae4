/* Almanac pages: the little JavaScript of our own (no framework, nothing from elsewhere).
   - the phone menu: the menu button opens and closes the navigation;
   - forms with data-confirm ask before they are sent (deletions);
   - a date's month and day choices read 正月/初一 while 农历 is picked, numbers for 公历
     (each option carries both labels; the values stay the numbers).
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

  function relabel(fieldset) {
    var picked = fieldset.querySelector('input[type=radio][value="lunar"]');
    var lunar = Boolean(picked && picked.checked);
    fieldset.querySelectorAll("select.date-part option[data-solar]").forEach(function (option) {
      var name = option.getAttribute("data-lunar");
      option.textContent = lunar && name ? name : option.getAttribute("data-solar");
      option.hidden = lunar && !name && !option.selected;
    });
  }

  function setUpDateLabels() {
    document.querySelectorAll("fieldset.datespec").forEach(function (fieldset) {
      fieldset.querySelectorAll("input[type=radio]").forEach(function (radio) {
        radio.addEventListener("change", function () {
          relabel(fieldset);
        });
      });
      relabel(fieldset); /* a draft put back by offline.js may have switched the calendar */
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpMenu();
    setUpConfirms();
    setUpDateLabels();
  });
})();
