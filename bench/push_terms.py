"""Benchmark of a pushed contact's index terms and sort key, as the server computes them.

The contacts of ``bench/sync.py``'s offline edits: ``bench/server.py``'s ``Names`` generator
(a 2–3 character Chinese name by real surname frequency, a mobile phone, 0–2 groups, sometimes
a work phone, an email, a company, a lunar or solar birthday), each with the pushed title
``主管 HHMMSS-n``, validated first (not timed). Measured, each in a fresh process with
pypinyin's dictionaries loaded first (``bench/terms.py`` measures the load):

- ``terms_of``: ``almanac.server.records.terms.terms_of("contact", c)``, the server's terms of
  a record (model index terms, unique terms, references), µs per contact;
- ``sort_key``: ``almanac.model.sort_key("contact", c)``, µs per contact;

each cold (the first pass over the contacts: the caches hold nothing of them) and warm (the
median of 3 more passes). The two are measured in separate processes, so that neither warms
the pinyin caches for the other.

Run: ``.venv/bin/python bench/push_terms.py`` (``--count N``; ``--rounds R`` repeats and adds
the best of the rounds, the figure least moved by a shared machine); ``PYTHONPATH=other/src``
measures other sources the same way.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any
from uuid import uuid4

HERE = Path(__file__).resolve().parent


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", HERE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _contacts(count: int) -> list[Any]:
    from almanac.model import validate_content

    names = _load("server").Names(seed=11)
    groups = [str(uuid4()) for _ in range(10)]
    stamp = "193047"
    contacts = []
    for n in range(count):
        data = names.contact(groups)
        data["title"] = f"主管 {stamp}-{n}"
        contacts.append(validate_content("contact", data))
    return contacts


def _child(what: str, count: int) -> None:
    """Time one function over the contacts in this (fresh) process; print JSON figures."""
    from almanac.model import sort_key
    from almanac.model.search import warm_pinyin
    from almanac.server.records.terms import terms_of

    contacts = _contacts(count)
    warm_pinyin()
    func = terms_of if what == "terms_of" else sort_key
    passes = []
    for _ in range(4):
        start = time.perf_counter()
        for content in contacts:
            func("contact", content)
        passes.append((time.perf_counter() - start) / count * 1e6)
    print(json.dumps({"cold": passes[0], "warm": statistics.median(passes[1:])}))


def _run(what: str, count: int) -> dict[str, float]:
    args = [sys.executable, str(Path(__file__).resolve()), "--child", what, "--count", str(count)]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    figures: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--child", choices=["terms_of", "sort_key"])
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.count)
        return
    import almanac

    print(f"sources: {Path(almanac.__file__).parent}")
    best: dict[str, dict[str, float]] = {}
    for _ in range(args.rounds):
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        for what in ("terms_of", "sort_key"):
            figures = _run(what, args.count)
            print(
                f"{what}, {args.count} contacts: cold {figures['cold']:.1f} µs, "
                f"warm {figures['warm']:.1f} µs per contact"
            )
            kept = best.setdefault(what, figures)
            for key, value in figures.items():
                kept[key] = min(kept[key], value)
    if args.rounds > 1:
        for what, figures in best.items():
            print(
                f"best of {args.rounds}: {what} cold {figures['cold']:.1f} µs, "
                f"warm {figures['warm']:.1f} µs per contact"
            )


if __name__ == "__main__":
    main()
