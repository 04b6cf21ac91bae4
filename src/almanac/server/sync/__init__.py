"""The server half of sync (R8, R13, R14; ``docs/sync.md``): ``pull`` and ``push`` over the
SQL record store, the stored conflicts and the tombstone purge. Every merge decision is
``almanac.sync.merge.merge``; nothing here decides one itself.

It owns ``applied_mutations``, ``record_conflicts`` and ``users.purged_change_no`` (tables in
``almanac.server.db.tables``); records, their terms and ``record_versions`` are written with
the record store's row-level helpers (``almanac.server.records.writes``).

Contract:

- ``pull(engine, owner_id, cursor, limit) -> PullResponse``, read in one transaction: the
  owner's records with ``cursor < change_no <= last`` (``last``: the owner's counter),
  tombstones included, oldest change first, at most ``limit``. ``more`` when another page
  follows; ``next_cursor`` = the last ``change_no`` delivered when ``more``, else ``last``
  (so a settlement that changed no record is still passed). ``conflicts``: the stored
  conflicts made or settled with a change number in ``(cursor, next_cursor]``.
  ``resync_required`` (nothing else) for a cursor beyond ``last`` (a server restored from an
  older backup) or, when > 0, below ``users.purged_change_no`` (tombstones it never saw
  are gone).
- ``push(engine, owner_id, request) -> PushResponse`` (``push_json``: the same as JSON bytes,
  what the route sends): one result per mutation, in order. The whole push is **one
  transaction**, which first locks the owner's counter and reads what the batch needs in
  bulk (replays, records, bases); then, per mutation in order:

  1. a ``mutation_id`` already in ``applied_mutations`` → the stored result with status
     ``duplicate`` (record, conflicts and notices as the first application left them); a
     remembered rejection comes back as it was (``rejected``). Nothing is written.
  2. another person's record id → ``rejected`` ``not_found`` for an update or delete (their
     record is neither revealed nor touched); a create with an id someone else holds →
     ``rejected`` ``duplicate`` (as ``POST`` does). A kind other than the record's →
     ``rejected`` ``wrong_kind``; a ``base_version`` newer than the record → ``rejected``.
  3. ``base`` = the content at ``base_version``: the current content when the record is still
     at that version, else from ``record_versions`` (every write keeps its version there,
     the record routes' too); None when unknown (then every concurrent difference counts as
     a conflict).
  4. ``merge(base, current, deleted, mutation, validate=validate_content)``; if it changed
     something, the new version is written (change number, terms, history) after checking
     references and uniqueness; a delete unlinks the records that point at the deleted one
     (each a new version).
  5. each ``FieldConflict`` of the outcome is stored in ``record_conflicts`` (a fresh ``id``;
     ``kept_version`` = the record's version now, ``other_version`` = the version before the
     mutation) at the record's new change number; the result carries ``id`` and
     ``kept_version``. ``resolves``: those of the ids that are open conflicts of this owner
     and this record are marked resolved (others ignored), at the record's new change number,
     or at a freshly taken one when the record did not change.
  6. a rejection (invalid content with the field named, unknown references, taken unique
     values, a lost insert race) writes nothing and takes no change number; its result is
     remembered like any other.

  Creates and updates whose checks the push's own view answers are staged and written with
  one statement per table (``bulk``, ``buffer``; the records whose search terms changed go
  to the term backlog, ``records.backlog``, caught up before any read of the terms);
  deletes, unique values and settlements write under the mutation's SAVEPOINT (``apply``).
  A bulk write the database refuses rolls the push back and runs it again with every
  mutation under its savepoint.

  The results go to ``applied_mutations`` in the same transaction, so a crash between
  "stored" and "answered" replays as ``duplicate``, and a crash before the commit leaves
  nothing, so the retried push applies everything once.
- ``purge(engine, days, *, now=None, owner_ids=None) -> PurgeReport``: tombstones deleted
  more than ``days`` ago go (with their ``record_versions`` and ``record_conflicts``), and
  ``applied_mutations`` older than that; ``users.purged_change_no`` keeps the highest change
  number removed. ``Purger(engine, days)`` runs it at start-up and every 24 hours in a daemon
  thread (the app's lifespan starts and stops it).
- ``conflicts.listed(engine, owner_id, resolved) -> list[ConflictRecord]``.

Modules: ``pull``, ``push``, ``apply`` (one mutation), ``bulk`` (its staged writes),
``buffer`` (the staged writes of a push), ``state`` (what its mutations share),
``conflicts`` (stored conflicts), ``purge``.
"""

from almanac.server.sync.pull import pull
from almanac.server.sync.purge import Purger, PurgeReport, purge
from almanac.server.sync.push import push

__all__ = ["PurgeReport", "Purger", "pull", "purge", "push"]
