"""The ``almanac`` command (Typer + rich): a thin face over the server and the client core.

- ``main``: the Typer app (root ``--home``/``--debug``);
- ``errors``: the one handler where errors become words (zh-CN first, ``words``);
- server side: ``serve``, ``user`` (``options``: their shared options);
- calendar: ``calendar`` (``lunar``, ``solar``, ``calendar month``), ``upcoming``;
- client (issue 3 §6): ``client_opts`` (shared options, the password, opening the
  ``Client``), ``session`` (login, logout, status, sync, restore), ``conflicts``,
  ``records`` (the command factory of ``K list|show|add|edit|rm``), ``fields`` (the per-kind
  option tables and the option→content mapping), ``output`` (JSON shapes, tables).
"""
