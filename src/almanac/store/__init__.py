"""``almanac.store``: the encrypted local store of one profile (R12, R13; issue 3 §1, §5) —
part of the core: standard library, pydantic, sqlcipher3, argon2-cffi, cryptography,
platformdirs, ``almanac.errors``, ``almanac.model`` and ``almanac.sync``; never a face.

What it owns:

- ``paths``: where profiles live. The home is ``--home DIR`` (passed in), else
  ``ALMANAC_HOME``, else platformdirs' user-data folder for ``almanac``. A profile (one server
  + one person) is the folder ``<home>/profiles/<slug>/``; ``<home>/current`` names the one
  in use. A profile holds ``profile.json`` (plain: server URL, user name, device name, the
  key file below) and ``store.db`` (SQLCipher: noise without the key).
- ``keys``: the store's random 256-bit data key, wrapped (AES-GCM) twice — by a key derived
  from the person's password (Argon2id, salt and costs in the profile) and by the server's
  per-person store secret (given only at an online login), so that a password changed on
  the server re-keys the store at the next online login without losing unsynced edits. The
  device token is sealed with the data key. Files are replaced atomically.
- ``rekey``: a full re-key (a new data key, ``PRAGMA rekey``) that survives a crash at any
  step (``profile.json.next``), and ``open_store``, which finishes an interrupted one.
- ``db``: SQLCipher connections opened with the raw data key; transactions; the schema and
  its versioned migrations (``PRAGMA user_version``), tested from every older version.
- ``local``: ``LocalStore`` — what the person sees (materialised from shadow + outbox with
  ``almanac.sync.decide.view``), the pinyin search index (the server's conditions), the
  outbox, the shadows, the cursor, stored conflicts and notices. Every change is one
  transaction; actions from ``almanac.sync.decide`` are applied as they come.
- ``rows`` (row ⇄ ``ServerState``/``Pending`` JSON), ``batch`` (shadows and item refreshes
  held for one bulk write per transaction), ``index`` (items and their search terms,
  deferred after a bulk pull), ``search`` (the server's conditions and order, keyset
  cursors), ``checks`` (an edit's references and unique values, before it is queued),
  ``wave`` (a push wave in bulk: taken and marked sent in two statements, its records'
  shadows read for their version, the answered entries dropped).
- ``seal``: small JSON values sealed in a file with the data key (``keys.seal``), for what
  must outlive a broken store but never lie on disk in the clear (the app's rescued text).
- ``changes``: ``LocalStore.changes``, a cheap counter of changes to the records (temporary
  triggers on ``items``, ``PRAGMA data_version`` for other processes), so a face can keep
  what it built from them (``Client.agenda``) until they change.
- ``recovery``: the check on open; a damaged file is moved aside (never deleted) and the
  unsynced edits still readable in it are salvaged.
"""
