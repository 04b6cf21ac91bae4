"""The ``almanac`` command (Typer): a thin face over the server and (later) the client core.

One module per noun (``serve``, ``user``); ``main`` builds the Typer app and holds the one
place where errors become words for a terminal (``handle_errors``)."""
