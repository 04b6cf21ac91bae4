"""After a first sync the search index waits, searches do not (issue 6 §5, issue 3 "Numbers";
R4, R12; docs/store.md "Deferred index"): a fresh device's searches equal the searches of
the device that made the records, before and while ``Client.build_index`` builds it in
chunks, and after."""

from __future__ import annotations

from pathlib import Path

from almanac.client.facade import Client

from .conftest import Account

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗欧阳"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂"
QUERIES = ["", "zhang", "zw", "王", "oy", "1390000", "公司3", "l"]
COUNT = 600


def answers(client: Client) -> dict[str, list[str]]:
    return {q: [str(i.id) for i in client.list("contact", q=q, limit=1000).items] for q in QUERIES}


def test_a_fresh_device_searches_before_while_and_after_the_index_is_built(
    account: Account, tmp_path: Path
) -> None:
    with account.login(tmp_path / "a") as maker:
        with maker.store.transaction():
            for i in range(COUNT):
                name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)]
                phones = [{"label": "mobile", "value": f"139{i:08d}"}]
                maker.add("contact", {"name": name, "phones": phones, "company": f"公司{i % 7}"})
        maker.sync()
        expected = answers(maker)
    assert all(expected.values())
    with account.login(tmp_path / "b") as fresh:
        assert fresh.sync().pulled == COUNT
        waiting = fresh.store.waiting()
        assert waiting > 0  # the bulk pull deferred it
        assert answers(fresh) == expected
        assert fresh.store.waiting() == waiting  # searching built nothing
        seen: list[tuple[int, int]] = []
        stops = iter([False, True])  # stop after the first chunk …
        assert fresh.build_index(100, lambda *p: seen.append(p), lambda: next(stops)) == 100
        assert seen == [(100, waiting)] and fresh.store.waiting() == waiting - 100
        assert answers(fresh) == expected
        assert fresh.build_index(100) == waiting - 100  # … and resume
        assert fresh.store.waiting() == 0 and fresh.build_index() == 0
        assert answers(fresh) == expected
