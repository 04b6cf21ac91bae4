"""List filters: a query-parameter value turned into one facet term (see ``terms``).

``Filter.terms(raw)`` returns ``(term, must_have)``: the server keeps the records that have
the term (``must_have``) or that lack it (not ``must_have``). Boolean values are
``true``/``false``/``1``/``0`` (any case); anything else is ``InvalidInput`` naming the
query parameter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from uuid import UUID

from almanac.errors import InvalidInput

_TRUE = frozenset({"true", "1"})
_FALSE = frozenset({"false", "0"})


@dataclass(frozen=True)
class Filter:
    """One query parameter of a list route. ``type`` is ``boolean``, ``uuid`` or ``choice``
    (then ``choices`` lists the values), for the OpenAPI description of the parameter."""

    name: str
    description: str
    type: str = "boolean"
    choices: tuple[str, ...] = ()
    parse: Callable[[str, str], tuple[str, bool]] = field(
        default=lambda name, raw: ("", True), repr=False, compare=False
    )

    def terms(self, raw: str) -> tuple[str, bool]:
        """``(term, must_have)`` for the raw query value; ``InvalidInput`` when it is bad."""
        return self.parse(self.name, raw)


def parse_bool(name: str, raw: str) -> bool:
    """``true``/``false``/``1``/``0`` (any case, surrounding blanks ignored)."""
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise InvalidInput.one(
        name, f"{name} must be true or false (or 1 or 0), not {raw[:40]!r}.", "invalid_type"
    )


def flag(name: str, description: str, term: str) -> Filter:
    """A boolean filter on the presence of a facet term."""
    return Filter(name, description, "boolean", (), lambda n, raw: (term, parse_bool(n, raw)))


def link(name: str, description: str, prefix: str) -> Filter:
    """A filter on a linked record's id (``group=<uuid>``)."""

    def parse(n: str, raw: str) -> tuple[str, bool]:
        try:
            value = UUID(raw.strip())
        except ValueError:
            raise InvalidInput.one(
                n, f"{n} must be a UUID, not {raw[:40]!r}.", "invalid_type"
            ) from None
        return f"{prefix}{value}", True

    return Filter(name, description, "uuid", (), parse)


def calendar_filter(description: str) -> Filter:
    """``calendar=solar|lunar`` on the ``f:lunar`` facet."""

    def parse(n: str, raw: str) -> tuple[str, bool]:
        value = raw.strip().lower()
        if value not in ("solar", "lunar"):
            raise InvalidInput.one(
                n, f"{n} must be solar or lunar, not {raw[:40]!r}.", "not_a_choice"
            )
        return "f:lunar", value == "lunar"

    return Filter("calendar", description, "choice", ("solar", "lunar"), parse)
