"""The central server (R13, R15): ``app.create_app`` builds one ASGI app from ``settings``;
``db`` (tables, engines, migrations), ``accounts`` (R1), ``records`` (the record store shaped
for sync), ``api`` (the JSON face), ``web`` (the pages), ``demo`` (sample data). It may import
the core (``almanac.model`` and friends); the core never imports it."""
