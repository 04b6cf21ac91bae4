"""The sync tests talk to the real app (``tests/api``'s fixtures) on each test database."""

from api.conftest import app, client, make_person, person

__all__ = ["app", "client", "make_person", "person"]
