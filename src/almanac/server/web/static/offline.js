/* Almanac pages: network trouble (issue 5 §5; R11, R14). Ours, no framework.
   - The banner (#net-banner in base.html; its words come from the server in data- attributes)
     says when the browser is offline or a request failed, and when the connection is back.
   - Record forms (form.record-form) are sent with fetch. When the network fails (no
     connection, a TypeError, or a 502/503/504 from a proxy) every field stays in the page and
     is kept in localStorage; once the connection is back the person can send it again: with a
     FRESH CSRF token and the version the form started from, so a record changed meanwhile
     shows the conflict page instead of being overwritten.
   - What is typed is kept in localStorage as it is typed, and offered back when the same form
     is opened again; a successful save clears it. A new record's form carries the id the
     server made for it (hidden "id"), kept with the rest: a resend names the same record, so
     it is made once even when the first send's answer was lost.
   - One-button forms (form.kept-form: delete, pin/unpin, the conflict page's "keep mine") are
     sent, kept and resent the same way; a pending one is offered again when its page shows
     the same version.
   - Logging out removes the person's drafts from this browser (a shared computer).
   Any other answer of the server is followed as a normal submit would be. Without this
   script the forms are plain HTML forms. */
(function () {
  "use strict";
  var PREFIX = "almanac.draft|";
  var BACK_FLAG = "almanac.back";
  var TOKEN = "csrf_token";
  var GATEWAY = [502, 503, 504];
  var PROBE_MS = 2000;
  var TYPING_MS = 400;
  var NOT_COMPARED = ["id", TOKEN]; /* a new form's id differs on each rendering */
  var banner = null;
  var probeTimer = null;
  var troubled = false;
  /* Set when this page's document is replaced by the server's answer (document.write keeps
     the same window, its timers and listeners): from then on the new page's script is in
     charge, and this one must not keep, probe or offer anything for forms no longer shown. */
  var retired = false;
  var forms = [];

  function word(name) {
    return banner.getAttribute("data-" + name) || "";
  }

  /* ---- the banner ---- */
  function say(kind, text, actions) {
    var words = banner.querySelector(".net-text");
    var box = banner.querySelector(".net-actions");
    banner.className = "net-banner " + kind;
    words.textContent = text;
    box.textContent = "";
    (actions || []).concat([[word("close"), hide, "ghost"]]).forEach(function (action) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button small " + (action[2] || "primary");
      button.textContent = action[0];
      button.addEventListener("click", action[1]);
      box.appendChild(button);
    });
    banner.hidden = false;
  }

  function hide() {
    banner.hidden = true;
  }

  /* ---- drafts in localStorage: almanac.draft|<person>|<form action>|<version> ---- */
  function pairsOf(form) {
    var pairs = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== TOKEN && typeof value === "string") pairs.push([name, value]);
    });
    return pairs;
  }

  function actionOf(form) {
    return new URL(form.action, location.href).pathname;
  }

  function stem(action) {
    return PREFIX + banner.getAttribute("data-owner") + "|" + action + "|";
  }

  function versionIn(pairs) {
    for (var i = 0; i < pairs.length; i++) if (pairs[i][0] === "version") return pairs[i][1];
    return "new";
  }

  /* A failed send stays pending while the person goes on typing: it is still unsent. */
  function keep(form, pending) {
    if (retired) return;
    var pairs = pairsOf(form);
    var draft = {
      action: actionOf(form),
      page: location.pathname + location.search,
      pairs: pairs,
      saved: Date.now(),
      pending: pending,
    };
    var key = stem(draft.action) + versionIn(pairs);
    try {
      var before = JSON.parse(localStorage.getItem(key) || "null");
      draft.pending = pending || Boolean(before && before.pending);
    } catch (error) {
      /* not ours to read: it is replaced */
    }
    try {
      localStorage.setItem(key, JSON.stringify(draft));
    } catch (error) {
      /* storage full or refused: the values are still in the page */
    }
    return draft;
  }

  function draftsOf(action) {
    var start = stem(action);
    var keys = [];
    for (var i = 0; i < localStorage.length; i++) keys.push(localStorage.key(i));
    var found = [];
    keys.forEach(function (key) {
      if (!key || key.indexOf(start) !== 0) return;
      try {
        found.push({ key: key, draft: JSON.parse(localStorage.getItem(key)) });
      } catch (error) {
        localStorage.removeItem(key); /* not ours to read: drop it */
      }
    });
    return found;
  }

  function newestDraft(action) {
    var newest = null;
    draftsOf(action).forEach(function (item) {
      if (!newest || item.draft.saved > newest.saved) newest = item.draft;
    });
    return newest;
  }

  function forget(action) {
    draftsOf(action).forEach(function (item) {
      localStorage.removeItem(item.key);
    });
  }

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  function typedPairs(pairs) {
    return pairs.filter(function (pair) {
      return NOT_COMPARED.indexOf(pair[0]) < 0;
    });
  }

  /* Every draft of the logged-in person in this browser: gone at logout. */
  function forgetAll() {
    var start = PREFIX + banner.getAttribute("data-owner") + "|";
    var keys = [];
    for (var i = 0; i < localStorage.length; i++) keys.push(localStorage.key(i));
    keys.forEach(function (key) {
      if (key && key.indexOf(start) === 0) localStorage.removeItem(key);
    });
  }

  /* Put a draft's values back into its form; names the form lacks go in as hidden inputs, so
     nothing kept is dropped when it is sent. The version is the draft's: its base. */
  function fill(form, pairs) {
    var values = {};
    pairs.forEach(function (pair) {
      (values[pair[0]] = values[pair[0]] || []).push(pair[1]);
    });
    var used = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === TOKEN || el.type === "submit" || el.type === "button") return;
      var list = values[el.name] || [];
      used[el.name] = (used[el.name] || 0) + 1;
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = list.indexOf(el.value) >= 0;
        /* a date's 公历/农历 choice relabels its month and day (almanac.js) */
        if (el.type === "radio" && el.checked) el.dispatchEvent(new Event("change"));
      } else if (list.length >= used[el.name]) {
        el.value = list[used[el.name] - 1];
      }
    });
    Object.keys(values).forEach(function (name) {
      var has = used[name] || 0;
      values[name].slice(has).forEach(function (value) {
        if (has && form.querySelector('[name="' + CSS.escape(name) + '"][type="checkbox"]')) return;
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = name;
        input.value = value;
        form.appendChild(input);
      });
    });
  }

  /* ---- sending ---- */
  function Trouble() {}

  function post(action, body) {
    return fetch(action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "text/html" },
    }).then(function (response) {
      if (GATEWAY.indexOf(response.status) >= 0) throw new Trouble();
      return response;
    });
  }

  /* Do what the browser would have done with the server's answer. */
  function follow(response, action) {
    var landed = new URL(response.url);
    if (response.redirected && landed.pathname !== "/login") {
      forget(action); /* saved: a record page, or a list */
      location.assign(response.url);
      return null;
    }
    if (response.status === 422) forget(action); /* the form comes back with every value */
    return response.text().then(function (html) {
      stopProbe();
      retired = true;
      document.open();
      document.write(html);
      document.close();
    });
  }

  function failed(form) {
    if (retired) return;
    if (form) keep(form, true);
    troubled = true;
    say("trouble", word("failed"));
    startProbe();
  }

  function busy(form, on) {
    form.querySelectorAll("button[type=submit], button:not([type])").forEach(function (b) {
      b.disabled = on;
    });
  }

  function submit(form, event) {
    if (event.defaultPrevented) return;
    event.preventDefault();
    var action = actionOf(form);
    keep(form, false);
    if (!navigator.onLine) return failed(form);
    busy(form, true);
    post(action, new URLSearchParams(new FormData(form)))
      .then(function (response) {
        return follow(response, action);
      })
      .catch(function () {
        busy(form, false);
        failed(form);
      });
  }

  /* Send a kept change again: a fresh token from the form's page, the kept base version. */
  function resend(draft) {
    say("offer", word("sending"));
    fetch(draft.page, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (GATEWAY.indexOf(response.status) >= 0) throw new Trouble();
        return response.text().then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          var token = doc.querySelector('input[name="' + TOKEN + '"]');
          if (!token) {
            location.assign(response.url); /* e.g. logged out: the draft stays for later */
            return null;
          }
          var body = new URLSearchParams();
          body.append(TOKEN, token.value);
          draft.pairs.forEach(function (pair) {
            body.append(pair[0], pair[1]);
          });
          return post(draft.action, body).then(function (answer) {
            return follow(answer, draft.action);
          });
        });
      })
      .catch(function () {
        failed(null);
      });
  }

  /* ---- offline, and back ---- */
  function wentOffline() {
    if (retired) return;
    troubled = true;
    say("trouble", word("offline"));
    startProbe();
  }

  function startProbe() {
    if (retired) return;
    if (probeTimer === null) probeTimer = window.setTimeout(probe, PROBE_MS);
  }

  function stopProbe() {
    if (probeTimer !== null) window.clearTimeout(probeTimer);
    probeTimer = null;
  }

  function probe() {
    probeTimer = null;
    if (retired) return;
    if (!navigator.onLine) return startProbe();
    fetch("/healthz", { cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Trouble();
        cameBack();
      })
      .catch(startProbe);
  }

  function pendingHere() {
    for (var i = 0; i < forms.length; i++) {
      var draft = newestDraft(actionOf(forms[i].form));
      if (draft && draft.pending) return draft;
    }
    return null;
  }

  function dirty() {
    return forms.some(function (item) {
      return item.typed && !same(pairsOf(item.form), item.initial);
    });
  }

  /* Refresh the page's data: reload when nothing typed would be lost; otherwise fetch the page
     again and take its fresh CSRF token, leaving the typed values alone. */
  function cameBack() {
    stopProbe();
    if (!troubled) return;
    var draft = pendingHere();
    if (!draft && !dirty()) {
      try {
        sessionStorage.setItem(BACK_FLAG, "1");
      } catch (error) {
        /* the message is only lost */
      }
      location.reload();
      return;
    }
    fetch(location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (GATEWAY.indexOf(response.status) >= 0) throw new Trouble();
        return response.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var token = doc.querySelector('input[name="' + TOKEN + '"]');
        if (token) {
          document.querySelectorAll('input[name="' + TOKEN + '"]').forEach(function (input) {
            input.value = token.value;
          });
        }
        troubled = false;
        var actions = [];
        if (draft) {
          actions.push([
            word("resend"),
            function () {
              resend(draft);
            },
          ]);
        }
        say("back", word(draft ? "back-pending" : "back"), actions);
      })
      .catch(wentOffline);
  }

  /* ---- each record form ---- */
  function when(draft) {
    return new Date(draft.saved).toLocaleString(document.documentElement.lang, {
      month: "numeric",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
    });
  }

  function offerDraft(form, initial) {
    var draft = newestDraft(actionOf(form));
    if (!draft || (!draft.pending && same(typedPairs(draft.pairs), typedPairs(initial)))) return;
    say("offer", word("draft").replace("{time}", when(draft)), [
      [
        word("restore"),
        function () {
          fill(form, draft.pairs);
          hide();
        },
      ],
      [
        word("discard"),
        function () {
          forget(actionOf(form));
          hide();
        },
        "ghost",
      ],
    ]);
  }

  /* A one-button form with a change kept unsent: offered again while the page shows the
     version it was made against (a newer page has newer data: the change is not offered). */
  function offerPending(form) {
    var draft = newestDraft(actionOf(form));
    if (!draft || !draft.pending || versionIn(draft.pairs) !== versionIn(pairsOf(form))) return;
    say("offer", word("pending").replace("{time}", when(draft)), [
      [
        word("resend"),
        function () {
          resend(draft);
        },
      ],
      [
        word("discard"),
        function () {
          forget(draft.action);
          hide();
        },
        "ghost",
      ],
    ]);
  }

  /* The conflict page of a resent new record: the person's version now belongs to the edit
     form of the record the first send made, so the new form's draft moves there. */
  function moveDrafts(form) {
    var from = form.getAttribute("data-sent-from");
    if (!from || from === actionOf(form) || !draftsOf(from).length) return;
    forget(from);
    keep(form, false);
  }

  function setUpButtonForm(form) {
    moveDrafts(form);
    forms.push({ form: form, initial: pairsOf(form), typed: false });
    form.addEventListener("submit", function (event) {
      submit(form, event);
    });
    offerPending(form);
  }

  function setUpForm(form) {
    var item = { form: form, initial: pairsOf(form), typed: true };
    forms.push(item);
    var timer = null;
    function typed() {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        if (!same(pairsOf(form), item.initial)) keep(form, false);
      }, TYPING_MS);
    }
    form.addEventListener("input", typed);
    form.addEventListener("change", typed);
    form.addEventListener("submit", function (event) {
      window.clearTimeout(timer);
      submit(form, event);
    });
    offerDraft(form, item.initial);
  }

  function start() {
    banner = document.getElementById("net-banner");
    if (!banner || typeof window.fetch !== "function") return;
    try {
      localStorage.getItem(BACK_FLAG);
    } catch (error) {
      return; /* no storage: plain forms */
    }
    window.addEventListener("offline", wentOffline);
    window.addEventListener("online", function () {
      stopProbe();
      probe();
    });
    document.querySelectorAll("form.record-form").forEach(setUpForm);
    document.querySelectorAll("form.kept-form").forEach(setUpButtonForm);
    document.querySelectorAll("a[data-forget]").forEach(function (link) {
      link.addEventListener("click", function () {
        forget(link.getAttribute("data-forget")); /* "keep the saved one": mine is dropped */
      });
    });
    document.querySelectorAll('form[action="/logout"]').forEach(function (form) {
      form.addEventListener("submit", forgetAll);
    });
    var back = null;
    try {
      back = sessionStorage.getItem(BACK_FLAG);
      sessionStorage.removeItem(BACK_FLAG);
    } catch (error) {
      /* nothing to say */
    }
    if (back) say("back", word("back"));
    if (!navigator.onLine) wentOffline();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
