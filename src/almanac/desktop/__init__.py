"""``almanac.desktop``: the PC app (issue 6; R1, R4–R8, R10, R12, R14), Qt for Python.

A face, not part of the core: it may import PySide6 and ``almanac.remote``. It works only
through ``almanac.client.Client`` (and ``almanac.calendar`` for calendar knowledge); it never
touches the store's tables or the server's code.

- ``main``: the ``QApplication`` and ``run`` (login dialog, then the main window);
- ``login``: the login dialog (server, user, password; offline open when the server is away);
- ``window``: the main window — navigation, menu bar, status bar;
- ``workers``: network work (login, sync) in worker threads, results back as signals;
- ``errors``: the one place an error becomes words (field problems too, both languages), the
  error dialog, ``sys.excepthook``;
- error reports and severe errors (R10): ``report_dialog`` (the report shown in full; Send /
  Don't send), ``report_payload`` (what a report holds, scrubbed), ``report_send`` (sent, or
  kept until the next sync; the support contact), ``report_rescue`` (the store cannot be
  written: the typed text sealed with the data key, the app closed; offered back at the next
  login) + ``rescued_dialog`` (the rescued text: copy, save as memo, dismiss, later);
- ``help_dialogs``: 帮助 — the user guide, customer service;
- ``i18n`` (+ ``i18n_en``): the words (zh-CN default, English by the person's setting), and
  dates, lunar dates, festival and term names in the current language;
- ``prefs``: what the app remembers locally (server, user, last language) — never the
  password; the person's own settings (R3) are ``Client.preferences`` (an old file's clock
  choice is carried into them once);
- ``settings_dialog``: 编辑 → 设置… edits the person's settings (saved offline, synced);
- pages: ``contacts`` (+ ``record_model``, ``contact_dialog``, ``groups``,
  ``advanced_search``), ``memos``, ``dates`` (birthdays and holidays), ``calendar_page``
  (+ ``calendar_grid``: the month grid; ``clock``; ``day_events``: the chosen day's events,
  opened in ``event_dialog`` with its repeat choice ``event_repeat``), ``upcoming`` (提醒:
  the next days), ``sync_page``;
- ``reminders`` (+ ``reminders_popup``, ``agenda_text``): due reminders popped up, the
  missed ones listed at start (an agenda item told in the app's words), an item opened from
  them; ``reminder_editor``: the reminder
  rows of the birthday, holiday and memo forms;
- ``forms``: small shared form helpers (field errors by name, date inputs).
"""
