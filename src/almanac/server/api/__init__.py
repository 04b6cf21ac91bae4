"""The server's JSON API face (R2, R13): everything under ``/api/v1``.

- ``router``: the one ``APIRouter`` (accounts + one router per record kind);
- ``auth``: register, tokens, password, account (``almanac.server.accounts``);
- ``records``: one router factory used for all six kinds (``almanac.server.records``);
- ``deps``: ``Ctx``, ``CurrentAuth``, ``CurrentUser``, ``ClientAddr``;
- ``schemas``: the fixed request/response bodies and the error envelope;
- ``errors``: the ONE place errors become responses (JSON envelope, or the web error page);
- ``docs``: Swagger UI at ``/docs`` from packaged files (works with no internet).
"""
