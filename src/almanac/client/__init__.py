"""``almanac.client``: what a face calls (the CLI, the desktop app) — login, open the local
store, add/change/delete/list/search records, sync, conflicts, restore (R8, R12–R14;
issue 3). Part of the core: no UI, no HTTP library. It talks to the server through a
``Transport`` (``transport``), whose HTTP implementation lives outside the core, in
``almanac.remote``.

- ``transport``: the ``Transport`` protocol (login, logout, pull, push) and ``Session``;
- ``facade``: ``Client``, one open profile: every edit commits locally at once and is queued;
  only ``login``, ``sync``, ``restore`` and ``logout`` touch the network;
- ``profiles``: the keys at login (new profile, or re-keyed after a password change on the
  server) and at an offline open;
- ``engine``: one sync — push the outbox in waves, pull every page, the safety stops,
  resync, progress;
- ``rebuild``: a damaged store moved aside and rebuilt, salvaged edits queued again;
- ``reports``: what a sync or a status returns to a face;
- ``agenda``: the person's calendar ``Agenda`` from the store (``Client.agenda``);
- ``reminders``: which reminders to show now, each once (``Client.due_reminders``,
  ``Client.mark_fired``; kept in the store's meta);
- ``contact_search``: the address book's advanced search (``Client.search_contacts``).
"""

from almanac.client.facade import Client
from almanac.client.reports import Status, SyncProgress, SyncReport
from almanac.client.transport import Session, Transport, TransportFactory

__all__ = [
    "Client",
    "Session",
    "Status",
    "SyncProgress",
    "SyncReport",
    "Transport",
    "TransportFactory",
]
