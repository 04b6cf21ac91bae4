"""Benchmark of the model's search terms and sort keys (``index_terms`` + ``sort_key``).

10,000 realistic contacts (the golden corpus generator, ``tests/unit/model/golden_corpus.py``,
another seed: Chinese names with compound and heteronym surnames, Latin names, phones, emails,
companies), each validated first (not timed). Measured, each in a fresh process so that no
cache is warm that a real process would not have:

- ``import almanac.model`` (pypinyin's dictionaries should not load then);
- anchor: a bare ``pypinyin.lazy_pinyin(name)`` per contact name (µs per contact), the cost
  the pinyin code is compared with;
- pypinyin's dictionaries, loaded on first use (ms), then
- cold: the first pass of ``index_terms`` + ``sort_key`` over the 10,000 contacts (µs per
  contact; also given with the dictionary load spread over the contacts);
- warm: the median of 3 more passes over the same contacts (caches filled).

Run: ``.venv/bin/python bench/terms.py`` (``--count N`` for another size).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "unit" / "model"

IMPORT = (
    "import time; t = time.perf_counter(); import almanac.model; print(time.perf_counter() - t)"
)


def _contacts(count: int) -> list[object]:
    import random

    sys.path.insert(0, str(GOLDEN))
    from golden_corpus import _contact  # type: ignore[import-not-found]

    from almanac.model import validate_content

    rng = random.Random(7)
    return [validate_content("contact", _contact(rng)) for _ in range(count)]


def _child(what: str, count: int) -> None:
    """Run one measurement in this (fresh) process and print its figures as JSON."""
    contacts = _contacts(count)
    if what == "anchor":
        from pypinyin import lazy_pinyin

        names = [c.name for c in contacts]  # type: ignore[attr-defined]
        lazy_pinyin("预热")  # the dictionaries load here, not in the timed loop
        start = time.perf_counter()
        for name in names:
            lazy_pinyin(name)
        print(json.dumps({"anchor": (time.perf_counter() - start) / count * 1e6}))
        return
    from almanac.model import index_terms, sort_key
    from almanac.model.search import syllables

    start = time.perf_counter()
    syllables("预热")  # loads pypinyin's dictionaries (the first record would)
    load = time.perf_counter() - start
    passes = []
    for _ in range(4):
        start = time.perf_counter()
        for content in contacts:
            index_terms("contact", content)
            sort_key("contact", content)
        passes.append((time.perf_counter() - start) / count * 1e6)
    warm = statistics.median(passes[1:])
    print(json.dumps({"load": load * 1000, "cold": passes[0], "warm": warm}))


def _run(args: list[str]) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, *args], check=True, capture_output=True, text=True, cwd=ROOT
    ).stdout
    figures: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--child", choices=["anchor", "terms"])
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.count)
        return
    imports = []
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, "-c", IMPORT], check=True, capture_output=True, text=True, cwd=ROOT
        )
        imports.append(float(out.stdout))
    script = str(Path(__file__).resolve())
    anchor = _run([script, "--child", "anchor", "--count", str(args.count)])["anchor"]
    terms = _run([script, "--child", "terms", "--count", str(args.count)])
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"import almanac.model: {min(imports) * 1000:.0f} ms (best of 3)")
    print(f"anchor, bare lazy_pinyin(name): {anchor:.1f} µs per contact")
    with_load = terms["cold"] + terms["load"] * 1000 / args.count
    print(f"pypinyin dictionaries, loaded on first use: {terms['load']:.0f} ms")
    print(
        f"index_terms + sort_key, {args.count} contacts: cold {terms['cold']:.1f} µs "
        f"({with_load:.1f} µs with the dictionary load), warm {terms['warm']:.1f} µs "
        f"per contact (cold {terms['cold'] / anchor:.2f}× the anchor)"
    )


if __name__ == "__main__":
    main()
