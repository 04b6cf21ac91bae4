"""Autoescaping for the pages' templates at a fraction of markupsafe's per-value cost.

With autoescape on, Jinja writes ``{{ value }}`` as ``escape(value)``: markupsafe's
``escape`` runs two Python-level calls (``escape`` and ``Markup.__new__``) around its C
routine, ~5,000 instructions per value; a contact-list page escapes ~650 values (~15% of the
page's instructions, callgrind). ``PageEnvironment`` compiles that output as
``environment.escape_output(value)``: a plain ``str`` goes straight through the same C routine
(~800 instructions) and stays a ``str`` — an output piece is only ever joined into the page or
into a block or macro's buffer, which Jinja marks safe as a whole, never escaped again.
Anything else (``Markup``, numbers, objects with ``__html__``, an undefined value, which
raises) goes to markupsafe's ``escape`` as before, so the page's bytes are the same.
``_escape_inner`` is markupsafe 3's own (unexported) C routine behind ``escape``; without it
``escape`` itself is used. tests/web/test_output_escaping.py compares with plain Jinja's."""

from __future__ import annotations

from typing import Any

import jinja2
from jinja2.compiler import CodeGenerator, Frame
from jinja2.nodes import Expr
from markupsafe import escape

try:  # markupsafe 3's C routine behind ``escape`` (not exported)
    from markupsafe import _escape_inner  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - another markupsafe: its escape, as a str

    def _escape_inner(value: str, /) -> str:
        return str(escape(value))


def escape_output(value: Any) -> str:
    """``value`` escaped for HTML output (``&<>'"``), as markupsafe's ``escape`` would."""
    if value.__class__ is str:
        return _escape_inner(value)
    return escape(value)


class _Generator(CodeGenerator):
    def _output_child_pre(self, node: Expr, frame: Frame, finalize: Any) -> None:
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
            self.write("environment.escape_output(")
            if finalize.src is not None:
                self.write(finalize.src)
            return
        super()._output_child_pre(node, frame, finalize)


class PageEnvironment(jinja2.Environment):
    """A Jinja environment whose autoescaped output uses ``escape_output``."""

    code_generator_class = _Generator
    escape_output = staticmethod(escape_output)
