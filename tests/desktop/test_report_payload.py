"""What an error report holds (R10; issue 6 §4): for any name the person's data knows, put
into an exception's message in any of the usual ways, the report's message never holds it;
frames are named from their package, never by a full path."""

from __future__ import annotations

import re

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from almanac.desktop.report_payload import WITHHELD, make_report, safe_message, short_file

TEMPLATES = (
    "{} not found",
    "bad value for field {}",
    "cannot save '{}'",
    "no group named {}!",
    "KeyError: {}",
    "{}: list index out of range",
    "contact({}) has no phone",
)
NAMES = st.from_regex(r"[A-Za-z]{2,12}( [A-Za-z]{2,12})?|[\u4e00-\u9fff]{2,4}", fullmatch=True)
WORDS = re.compile(r"[A-Za-z0-9_]+|[^\x00-\x7f]+")


@settings(max_examples=200, deadline=None)
@given(name=NAMES, template=st.sampled_from(TEMPLATES))
def test_a_known_name_never_reaches_the_report(name: str, template: str) -> None:
    parts = {p.casefold() for p in name.split()}
    assume(not parts & {w.casefold() for w in WORDS.findall(template)})

    def is_known(word: str) -> bool:
        return any(p.startswith(word.casefold()) for p in parts)

    out = safe_message(template.format(name), is_known)
    found = {w.casefold() for w in WORDS.findall(out)}
    assert not parts & found, out


def test_without_a_check_the_message_is_withheld_unless_it_has_no_words() -> None:
    assert safe_message("张伟 13800138000", None) == "… …"
    assert safe_message("no such contact", None) == WITHHELD
    assert safe_message("list index out of range", lambda _w: False) == ("list index out of range")
    assert safe_message("boom", lambda _w: 1 / 0 > 0) == WITHHELD  # the check failed


def test_frames_name_no_home_folder() -> None:
    assert short_file("/home/zhangsan/app/lib/python3.11/site-packages/httpx/_client.py") == (
        "site-packages/httpx/_client.py"
    )
    assert short_file("/home/zhangsan/src/almanac/desktop/memos.py") == "almanac/desktop/memos.py"
    assert short_file("/usr/lib/python3.11/json/decoder.py") == "decoder.py"
    assert short_file("/home/zhangsan/scratch.py") == "scratch.py"

    def save() -> None:
        raise ValueError("bad")

    try:
        save()
    except ValueError as exc:
        report = make_report(exc, lambda _w: False)
    assert report["error_type"] == "builtins.ValueError"
    assert report["message"] == "bad"
    assert report["what"].endswith(".save")
    assert '", line ' in report["traceback"] and "in save" in report["traceback"]
    assert "/home/" not in report["traceback"] and "/work/" not in report["traceback"]
    assert set(report) == {
        *("report_id", "source", "app_version", "os", "what"),
        *("error_type", "message", "traceback"),
    }
