"""The real server in this process: ``create_app`` on a SQLite file, served by uvicorn in a
background thread on a socket bound before the thread starts (no race for the port)."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import sqlalchemy as sa
import uvicorn

from almanac.server.app import create_app
from almanac.server.db.engine import make_engine
from almanac.server.settings import ServerSettings


class ThreadedServer:
    """uvicorn serving the whole app; ``engine`` reads the same database for the checks."""

    def __init__(self, data_dir: Path) -> None:
        self.database_url = f"sqlite:///{data_dir / 'almanac.db'}"
        settings = ServerSettings(
            data_dir=data_dir,
            db=self.database_url,
            argon2_time_cost=1,
            argon2_memory_kib=8,
            argon2_parallelism=1,
        )
        self.app = create_app(settings, migrate=True)
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        config = uvicorn.Config(self.app, log_level="warning", ws="none", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True
        )
        self.engine: sa.Engine = make_engine(self.database_url)

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the threaded server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
        self.socket.close()
        self.engine.dispose()
