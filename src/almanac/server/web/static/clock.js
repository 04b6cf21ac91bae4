/* Almanac's live clock (R7), our own few lines. The server renders the clock (#clock) with
   the person's choice in data-clock-format ("24h" | "12h") and data-clock-visible ("1" |
   "0"), their time zone in data-clock-zone and the words it needs in data-*. This script:
   - ticks the time every second in that zone (上午/下午 or AM/PM in 12-hour form);
   - a click on the time switches 24h <-> 12h, a click on the clock icon hides or shows the
     time (the icon stays), and the choice is sent to POST /calendar/clock (CSRF token from
     the clock's own form) so it is remembered on every device.
   Without script the same two buttons submit that form and the server redirects back. */
(function () {
  "use strict";

  function pad(n) { return n < 10 ? "0" + n : String(n); }

  function nowIn(zone) {
    var d = new Date();
    try {
      var parts = {};
      new Intl.DateTimeFormat("en-GB", {
        timeZone: zone, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23"
      }).formatToParts(d).forEach(function (p) { parts[p.type] = p.value; });
      return { h: Number(parts.hour) % 24, m: Number(parts.minute), s: Number(parts.second) };
    } catch (e) {
      return { h: d.getHours(), m: d.getMinutes(), s: d.getSeconds() };
    }
  }

  function clockText(box, t) {
    var clock = pad(t.m) + ":" + pad(t.s);
    if (box.dataset.clockFormat !== "12h") return pad(t.h) + ":" + clock;
    var half = t.h < 12 ? box.dataset.am : box.dataset.pm;
    var hour = (t.h % 12 || 12) + ":" + clock;
    return box.dataset.clockLang === "en" ? hour + " " + half : half + " " + hour;
  }

  function show(box) {
    var time = box.querySelector(".clock-time");
    var icon = box.querySelector(".clock-icon");
    var visible = box.dataset.clockVisible === "1";
    var twelve = box.dataset.clockFormat === "12h";
    time.hidden = !visible;
    box.classList.toggle("clock-off", !visible);
    icon.setAttribute("aria-pressed", visible ? "true" : "false");
    icon.setAttribute("aria-label", visible ? box.dataset.hide : box.dataset.show);
    icon.title = visible ? box.dataset.hide : box.dataset.show;
    icon.value = visible ? "0" : "1";
    time.value = twelve ? "24h" : "12h";
    time.title = twelve ? box.dataset.to24h : box.dataset.to12h;
    var body = document.body.dataset;  // keep <body data-clock-*> (the settings) in step
    if (body.clockFormat) body.clockFormat = box.dataset.clockFormat;
    if (body.clockVisible) body.clockVisible = box.dataset.clockVisible;
  }

  function draw(box) {
    var t = nowIn(box.dataset.clockZone);
    var label = box.querySelector(".clock-time time");
    label.textContent = clockText(box, t);
    label.setAttribute("datetime", pad(t.h) + ":" + pad(t.m) + ":" + pad(t.s));
  }

  function tick(box) {  // once a second, just after the second turns
    draw(box);
    window.setTimeout(function () { tick(box); }, 1000 - (Date.now() % 1000) + 5);
  }

  function save(form, name, value) {
    var data = new FormData(form);
    data.set(name, value);
    data.set("js", "1");
    return window.fetch(form.action, {
      method: "POST", body: data, credentials: "same-origin", redirect: "manual"
    }).catch(function () { /* offline: the page keeps the choice until it is reloaded */ });
  }

  function setUp(box) {
    var form = box.querySelector("form");
    box.querySelector(".clock-time").addEventListener("click", function (event) {
      event.preventDefault();
      box.dataset.clockFormat = box.dataset.clockFormat === "12h" ? "24h" : "12h";
      show(box);
      draw(box);
      save(form, "clock_format", box.dataset.clockFormat);
    });
    box.querySelector(".clock-icon").addEventListener("click", function (event) {
      event.preventDefault();
      box.dataset.clockVisible = box.dataset.clockVisible === "1" ? "0" : "1";
      show(box);
      save(form, "clock_visible", box.dataset.clockVisible);
    });
    show(box);
    tick(box);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("clock");
    if (box) setUp(box);
  });
})();
