"""``almanac.sync``: the pure heart of sync (R8, R13, R14; issue 3) — part of the core.

- ``protocol``: the pydantic messages of ``/api/v1/sync`` (pull, push, results);
- ``merge``: what the server does with one pushed mutation (the merge rules);
- ``textmerge``: the bounded three-way line merge of long text (a memo's body);
- ``decide``: what a client does with a pulled change or a push result (rebase, drop,
  compaction of its outbox), as actions.

No I/O: the server's store and the client's store call these functions and apply what they
return. Imports only the standard library, pydantic, ``almanac.errors`` and ``almanac.model``.
``docs/sync.md`` explains the protocol and the rules.
"""

from almanac.sync.decide import (
    Action,
    AddPending,
    DropPending,
    LocalRecord,
    Notify,
    Pending,
    ReplacePending,
    ServerState,
    SetShadow,
    local_edit,
    needs_confirmation,
    on_pull,
    on_result,
    push_batch,
    rebase,
    view,
)
from almanac.sync.merge import (
    SET_FIELDS,
    TEXT_FIELDS,
    MergeOutcome,
    Validator,
    merge,
    same_value,
)
from almanac.sync.protocol import (
    ConflictRecord,
    FieldConflict,
    Mutation,
    MutationResult,
    PullRequest,
    PullResponse,
    PushRequest,
    PushResponse,
    RecordChange,
)
from almanac.sync.textmerge import TextMerge, merge3

__all__ = [
    "SET_FIELDS",
    "TEXT_FIELDS",
    "Action",
    "AddPending",
    "ConflictRecord",
    "DropPending",
    "FieldConflict",
    "LocalRecord",
    "MergeOutcome",
    "Mutation",
    "MutationResult",
    "Notify",
    "Pending",
    "PullRequest",
    "PullResponse",
    "PushRequest",
    "PushResponse",
    "RecordChange",
    "ReplacePending",
    "ServerState",
    "SetShadow",
    "TextMerge",
    "Validator",
    "local_edit",
    "merge",
    "merge3",
    "needs_confirmation",
    "on_pull",
    "on_result",
    "push_batch",
    "rebase",
    "same_value",
    "view",
]
