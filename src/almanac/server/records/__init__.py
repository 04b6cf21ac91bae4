"""``almanac.server.records``: the server's record storage, shared by the JSON API, the web
pages, the demo-data seeder and the sync protocol (R4–R6, R8, R13, R15).

It owns the ``records`` and ``record_terms`` tables and the per-person change counter
``users.last_change_no`` (tables in ``almanac.server.db.tables``); content comes from
``almanac.model``. The contract:

- Every create, update and delete is one transaction whose first statement takes a change
  number from the owner's counter, which serialises one person's writes; the record row gets
  that number (strictly increasing per person; the only numbers no record carries are those
  of sync conflict settlements, ``almanac.server.sync``). Version is 1 on create and goes
  up by one on every change, the delete included. Times are aware UTC, to the second.
- Content is stored as JSON text; the search terms are replaced on every write of this
  store. A sync push's bulk path leaves them to the term backlog (``backlog``): every read
  of ``record_terms`` catches the person up first, and ``indexer`` does it in the
  background once their pushes pause, so no reader sees a stale term. Every
  version written (create, change, delete, unlinking) also goes to ``record_versions``
  (``history``), which the sync merge reads its base from.
- A delete keeps a tombstone (``deleted``, new version and change number, no terms, last
  content kept) that ``changes_since`` reports and ``get``/``list``/``update``/``delete`` do
  not see. Records that reference the deleted one are unlinked in the same transaction
  (a group leaves its contacts, a contact's birthdays lose ``contact_id``).
- Another person's id, another kind's id or a tombstone's id → ``NotFound(kind, id)``.
  References to unknown records → ``InvalidInput`` on that field (code
  ``unknown_reference``); a taken unique value (a group name) → ``Duplicate(field)``; a taken
  client-chosen id → ``Duplicate("id")``; a stale ``expected_version`` → ``VersionConflict``.
  Nothing is stored when any error is raised.
- ``list`` pages live records in ``(sort_key, id)`` order with an opaque cursor; ``q`` and
  filters narrow it (see ``query`` for the plans).

Modules: ``store`` (``RecordStore``), ``stored`` (``StoredRecord``, ``Page``), ``query``
(listing and search plans), ``clauses`` (their SQL), ``cursor`` (cursors, prefix ranges),
``terms`` (term rows, reference and uniqueness checks), ``backlog`` (the term backlog and
its catch-up), ``indexer`` (its background thread), ``cascade`` (unlinking on delete),
``writes`` (counter and row writes), ``history`` (``record_versions``).
"""

from almanac.server.records.cursor import decode_cursor, encode_cursor
from almanac.server.records.store import MAX_CHANGES, MAX_LIMIT, RecordStore
from almanac.server.records.stored import Page, StoredRecord

__all__ = [
    "MAX_CHANGES",
    "MAX_LIMIT",
    "Page",
    "RecordStore",
    "StoredRecord",
    "decode_cursor",
    "encode_cursor",
]
