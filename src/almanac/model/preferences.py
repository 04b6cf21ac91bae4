"""A person's own settings (R3): language, clock, first day of the week, start page, which
festivals show, time zone. Stored per person on the server (``/api/v1/settings``), followed by
the web pages, the desktop app and the CLI.

Only the fields a person has set are stored (``Preferences.stored()``); the rest take the
defaults below, so a setting added later needs no migration. A change is a *patch* — the
fields that changed — and settles field by field, last writer wins: two devices changing
different settings both keep their change (``patched``). Bad input raises ``InvalidInput``
naming the field and changes nothing.

Which festivals show for a person is decided here once, for every face: ``festivals_seen``
(their choices, ``calendar.festivals.visible``), ``festival_settings`` (the two lists that make
exactly a set of ticked festivals show: the settings forms) and ``festival_choice`` (what an
agenda leaves out and adds, with a request's own ``hide``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, Literal, NamedTuple, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from almanac.errors import FieldProblem, InvalidInput
from almanac.model.event import DEFAULT_TIMEZONE
from almanac.model.validation import invalid_input

Language = Literal["zh-CN", "en"]
ClockFormat = Literal["24h", "12h"]
StartPage = Literal["upcoming", "calendar", "contacts", "memos", "dates", "events"]

LANGUAGES: tuple[str, ...] = get_args(Language)  # the choices, in the Literal's order
START_PAGES: tuple[str, ...] = get_args(StartPage)


class FestivalChoice(NamedTuple):
    """An agenda's festival ids: those it leaves out, and the hidden-by-default ones it
    shows (``Agenda(hide=…, show=…)``)."""

    hide: frozenset[str]
    show: frozenset[str]


class Preferences(BaseModel):
    """One person's settings; every field has a default (Chinese first, Monday first)."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=False)

    language: Language = "zh-CN"
    clock_format: ClockFormat = "24h"
    clock_visible: bool = True
    # ISO weekday the calendar's weeks start on: 1 = Monday (China's calendars) … 7 = Sunday.
    week_start: int = Field(default=1, ge=1, le=7)
    # The page a person lands on (web ``/`` and after login; the desktop app's first page).
    # Contacts, as both faces did before settings existed.
    start_page: StartPage = "contacts"
    # Festival ids (almanac.calendar.festivals) the person hides, and hidden-by-default ones
    # they show (e.g. xiaonian_south). Sorted, no repeats.
    festivals_hidden: tuple[str, ...] = ()
    festivals_shown: tuple[str, ...] = ()
    time_zone: str = DEFAULT_TIMEZONE

    @field_validator("festivals_hidden", "festivals_shown", mode="after")
    @classmethod
    def _known_festivals(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        from almanac.calendar.festivals import BY_ID  # lazy: calendar imports the model

        for i, fid in enumerate(value):
            if fid not in BY_ID:  # named by its place: festivals_hidden.0
                raise PydanticCustomError(
                    "not_a_choice", "is not a festival id", {"field": str(i), "id": fid[:40]}
                )
        return tuple(sorted(set(value)))

    @field_validator("time_zone", mode="after")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from almanac.model.event import zone

        try:
            zone(value)
        except KeyError:
            raise PydanticCustomError(
                "unknown_timezone", "is not an IANA time zone name such as Asia/Shanghai"
            ) from None
        return value

    def festivals_seen(self) -> frozenset[str]:
        """The ids of the festivals this person sees: those shown by default and those they
        turned on, less those they hid (a hidden one stays hidden even if also turned on)."""
        from almanac.calendar.festivals import visible  # lazy: calendar imports the model

        return frozenset(f.id for f in visible(self.festivals_hidden, self.festivals_shown))

    def festival_choice(
        self, hide: Collection[str] | None = None, *, also_hide: Collection[str] = ()
    ) -> FestivalChoice:
        """What this person's agenda leaves out and adds: their hidden festivals — or a
        request's ``hide`` instead, when it names its own (the API's ``hide=``; empty: none)
        — plus ``also_hide`` (``Client.agenda(hide=…)``); and the ones they turned on."""
        hidden = frozenset(self.festivals_hidden if hide is None else hide)
        return FestivalChoice(hidden | frozenset(also_hide), frozenset(self.festivals_shown))

    def stored(self) -> dict[str, Any]:
        """The fields that differ from the defaults, as JSON-ready values (what is stored)."""
        return self.model_dump(mode="json", exclude_defaults=True)

    def patched(self, patch: Mapping[str, Any]) -> Preferences:
        """A copy with ``patch`` applied; a ``None`` value resets that field to its default.

        Raises ``InvalidInput`` naming each unknown or bad field; nothing changes then.
        """
        if not isinstance(patch, Mapping):
            raise InvalidInput(
                FieldProblem("", "The settings must be a JSON object.", "invalid_type")
            )
        data = self.model_dump(mode="json")
        for name, value in patch.items():
            if value is None and name in type(self).model_fields:
                data.pop(name, None)
            else:
                data[name] = value
        return parse_preferences(data)


def festival_settings(seen: Collection[str]) -> dict[str, list[str]]:
    """``festivals_hidden`` and ``festivals_shown`` (sorted) under which exactly the
    festivals in ``seen`` show (a settings form's ticked boxes): every one shown by default
    that is not in ``seen`` is hidden, every hidden-by-default one in ``seen`` is turned on.
    Ids that name no festival are left out."""
    from almanac.calendar.festivals import FESTIVALS  # lazy: calendar imports the model

    wanted = set(seen)
    return {
        "festivals_hidden": sorted(
            f.id for f in FESTIVALS if not f.hidden_by_default and f.id not in wanted
        ),
        "festivals_shown": sorted(
            f.id for f in FESTIVALS if f.hidden_by_default and f.id in wanted
        ),
    }


def parse_preferences(data: Mapping[str, Any] | None) -> Preferences:
    """``Preferences`` from stored or typed JSON; ``InvalidInput`` naming the field."""
    try:
        return Preferences.model_validate(dict(data or {}))
    except ValidationError as exc:
        raise invalid_input(exc) from None


def load_stored(data: Mapping[str, Any] | None) -> Preferences:
    """``Preferences`` from what was stored, leniently: a field that no longer validates (a
    festival id retired, a zone gone from tzdata) falls back to its default, never fails."""
    try:
        return parse_preferences(data)
    except InvalidInput as exc:
        bad = {p.field.split(".")[0] for p in exc.problems}
        kept = {k: v for k, v in (data or {}).items() if k not in bad}
        try:
            return parse_preferences(kept)
        except InvalidInput:
            return Preferences()
