/* Almanac pages: due reminders (issue 4 §6, issue 5; R6, R7, R9). Ours, no framework.
   While a logged-in page is open (#reminder-panel in base.html; its words come from the server
   in data- attributes) this asks /reminders/due.json every minute — the server computes what
   is due in the person's time zone — and shows each reminder in a dismissible panel under the
   top bar: the title (a link to the item), when, the days until it, the age a birthday turns.
   - Once per occurrence per browser: the keys shown (with their moment, pruned after 8 days)
     and the server's "now" of the last answer are kept in localStorage
     (almanac.reminders|<person>); the next question asks only since then, so a reminder that
     came due while no page was open is listed on the first page after ("missed", under its
     own heading). Several tabs share the keys: each reminder is shown by one of them.
   - The browser's Notification API is used only once the person has allowed it (the button).
   A failed question is simply asked again a minute later, from the same moment. */
(function () {
  "use strict";
  var PREFIX = "almanac.reminders|";
  var EVERY_MS = 60 * 1000;
  var KEEP_MS = 8 * 24 * 3600 * 1000; /* the server looks back a week at most */
  var panel = null;
  var timer = null;
  var asking = false;

  function word(name, n) {
    var text = panel.getAttribute("data-" + name) || "";
    return n === undefined ? text : text.replace("{n}", String(n));
  }

  /* ---- what this browser has shown ---- */
  function storeKey() {
    return PREFIX + panel.getAttribute("data-owner");
  }

  function readState() {
    try {
      var state = JSON.parse(localStorage.getItem(storeKey()) || "{}");
      if (state && typeof state === "object") {
        if (!state.fired || typeof state.fired !== "object") state.fired = {};
        return state;
      }
    } catch (e) { /* unreadable: start again */ }
    return { last: null, fired: {} };
  }

  function writeState(state) {
    var oldest = Date.now() - KEEP_MS;
    Object.keys(state.fired).forEach(function (key) {
      if (!(state.fired[key] > oldest)) delete state.fired[key];
    });
    try {
      localStorage.setItem(storeKey(), JSON.stringify(state));
    } catch (e) { /* storage full or off: shown again next time, never lost */ }
  }

  /* ---- the panel ---- */
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function button(text, className, onClick) {
    var node = element("button", "button small " + className, text);
    node.type = "button";
    node.addEventListener("click", onClick);
    return node;
  }

  function group(missed) {
    var name = missed ? "reminder-missed" : "reminder-now";
    var found = panel.querySelector("." + name);
    if (found) return found.querySelector("ul");
    var box = element("div", "reminder-group " + name);
    box.appendChild(element("h2", "reminder-heading", word(missed ? "missed" : "title")));
    box.appendChild(element("ul", "reminder-list"));
    /* what is due now first, then the missed ones, then the buttons */
    var before = missed ? null : panel.querySelector(".reminder-missed");
    panel.insertBefore(box, before || panel.querySelector(".reminder-tools"));
    return box.querySelector("ul");
  }

  function tools() {
    if (panel.querySelector(".reminder-tools")) return;
    var box = element("div", "reminder-tools");
    if ("Notification" in window && Notification.permission === "default") {
      box.appendChild(button(word("allow"), "ghost reminder-allow", function (event) {
        var allow = event.currentTarget;
        Notification.requestPermission().then(function () {
          if (Notification.permission !== "default") allow.remove();
        });
      }));
    }
    box.appendChild(button(word("dismiss-all"), "ghost reminder-close", close));
    panel.appendChild(box);
  }

  function close() {
    panel.hidden = true;
    panel.textContent = "";
  }

  function tidy() {
    panel.querySelectorAll(".reminder-group").forEach(function (box) {
      if (!box.querySelector("li")) box.remove();
    });
    if (!panel.querySelector("li")) close();
  }

  function details(r) {
    var parts = [r.when];
    if (r.days_until === 0) parts.push(word("today"));
    else if (r.days_until > 0) parts.push(word("in-days", r.days_until));
    else parts.push(word("days-ago", -r.days_until));
    if (r.age) parts.push(word("age", r.age));
    else if (r.years) parts.push(word("years", r.years));
    return parts.join(" · ");
  }

  function show(r) {
    var item = element("li", "reminder-item kind-" + r.kind);
    item.setAttribute("data-key", r.key);
    var text = element("div", "reminder-text");
    var link = element("a", "reminder-title", r.title);
    link.href = r.link;
    text.appendChild(link);
    text.appendChild(element("p", "reminder-when", details(r)));
    item.appendChild(text);
    item.appendChild(button(word("dismiss"), "ghost reminder-dismiss", function () {
      item.remove();
      tidy();
    }));
    tools();
    group(r.missed).appendChild(item);
    panel.hidden = false;
  }

  function notify(r) {
    if (!("Notification" in window) || Notification.permission !== "granted") return;
    try {
      var note = new Notification(r.title, { body: details(r), tag: r.key });
      note.onclick = function () { window.focus(); location.href = r.link; };
    } catch (e) { /* some browsers allow notifications from a service worker only */ }
  }

  /* ---- asking the server ---- */
  function ask() {
    if (asking) return;
    asking = true;
    var state = readState();
    var url = panel.getAttribute("data-url");
    if (state.last) url += "?since=" + encodeURIComponent(state.last);
    fetch(url, { credentials: "same-origin", cache: "no-store",
                 headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (response.status === 401) { stop(); return null; }
        return response.ok ? response.json() : null;
      })
      .then(function (body) {
        if (body) take(body);
      })
      .catch(function () { /* offline: asked again from the same moment */ })
      .then(function () { asking = false; });
  }

  function take(body) {
    var state = readState(); /* again: another tab may have shown some meanwhile */
    var fresh = body.reminders.filter(function (r) { return !state.fired[r.key]; });
    fresh.forEach(function (r) { state.fired[r.key] = Date.parse(r.fire_at) || Date.now(); });
    state.last = body.now;
    writeState(state);
    fresh.forEach(function (r) {
      show(r);
      if (!r.missed) notify(r);
    });
  }

  function stop() {
    if (timer) clearInterval(timer);
    timer = null;
  }

  /* ---- the forms' reminder rows: "添加提醒" shows the next empty row, "移除" empties one ---- */
  function setUpRows(box) {
    var add = box.querySelector(".reminder-add");
    var rows = Array.prototype.slice.call(box.querySelectorAll(".reminder-row"));
    function hiddenRows() { return rows.filter(function (row) { return row.hidden; }); }
    function visibleRows() { return rows.filter(function (row) { return !row.hidden; }); }
    function update() { add.hidden = hiddenRows().length === 0; }
    add.addEventListener("click", function () {
      var next = hiddenRows()[0];
      if (!next) return;
      next.hidden = false;
      next.querySelector("input").focus();
      update();
    });
    rows.forEach(function (row) {
      var remove = row.querySelector(".reminder-remove");
      remove.hidden = false;
      remove.addEventListener("click", function () {
        row.querySelectorAll("input").forEach(function (input) {
          input.value = "";
          input.dispatchEvent(new Event("input", { bubbles: true })); /* offline.js keeps it */
        });
        if (visibleRows().length > 1) {
          row.hidden = true;
          box.insertBefore(row, add); /* the emptied row is the last one offered again */
          rows.splice(rows.indexOf(row), 1);
          rows.push(row);
        }
        update();
      });
    });
    /* a draft put back by offline.js (its 恢复 button) may fill a hidden row: show it */
    document.addEventListener("click", function () {
      rows.forEach(function (row) {
        if (row.hidden && Array.prototype.some.call(row.querySelectorAll("input"),
                                                    function (input) { return input.value; })) {
          row.hidden = false;
        }
      });
      update();
    });
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".reminder-rows").forEach(setUpRows);
    panel = document.getElementById("reminder-panel");
    if (!panel || !window.fetch || !window.localStorage) return;
    ask();
    timer = setInterval(ask, EVERY_MS);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible" && timer) ask();
    });
  });
})();
