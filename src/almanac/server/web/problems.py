"""Field problems for the forms (R2, R4): ``InvalidInput``'s dotted paths (``phones.0.value``,
``date.day``) become ``{input name: message in the page's language}``; every form names its
inputs after the record's fields, so a path finds its input."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from almanac.errors import Duplicate, FieldProblem, InvalidInput
from almanac.server.web import i18n

Translator = Callable[..., str]


def reason(t: Translator, lang: str, problem: FieldProblem) -> str:
    """Why the field is refused, in the page's language (the store's English sentence when
    the page is English and there is no shorter word for its code)."""
    key = f"why_{problem.code}"
    if key in i18n.MESSAGES["zh"]:
        return t(key)
    return problem.message if lang == "en" else t("why_invalid")


def as_messages(
    t: Translator,
    lang: str,
    problems: Iterable[FieldProblem],
    aliases: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """``{input name: message}``; the first problem of a field wins. ``aliases`` renames a
    record field to the input that holds it (``start`` → ``start_date``)."""
    found: dict[str, str] = {}
    for problem in problems:
        name = (aliases or {}).get(problem.field, problem.field) or "form"
        found.setdefault(name, reason(t, lang, problem))
    return found


def of_error(exc: InvalidInput | Duplicate) -> list[FieldProblem]:
    """The problems an error from the store stands for."""
    if isinstance(exc, InvalidInput):
        return list(exc.problems)
    return [FieldProblem(exc.field or "name", exc.message, "duplicate")]
