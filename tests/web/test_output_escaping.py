"""The pages' template environment escapes ``{{ value }}`` exactly as Jinja with markupsafe
does (``escaping.PageEnvironment``: a plain str through markupsafe's C routine, anything
else through ``markupsafe.escape``): same bytes for any text, Markup kept, numbers and
objects with ``__html__`` as before, an undefined value still an error, and a value put
into a block, a macro or a filter block escaped once."""

from __future__ import annotations

import jinja2
import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from almanac.server.web.escaping import PageEnvironment
from almanac.server.web.render import templates

SOURCE = (
    "{% macro m(v) %}[{{ v }}]{% endmacro %}"
    "{% set kept %}<{{ v }}>{% endset %}"
    "{{ v }}|{{ m(v) }}|{{ kept }}|{% filter upper %}{{ v }}{% endfilter %}|{{ v ~ '&' }}"
    "|{{ [v] | join(',') }}|{{ v | e }}|{{ v | safe }}"
)


def _both(**values: object) -> tuple[str, str]:
    ours = PageEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)
    plain = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return ours.from_string(SOURCE).render(**values), plain.from_string(SOURCE).render(**values)


@given(st.text())
def test_any_text_gives_the_same_bytes(text: str) -> None:
    ours, plain = _both(v=text)
    assert ours == plain


class Html:
    def __html__(self) -> str:
        return "<b>ok</b>"


@pytest.mark.parametrize(
    "value", [Markup("<i>x</i>"), 7, 2.5, None, Html(), "<script>'\"&</script>"]
)
def test_other_values_as_markupsafe_does(value: object) -> None:
    ours, plain = _both(v=value)
    assert ours == plain


def test_an_undefined_value_is_still_an_error() -> None:
    with pytest.raises(jinja2.UndefinedError):
        PageEnvironment(autoescape=True, undefined=jinja2.StrictUndefined).from_string(
            "{{ missing }}"
        ).render()


def test_the_pages_use_it() -> None:
    assert isinstance(templates.env, PageEnvironment)
    code = templates.env.compile("{{ v }}", raw=True)
    assert "environment.escape_output(" in code
