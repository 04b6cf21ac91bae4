"""``almanac.remote``: the HTTP side of ``almanac.client.Transport`` (httpx) — talks to an
Almanac server's ``/api/v1``; turns connection failures into ``Offline`` and the server's
error envelope back into the typed errors of ``almanac.errors``. Not part of the core.

- ``http``: ``HttpTransport`` (one keep-alive ``httpx.Client``) and ``http_transport``, the
  default ``TransportFactory``.
"""

from almanac.remote.http import HttpTransport, http_transport

__all__ = ["HttpTransport", "http_transport"]
