"""``almanac.client``: what a face calls (the CLI, the desktop app) — login, open the local
store, add/change/delete/list/search records, sync, conflicts, restore (R8, R12–R14;
issue 3). Part of the core: no UI, no HTTP library. It talks to the server through a
``Transport`` (``transport``), whose HTTP implementation lives outside the core, in
``almanac.remote``.

- ``transport``: the ``Transport`` protocol (login, logout, pull, push) and its results;
- ``facade``: ``Client``, one open profile: every edit commits locally at once and is queued;
  only ``login`` and ``sync`` touch the network;
- ``engine``: one sync — push the outbox in waves, pull every page, the safety stop,
  resync, progress;
- ``reports``: what a sync or a status returns to a face.
"""
