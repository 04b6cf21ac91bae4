"""The server half of sync (R8, R13, R14; ``docs/sync.md``): ``pull`` and ``push`` over the
SQL record store, deciding nothing themselves — every merge decision is
``almanac.sync.merge.merge``.

Contract:

- ``pull(store, owner_id, cursor, limit) -> PullResponse``: the owner's records with
  ``change_no > cursor`` (tombstones included), oldest change first, at most ``limit``;
  ``more`` when another page follows, ``next_cursor`` = the last ``change_no`` delivered
  (``cursor`` itself when nothing was). A cursor beyond the owner's counter (a server restored
  from an older backup) answers ``resync_required`` with no changes.
- ``push(store, owner_id, request) -> PushResponse``: one result per mutation, in order; each
  mutation runs in **its own transaction**, which first locks the owner's counter, then:

  1. a ``mutation_id`` already in ``applied_mutations`` → the stored result with status
     ``duplicate`` (record, conflicts and notices as the first application left them); a
     remembered rejection comes back as it was (``rejected``). Nothing is written.
  2. another person's record id → ``rejected`` ``not_found`` for an update or delete (their
     record is neither revealed nor touched); a create with an id someone else holds →
     ``rejected`` ``duplicate`` (as ``POST`` does). A kind other than the record's →
     ``rejected`` ``wrong_kind``; a ``base_version`` newer than the record → ``rejected``.
  3. ``base`` = the content at ``base_version``: the current content when the record is still
     at that version, else from ``record_versions``; None when unknown (a version written
     outside sync — then every concurrent difference counts as a conflict).
  4. ``merge(base, current, deleted, mutation, validate=validate_content)``; if it changed
     something, the new version is written with the record store's row-level write path
     (``almanac.server.records.writes``: change number, terms) after checking references and
     uniqueness; a delete unlinks the records that point at the deleted one (each a new
     version). Every version written — and the version it replaced — goes to
     ``record_versions``; ``FieldConflict.other_version`` is the version before this mutation.
  5. the result goes to ``applied_mutations`` in the same transaction, so a crash between
     "stored" and "answered" replays as ``duplicate``.

  Invalid content (the model's check, with the field named), unknown references and taken
  unique values → ``rejected``; the record is untouched, and the rejection is remembered in
  ``applied_mutations`` (a replay gets the same answer).

``RecordStore`` itself is not changed: sync uses its row-level helpers inside its own
transactions. Versions written by the plain record routes are not in ``record_versions``.
"""

from almanac.server.sync.service import pull, push

__all__ = ["pull", "push"]
