"""The server's settings: one pydantic-settings object, read from ``ALMANAC_*`` environment
variables (and the ``almanac serve`` options, which override them). Every setting is listed in
docs/configuration.md; a test fails when one is missing there."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    return Path(user_data_dir("almanac-server", appauthor=False))


SUPPORT_FIELDS = ("phone", "email", "hours")
"""The customer-service contact's lines (``support_<name>`` settings)."""


class ServerSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ALMANAC_", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir)
    """Where the server keeps its SQLite file, its secret key and (later) backups."""

    db: str | None = None
    """Database URL. Empty: ``sqlite:///<data_dir>/almanac.db``. Also
    ``postgresql+psycopg://…`` and ``mysql+pymysql://…?charset=utf8mb4``."""

    secret_key: SecretStr | None = None
    """Signs CSRF tokens. Empty: generated once and kept in ``<data_dir>/secret_key``."""

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = Field(default=1, ge=1, le=64)
    """Server processes (``almanac serve --workers``). One process runs Python on one core at
    a time; on a machine with several cores, as many workers as cores serve more pages at
    once (each opens its own connections). Stop a multi-process server with Ctrl-C or
    SIGTERM (its workers follow); a SIGKILL leaves them running."""
    threads: int = Field(default=2, ge=1, le=64)
    """Threads of one server process that run its routes at once (anyio's default is 40).
    Python runs one thread at a time, so more threads only take turns at the GIL (40 cost
    ~15% more CPU per page than 2); but a slow request (a large push or pull, a write
    waiting on SQLite's busy timeout) holds its thread, and with every thread held each page
    of that process waits. docs/web.md's Speed section has the figures for 2, 4 and 8."""
    access_log: bool = False
    """Log one line per request (uvicorn's access log). Off by default: under load the log
    costs time; errors are logged either way."""

    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    argon2_parallelism: int = 4

    throttle_max_failures: int = 5
    """Wrong passwords allowed for one account before tries are refused (429)."""
    throttle_addr_max_failures: int = 20
    """Wrong passwords allowed from one client address (any accounts) before refusal."""
    throttle_base_delay: float = 2.0
    """First lock-out in seconds; it doubles with each further failure."""
    throttle_max_delay: float = 3600.0

    holiday_schedule: Path | None = None
    """A JSON file of official holiday schedules (holiday-cn shape, docs/calendar.md) whose
    years replace or extend the shipped ones: a new year's 调休 without a new release."""

    session_days: int = 30
    """Browser sessions expire after this many days."""

    tombstone_days: int = Field(default=90, ge=1)
    """Deleted records (tombstones) are kept this many days so every device pulls the
    delete; then purged. A device that last synced before the purge re-downloads
    (``resync_required``)."""

    trust_proxy_headers: bool = False
    """Take the client address and scheme from X-Forwarded-For/-Proto (behind a TLS proxy)."""

    support_phone: str = "400-000-0000 (示例)"
    """Customer-service phone shown on the help page (``/help``). The default is a placeholder,
    labelled as such, until the operator sets it."""
    support_email: str = "support@example.com (示例)"
    """Customer-service email shown on the help page; a labelled placeholder until set."""
    support_hours: str = "周一至周五 9:00–18:00 (示例)"
    """Customer-service hours shown on the help page; a labelled placeholder until set."""

    operators: str = ""
    """Comma-separated user names of the operators: they may read the error reports at
    ``/operator/reports`` (anyone else gets 404). Empty: nobody (``almanac reports`` still
    works on the server machine)."""
    reports_per_hour: int = Field(default=30, ge=1)
    """Error reports accepted from one client address per hour (``POST /api/v1/reports``);
    more are refused with 429."""

    def support_contact(self) -> dict[str, Any]:
        """The customer-service lines as configured, and whether any is still the shipped
        placeholder (the web's help page and ``GET /api/v1/support`` both show it)."""
        values = {name: getattr(self, "support_" + name) for name in SUPPORT_FIELDS}
        placeholder = {
            name: values[name] == type(self).model_fields["support_" + name].default
            for name in SUPPORT_FIELDS
        }
        return {
            "values": values,
            "placeholder": placeholder,
            "any_placeholder": any(placeholder.values()),
        }

    def operator_names(self) -> frozenset[str]:
        """The operators' user names, folded as accounts store them."""
        from almanac.server.accounts.rules import fold_username

        return frozenset(fold_username(n) for n in self.operators.split(",") if n.strip())

    def database_url(self) -> str:
        if self.db:
            return self.db
        return f"sqlite:///{self.data_dir / 'almanac.db'}"

    def resolved_secret_key(self) -> str:
        """The configured key, or the one kept in the data folder (created 0600 on first use)."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        path = self.data_dir / "secret_key"
        if path.exists():
            return path.read_text().strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        tmp = path.with_suffix(".tmp")
        tmp.touch(mode=0o600)
        tmp.write_text(key)
        tmp.replace(path)
        return key
