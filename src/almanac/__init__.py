"""Almanac: a Chinese-first personal information manager.

Packages (see docs/architecture.md for the map):

- ``almanac.errors``  the typed error hierarchy every layer raises (core, no I/O).
- ``almanac.model``   the six record kinds, their validation, pinyin sort/search keys (core).
- ``almanac.server``  the central server: database, accounts, JSON API, web pages.
- ``almanac.cli``     the ``almanac`` command (Typer), a thin face.
"""

__version__ = "0.1.0"
