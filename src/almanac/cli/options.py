"""Options shared by the server-side commands, and how they become ``ServerSettings``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from almanac.server.settings import ServerSettings

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL (default: SQLite in the data folder). Also postgresql+psycopg://… "
        "and mysql+pymysql://…",
        envvar="ALMANAC_DB",
        show_envvar=True,
    ),
]
DataDirOption = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help="Folder for the SQLite file and the secret key.",
        envvar="ALMANAC_DATA_DIR",
        show_envvar=True,
    ),
]


def server_settings(db: str | None, data_dir: Path | None, **more: Any) -> ServerSettings:
    """ALMANAC_* environment variables, overridden by the options that were given."""
    given: dict[str, Any] = {k: v for k, v in more.items() if v is not None}
    if db:
        given["db"] = db
    if data_dir is not None:
        given["data_dir"] = data_dir
    return ServerSettings(**given)
