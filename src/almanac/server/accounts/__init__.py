"""Accounts (R1): people, passwords, login throttling, API tokens and browser sessions.

This package owns the ``users``, ``tokens`` and ``login_failures`` tables and the deletion of
a person with all their rows. It has no HTTP in it: the JSON API, the web pages and the CLI
call ``Accounts`` and turn its typed errors (``almanac.errors``) into responses.

The contract
------------
``Accounts(engine, settings, *, clock=None)``

- ``register(username, password) -> User``. User names are folded (NFKC + casefold) and
  stored folded, so "Zhang" and "zhang" are one account: 3–32 letters (CJK included),
  digits, ``_ . -``. Passwords: 8–1024 characters, not only whitespace, compared in NFC.
  InvalidInput names the field (``username``/``password``); Duplicate("username") → 409.
- ``authenticate(username, password, client_addr) -> User``. BadCredentials for a wrong
  name or password; unknown names are checked against a dummy Argon2id hash so they cost the
  same, and they count for throttling like real ones. After ``throttle_max_failures`` wrong
  passwords for a name (``throttle_addr_max_failures`` for a client address) further tries
  are refused with Throttled(retry_after) *without checking the password*, for
  ``base × 2^(n − limit)`` seconds (capped at ``throttle_max_delay``). A success clears the
  name's count, not the address's. Each attempt is counted before its password is checked
  (and given back if right), so parallel attempts cannot get past the limit; the price is
  that more than ``limit`` *simultaneous* attempts on one name are refused even if right.
- ``issue_token(user_id, device, kind="api") -> str``: the secret, shown once; the table keeps
  its SHA-256. Sessions (``kind="session"``) expire after ``session_days``; API tokens don't.
  ``issue_token_with_info(...) -> (secret, TokenInfo)`` also gives the new token's id.
- ``user_for_token(secret, kind="api") -> (User, token_id)``; NotAuthenticated for unknown,
  expired, revoked or other-kind secrets. ``last_used_at`` is written at most once a minute.
- ``list_tokens(user_id)``, ``revoke_token(user_id, token_id)`` (NotFound("token") when not
  the person's), ``revoke_secret(secret)`` (log out, idempotent), ``purge_expired()``.
- ``change_password(user_id, old, new, *, keep_token_id=None, client_addr=None)``:
  BadCredentials (counted) when ``old`` is wrong; InvalidInput field ``new_password``;
  revokes every other token and session.
- ``delete_account(user_id, password, *, client_addr=None)``: the person and all their rows,
  in one transaction.
- ``store_secret(user_id) -> str``: the person's 32 random bytes (base64url, no padding),
  made at registration, unchanged by a password change, deleted with the account; the token
  route gives it to a password login only (docs/api.md says why).
- ``get_user(user_id)``, ``user_by_name(username)``: NotFound("user").

Passwords never appear in a log line, an exception message or a repr. Times are aware UTC
from the injectable ``clock``.

Modules: ``rules`` (input checks), ``passwords`` (Argon2id), ``throttle``, ``tokens``,
``entities`` (User, TokenInfo), ``service`` (Accounts).
"""

from almanac.server.accounts.entities import TokenInfo, TokenKind, User
from almanac.server.accounts.rules import check_username, fold_username
from almanac.server.accounts.service import Accounts

__all__ = ["Accounts", "TokenInfo", "TokenKind", "User", "check_username", "fold_username"]
