"""``almanac.remote``: the HTTP side of ``almanac.client.Transport`` (httpx) — talks to an
Almanac server's ``/api/v1``; turns connection failures into ``Offline`` and the server's
error envelope back into the typed errors of ``almanac.errors``. Not part of the core."""
