"""The CLI client against a real server (issue 3 §6; R1, R4–R8, R12–R14): every command with
``--json``, the password never an argument, one-line errors, and the two-terminals scenario
of the issue's "Done means"."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from almanac.cli.errors import run_guarded
from conftest import Account, LiveServer, Restartable, Terminal

# -- login, password, status -----------------------------------------------------------------


def test_password_is_never_an_argument(
    tmp_path: Path, live_server: LiveServer, account: Account
) -> None:
    """R1, issue 3 §6: no --password option; env, --password-stdin or a prompt."""
    term = Terminal(tmp_path / "h", account.password)
    args = ("login", "--server", live_server.url, "--user", account.username)
    refused = term.run(*args, "--password", account.password)
    assert refused.exit_code == 2
    assert not (tmp_path / "h").exists()  # nothing was made
    by_stdin = term.run(*args, "--password-stdin", "--json", stdin=account.password + "\n",
                        password=False)  # fmt: skip
    assert by_stdin.exit_code == 0, by_stdin.output
    prompted = term.run("status", stdin=account.password + "\n", password=False)
    assert prompted.exit_code == 0, prompted.output
    assert account.password not in prompted.stdout  # the prompt hides it


def test_wrong_password_and_bad_login_are_one_line(
    tmp_path: Path, terminal: Terminal, live_server: LiveServer, account: Account
) -> None:
    wrong = Terminal(terminal.home, "不是这个密码-123")
    result = wrong.run("contacts", "list")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines == ["错误: 密码不对：打不开本机的加密数据（什么都没改）"]
    other = Terminal(tmp_path / "other", "wrong-password-9")
    result = other.run("login", "--server", live_server.url, "--user", account.username)
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "用户名或密码不对" in result.stderr
    result = Terminal(tmp_path / "nobody", "x").run("contacts", "list")
    assert result.exit_code == 1 and "almanac login" in result.stderr


def test_status_logout_and_offline(tmp_path: Path, account: Account) -> None:
    """R14: the app knows whether it is online; edits work offline and wait for a sync."""
    server = LiveServer(tmp_path / "srv")
    server.start()
    try:
        person = server.register()
        term = Terminal(tmp_path / "h", person.password)
        term.login(server, person.username)
        status = term.json("status")
        assert status["online"] is True and status["pending"] == 0
        assert status["last_sync"] is None and Path(status["store_path"]).exists()
    finally:
        server.stop()
    added = term.json("memos", "add", "--title", "断网时写的", "--body", "地铁里")
    assert added["pending"] is True and added["version"] is None
    status = term.json("status")
    assert status["online"] is False and status["pending"] == 1
    result = term.run("sync")
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "连不上服务器" in result.stderr
    assert term.json("logout")["logged_out"] is True  # offline: forgotten here all the same
    result = term.run("sync")
    assert result.exit_code == 1 and "almanac login" in result.stderr
    assert [i["content"]["title"] for i in term.json("memos", "list")["items"]] == ["断网时写的"]


# -- the six kinds -------------------------------------------------------------------------


def _ids(page: dict[str, Any]) -> list[str]:
    return [item["id"] for item in page["items"]]


EVERY_KIND = [
    ("groups", ["--name", "大学同学"], ["--name", "高中同学"], ("name", "高中同学")),
    ("contacts", ["--name", "孙丽", "--phone", "13811112222"], ["--address", "杭州市西湖区"],
     ("address", "杭州市西湖区")),
    ("memos", ["--title", "读书笔记", "--body", "《活着》"], ["--pinned"], ("pinned", True)),
    ("birthdays", ["--name", "孙丽", "--solar", "3-8"], ["--notes", "送花"], ("notes", "送花")),
    ("holidays", ["--name", "腊八节", "--lunar", "12-8"], ["--remind", "1"],
     ("reminders", [{"days_before": 1, "at": "09:00"}])),
    ("events", ["--title", "体检", "--start", "2026-07-01T08:00"], ["--location", "协和医院"],
     ("location", "协和医院")),
]  # fmt: skip


def test_every_kind_every_command_json(terminal: Terminal) -> None:
    """Issue 3 §6: list, show, add, edit, rm of each kind, with --json, synced both ways."""
    for plural, add, edit, (field, value) in EVERY_KIND:
        made = terminal.json(plural, "add", *add)
        assert made["pending"] is True and made["version"] is None and not made["deleted"]
        assert terminal.json(plural, "show", made["id"][:8]) == made
        changed = terminal.json(plural, "edit", made["id"][:8], *edit)
        assert changed["content"][field] == value
        assert _ids(terminal.json(plural, "list")) == [made["id"]]
        terminal.json("sync")
        synced = terminal.json(plural, "show", made["id"])
        assert synced["version"] >= 1 and synced["pending"] is False
        assert synced["content"][field] == value
        gone = terminal.json(plural, "rm", made["id"])
        assert gone["deleted"] is True
        assert terminal.json(plural, "list")["items"] == []
    report = terminal.json("sync")
    assert report["pushed"] == 1 and report["rejected"] == []  # the last rm
    assert terminal.json("status")["pending"] == 0


def test_contacts_and_groups(terminal: Terminal) -> None:
    """R4: groups by name, contacts with repeated phones, pinyin order and search."""
    family = terminal.json("groups", "add", "--name", "家人")
    assert set(family) == {"id", "kind", "version", "pending", "deleted", "content"}
    assert family["kind"] == "group" and family["content"] == {"name": "家人"}
    terminal.json("groups", "add", "--name", "同事")
    zhang = terminal.json(
        "contacts", "add", "--name", "张伟", "--phone", "手机:13800138000",
        "--phone", "工作:010-6552 9988", "--email", "zhang.wei@example.cn",
        "--group", "家人", "--company", "北京星辰科技", "--birthday", "农历8-15",
    )  # fmt: skip
    assert zhang["content"]["groups"] == [family["id"]]
    assert zhang["content"]["phones"][1] == {"label": "工作", "value": "010-6552 9988"}
    li = terminal.json("contacts", "add", "--name", "李娜", "--phone", "13912345678")
    wang = terminal.json("contacts", "add", "--name", "王芳", "--group", "同事")
    page = terminal.json("contacts", "list")
    assert _ids(page) == [li["id"], wang["id"], zhang["id"]] and page["next"] is None
    assert _ids(terminal.json("contacts", "search", "zhangwei")) == [zhang["id"]]
    assert _ids(terminal.json("contacts", "search", "zw")) == [zhang["id"]]
    assert _ids(terminal.json("contacts", "search", "1391234")) == [li["id"]]
    assert _ids(terminal.json("contacts", "list", "--q", "王")) == [wang["id"]]
    assert _ids(terminal.json("contacts", "list", "--group", "家人")) == [zhang["id"]]
    assert _ids(terminal.json("contacts", "list", "--has-birthday")) == [zhang["id"]]
    first = terminal.json("contacts", "list", "--limit", "2")
    assert len(first["items"]) == 2 and first["next"]
    rest = terminal.json("contacts", "list", "--limit", "2", "--after", first["next"])
    stale = terminal.run("contacts", "list", "--after", "不是游标")
    assert stale.exit_code == 2 and "--after" in stale.stderr
    assert _ids(rest) == [zhang["id"]]
    shown = terminal.json("contacts", "show", zhang["id"][:8])
    assert shown["content"]["birthday"]["calendar"] == "lunar"
    text = terminal.ok("contacts", "show", zhang["id"][:8]).stdout
    assert "农历八月十五" in text and "手机:13800138000" in text
    assert f"家人 ({family['id'][:8]})" in text


def test_edit_changes_only_what_is_given(terminal: Terminal) -> None:
    made = terminal.json(
        "contacts", "add", "--name", "赵敏", "--phone", "13700001111", "--company", "明教",
        "--notes", "老朋友",
    )  # fmt: skip
    cid = made["id"][:6]
    edited = terminal.json("contacts", "edit", cid, "--company", "峨眉派", "--clear", "notes")
    assert edited["content"]["company"] == "峨眉派"
    assert edited["content"]["notes"] == ""
    assert edited["content"]["phones"] == made["content"]["phones"]
    assert edited["content"]["name"] == "赵敏"
    result = terminal.run("contacts", "edit", cid, "--phone", "12ab")
    assert result.exit_code == 2
    # zh-CN first: the option, and why in Chinese (the model's code, not its English)
    assert result.stderr.strip().splitlines()[0] == (
        "错误: 输入有误 — --phone：不是电话号码（3–20 位数字，可带 +、空格、-、点、括号）"
    )
    result = terminal.run("contacts", "edit", cid)
    assert result.exit_code == 2 and "--clear" in result.stderr
    gone = terminal.json("contacts", "rm", cid)
    assert gone["deleted"] is True and gone["pending"] is True
    result = terminal.run("contacts", "show", cid)
    assert result.exit_code == 1 and "找不到" in result.stderr


def test_memos_birthdays_holidays_events(terminal: Terminal, tmp_path: Path) -> None:
    """R5, R6, R7: add, list with filters, show, edit, rm for the other kinds."""
    body = tmp_path / "memo.txt"
    body.write_text("第一行\n第二行\n", encoding="utf-8")
    memo = terminal.json(
        "memos", "add", "--title", "周末计划", "--body-file", str(body),
        "--pinned", "--due", "2026-05-02T10:00", "--remind", "1@20:00",
    )  # fmt: skip
    assert memo["content"]["body"] == "第一行\n第二行"  # surrounding blanks are stripped
    assert memo["content"]["reminders"] == [{"days_before": 1, "at": "20:00"}]
    from_stdin = terminal.json("memos", "add", "--title", "购物清单", "--body-file", "-",
                               stdin="鸡蛋\n牛奶\n")  # fmt: skip
    assert from_stdin["content"]["body"] == "鸡蛋\n牛奶"
    assert _ids(terminal.json("memos", "list", "--pinned")) == [memo["id"]]
    assert _ids(terminal.json("memos", "list", "--no-pinned")) == [from_stdin["id"]]
    unpinned = terminal.json("memos", "edit", memo["id"], "--unpinned")
    assert unpinned["content"]["pinned"] is False

    zhang = terminal.json("contacts", "add", "--name", "张伟")
    birthday = terminal.json("birthdays", "add", "--name", "张伟", "--contact", "张伟",
                             "--lunar", "闰4-15", "--year", "2020")  # fmt: skip
    assert birthday["content"]["contact_id"] == zhang["id"]
    assert birthday["content"]["date"] == {
        "calendar": "lunar", "year": 2020, "month": 4, "day": 15, "leap": True,
    }  # fmt: skip
    solar = terminal.json("birthdays", "add", "--name", "李娜", "--solar", "5-20")
    assert _ids(terminal.json("birthdays", "list", "--calendar", "lunar")) == [birthday["id"]]
    wrong = terminal.run("birthdays", "list", "--calendar", "农历")
    assert wrong.exit_code == 2 and "--calendar" in wrong.stderr
    moved = terminal.json("birthdays", "edit", solar["id"], "--year", "1990")
    assert moved["content"]["date"] == {
        "calendar": "solar", "year": 1990, "month": 5, "day": 20, "leap": False,
    }  # fmt: skip
    bad = terminal.run("birthdays", "add", "--name", "王芳", "--lunar", "L4-15", "--year", "2026")
    assert bad.exit_code == 2 and "--solar/--lunar/--year：这一年没有这个闰月（" in bad.stderr
    short = terminal.run("birthdays", "add", "--name", "妈妈", "--lunar", "12-30", "--year", "1960")
    # the Chinese words, then what they leave out: how many days that month has
    assert short.exit_code == 2 and "没有这一天（date.day is not a real day" in short.stderr
    assert "腊月" in short.stderr and "has 29 days" in short.stderr

    wedding = terminal.json("holidays", "add", "--name", "结婚纪念日", "--solar", "10-1",
                            "--year", "2015")  # fmt: skip
    once = terminal.json("holidays", "add", "--name", "毕业典礼", "--solar", "2026-6-30",
                         "--once")  # fmt: skip
    assert once["content"]["yearly"] is False and wedding["content"]["yearly"] is True
    assert _ids(terminal.json("holidays", "list", "--no-yearly")) == [once["id"]]

    meeting = terminal.json(
        "events", "add", "--title", "周会", "--start", "2026-05-04T09:30",
        "--end", "2026-05-04T10:30", "--rrule", "FREQ=WEEKLY;BYDAY=MO", "--location", "三楼会议室",
    )  # fmt: skip
    trip = terminal.json("events", "add", "--title", "杭州出差", "--start", "2026-06-01",
                         "--end", "2026-06-03")  # fmt: skip
    assert trip["content"]["all_day"] is True and meeting["content"]["all_day"] is False
    assert _ids(terminal.json("events", "list", "--recurring")) == [meeting["id"]]
    skipped = terminal.json("events", "edit", meeting["id"], "--exdate", "2026-05-11T09:30")
    assert skipped["content"]["exdates"] == ["2026-05-11T09:30:00"]
    assert terminal.json("events", "rm", trip["id"])["deleted"] is True

    report = terminal.json("sync")
    assert report["pushed"] >= 8 and report["conflicts"] == [] and report["rejected"] == []
    status = terminal.json("status")
    assert status["pending"] == 0 and status["last_sync"]
    synced = terminal.json("memos", "show", memo["id"])
    assert synced["version"] >= 1 and synced["pending"] is False


# -- two terminals (issue 3 "Done means") --------------------------------------------------


def test_two_terminals_nothing_gone(
    tmp_path: Path, live_server: LiveServer, account: Account
) -> None:
    """Two profiles of one account: concurrent edits to different fields both survive; to
    the same field, a conflict that is settled by choosing a version; nothing is lost."""
    office = Terminal(tmp_path / "office", account.password)
    home = Terminal(tmp_path / "home", account.password)
    office.login(live_server, account.username, "办公室")
    home.login(live_server, account.username, "家里")
    made = office.json("contacts", "add", "--name", "陈静", "--phone", "13600001234")
    office.json("sync")
    home.json("sync")
    cid = made["id"]

    # different fields, offline on one side
    office.json("contacts", "edit", cid, "--company", "上海云帆")
    home.json("contacts", "edit", cid, "--email", "chen.jing@example.cn")
    office.json("sync")
    home.json("sync")
    office.json("sync")
    for term in (office, home):
        content = term.json("contacts", "show", cid)["content"]
        assert content["company"] == "上海云帆"
        assert content["emails"] == [{"label": "home", "value": "chen.jing@example.cn"}]

    # the same field
    office.json("contacts", "edit", cid, "--notes", "办公室写的备注")
    home.json("contacts", "edit", cid, "--notes", "家里写的备注")
    office.json("sync")
    report = home.json("sync")
    found = home.json("conflicts")["items"]
    # one conflict, reported once (the push's answer and the pull both name it)
    assert len(found) == 1 and [c["id"] for c in report["conflicts"]] == [found[0]["id"]]
    conflict = found[0]
    assert conflict["field"] == "notes" and conflict["record_id"] == cid
    values = {conflict["kept_value"], conflict["other_value"]}
    assert values == {"办公室写的备注", "家里写的备注"}
    table = home.ok("conflicts").stdout
    # in words: the kind, the field, why (zh-CN first)
    assert conflict["id"][:8] in table and "联系人" in table and "备注" in table
    assert "同一行两边都改了" in table  # notes are merged line by line
    loser = "kept" if conflict["kept_value"] == "家里写的备注" else "other"
    # keep the value that lost the deterministic merge: nothing is gone
    keep = conflict[f"{loser}_version"]
    settled = home.json("conflicts", "resolve", conflict["id"][:8], "--keep", str(keep))
    assert settled["content"]["notes"] == "家里写的备注"
    home.json("sync")
    office.json("sync")
    for term in (office, home):
        assert term.json("contacts", "show", cid)["content"]["notes"] == "家里写的备注"
        assert term.json("conflicts")["items"] == []
    assert len(home.json("conflicts", "--all")["items"]) == 1
    result = home.run("conflicts", "resolve", conflict["id"][:8], "--keep", "999")
    assert result.exit_code != 0 and len(result.stderr.strip().splitlines()) == 1


def test_two_terminals_one_offline(tmp_path: Path) -> None:
    """Issue 3 "Done means", to the letter: the server goes away; one terminal edits offline
    (saved and queued at once, R14); when it is back the other edits the same contact and
    syncs; then the first syncs: both edits are there, on both."""
    server = Restartable(tmp_path / "srv")
    server.start()
    person = server.register()
    office = Terminal(tmp_path / "office", person.password)
    home = Terminal(tmp_path / "home", person.password)
    office.login(server, person.username, "办公室")
    home.login(server, person.username, "家里")
    cid = office.json("contacts", "add", "--name", "刘洋", "--phone", "13500007777")["id"]
    office.json("sync")
    home.json("sync")
    server.stop()
    try:
        edited = office.json("contacts", "edit", cid, "--phone", "手机:13500008888")
        assert edited["pending"] is True
        assert office.json("status")["online"] is False
        assert office.run("sync").exit_code == 1  # offline: nothing lost, still queued
        server = server.again()
        home.json("contacts", "edit", cid, "--title", "产品经理")
        home.json("sync")
        report = office.json("sync")
        assert report["pushed"] == 1 and report["conflicts"] == []
        home.json("sync")
        for term in (office, home):
            content = term.json("contacts", "show", cid)["content"]
            assert content["phones"] == [{"label": "手机", "value": "13500008888"}]
            assert content["title"] == "产品经理"
            assert term.json("status")["pending"] == 0
    finally:
        server.stop()


def test_safety_stop_and_restore(tmp_path: Path, live_server: LiveServer, account: Account) -> None:
    """Issue 3 §3 safety stop (sync --yes confirms) and §5 restore by hand (R13)."""
    a = Terminal(tmp_path / "a", account.password)
    b = Terminal(tmp_path / "b", account.password)
    a.login(live_server, account.username, "电脑A")
    b.login(live_server, account.username, "电脑B")
    names = ["赵一", "钱二", "孙三", "李四", "周五", "吴六"]
    names += ["郑七", "王八", "冯九", "陈十", "褚十一"]
    ids = [a.json("contacts", "add", "--name", n)["id"] for n in names]
    a.json("sync")
    b.json("sync")
    for rid in ids:
        b.json("contacts", "rm", rid)
    stop = b.run("sync")
    assert stop.exit_code == 1 and "almanac sync --yes" in stop.stderr
    b.json("sync", "--yes")
    stop = a.run("sync")
    assert stop.exit_code == 1 and "--yes" in stop.stderr
    assert len(a.json("contacts", "list")["items"]) == len(names)  # nothing applied yet
    a.json("sync", "--yes")
    assert a.json("contacts", "list")["items"] == []
    kept = a.json("groups", "add", "--name", "朋友")
    a.json("sync")
    pending = a.json("groups", "add", "--name", "邻居")  # not synced yet
    report = a.json("restore")
    assert report["resynced"] in (True, False)
    groups = {i["id"] for i in a.json("groups", "list")["items"]}
    assert {kept["id"], pending["id"]} <= groups


def test_a_damaged_store_is_said_and_its_unsynced_edit_kept(
    tmp_path: Path, live_server: LiveServer, account: Account
) -> None:
    """R13, issue 3 §5: the outbox's page of a store is damaged after an edit that was not
    synced. The next command (a list) says on stderr that the store was moved aside and
    rebuilt — its --json answer stays clean — and the memo is there: rescued from the
    changed item, pushed with the rebuild, on the other device after its sync; `status`
    names the damaged copy from then on."""
    from almanac.store.db import connect
    from almanac.store.keys import load_profile, unlock
    from almanac.store.paths import current_profile, resolve_home

    a = Terminal(tmp_path / "a", account.password)
    b = Terminal(tmp_path / "b", account.password)
    a.login(live_server, account.username, "电脑A")
    b.login(live_server, account.username, "电脑B")
    a.json("contacts", "add", "--name", "赵敏")
    a.json("sync")
    memo = a.json("memos", "add", "--title", "没同步的", "--body", "这条还没上传")
    paths = current_profile(resolve_home(a.home))
    assert paths is not None
    key = unlock(load_profile(paths).keyfile, account.password)
    conn = connect(paths.store_db, key)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'outbox'").fetchone()
    conn.close()
    with paths.store_db.open("r+b") as handle:
        handle.seek((int(root[0]) - 1) * 4096 + 200)
        handle.write(bytes(64))
    listed = a.run("memos", "list", "--json")
    assert listed.exit_code == 0, listed.output
    assert [i["id"] for i in json.loads(listed.stdout)["items"]] == [memo["id"]]
    assert "本机数据文件损坏了" in listed.stderr and ".damaged-" in listed.stderr
    assert a.json("status")["pending"] == 0  # pushed with the rebuild
    assert "损坏过的旧文件" in a.ok("status").stdout
    b.json("sync")
    [seen] = b.json("memos", "list")["items"]
    assert seen["content"]["body"] == "这条还没上传"


# -- errors ------------------------------------------------------------------------------------


def _almanac(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("almanac")
    base = {k: v for k, v in os.environ.items() if k != "ALMANAC_LANG"}
    return subprocess.run(
        [str(exe), *args], env={**base, **env}, capture_output=True, text=True, timeout=60
    )


def test_errors_one_line_debug_traceback(terminal: Terminal) -> None:
    """Issue 3 §6: one clear line and a non-zero exit, never a traceback unless --debug."""
    env = {"ALMANAC_PASSWORD": terminal.password, "LANG": "en_US.UTF-8"}
    home = str(terminal.home)
    plain = _almanac("groups", "show", "zzzz", "--home", home, env=env)
    assert plain.returncode == 2 and plain.stdout == ""
    assert plain.stderr.startswith("错误: ")  # zh-CN first, whatever LANG says
    assert len(plain.stderr.strip().splitlines()) == 1 and "Traceback" not in plain.stderr
    debug = _almanac("--home", home, "--debug", "groups", "show", "zzzz", env=env)
    assert debug.returncode == 2 and "Traceback (most recent call last)" in debug.stderr
    english = _almanac("groups", "show", "zzzz", "--home", home, env={**env, "ALMANAC_LANG": "en"})
    assert english.stderr.startswith("error: ")
    en = {**env, "ALMANAC_LANG": "en"}
    phone = _almanac("contacts", "add", "--name", "Li", "--phone", "abc", "--home", home, env=en)
    assert phone.returncode == 2 and "--phone: phones.0.value is not a phone number" in phone.stderr
    # a damaged profile file is one line too
    profile = next(terminal.home.glob("profiles/*/profile.json"))
    profile.write_text("{not json", encoding="utf-8")
    broken = _almanac("contacts", "list", "--home", home, env=env)
    assert broken.returncode == 1 and len(broken.stderr.strip().splitlines()) == 1
    assert "Traceback" not in broken.stderr


def test_a_bug_is_one_line_pointing_at_debug(capsys: pytest.CaptureFixture[str]) -> None:
    """Anything that is not an AlmanacError is an internal error: one line, exit 1, and the
    traceback only with --debug (issue 3 §6)."""
    with pytest.raises(SystemExit) as stopped:
        run_guarded(lambda: {}["联系人"])
    assert stopped.value.code == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "内部错误 (internal error) KeyError" in err and "--debug" in err
    with pytest.raises(SystemExit):
        run_guarded(lambda: {}["联系人"], debug=True)
    assert "Traceback (most recent call last)" in capsys.readouterr().err


# -- upcoming (issue 4) ------------------------------------------------------------------------


def test_upcoming_from_the_local_store(terminal: Terminal) -> None:
    """Issue 4 ``almanac upcoming``: birthdays with the age they turn, holidays, festivals,
    events and memos due, from the local store (offline; nothing synced here)."""
    terminal.json("birthdays", "add", "--name", "张伟", "--solar", "1990-5-20")
    terminal.json("birthdays", "add", "--name", "奶奶", "--lunar", "1940-4-8")
    terminal.json("events", "add", "--title", "部门周会", "--start", "2026-05-18T09:30")
    terminal.json("memos", "add", "--title", "交房租", "--due", "2026-05-25T18:00")
    terminal.json("holidays", "add", "--name", "结婚纪念日", "--solar", "2015-5-28")
    got = terminal.json("upcoming", "--today", "2026-05-15", "--days", "30")
    assert got["today"] == "2026-05-15" and got["timezone"] == "Asia/Shanghai"
    mine = [(i["day"], i["kind"], i["title"], i["age"]) for i in got["items"]
            if i["kind"] != "festival"]  # fmt: skip
    assert ("2026-05-20", "birthday", "张伟", 36) in mine
    assert ("2026-05-18", "event", "部门周会", None) in mine
    assert ("2026-05-25", "memo", "交房租", None) in mine
    assert ("2026-05-28", "holiday", "结婚纪念日", 11) in mine
    # 农历四月初八 2026 is 2026-05-24
    assert ("2026-05-24", "birthday", "奶奶", 86) in mine
    days = [i["days_until"] for i in got["items"]]
    assert days == sorted(days) and days[0] >= 0
    text = terminal.ok("upcoming", "--today", "2026-05-15", "--days", "9").stdout
    assert "张伟" in text and "36周岁" in text and "交房租" not in text
    bad = terminal.run("upcoming", "--hide", "不是节日")
    assert bad.exit_code == 2 and "--hide" in bad.stderr


def test_upcoming_shows_birthdays_typed_on_contacts(terminal: Terminal) -> None:
    """A contact's birthday (lunar 八月十五: 2026-09-25) is upcoming once, linked to the
    contact; a contact a birthday record links shows through that record only."""
    zhang = terminal.json("contacts", "add", "--name", "张伟", "--birthday", "农历1990-8-15")
    li = terminal.json("contacts", "add", "--name", "李娜", "--birthday", "9-26")
    terminal.json("contacts", "add", "--name", "没生日")
    terminal.json("birthdays", "add", "--name", "娜娜", "--solar", "9-27", "--contact", li["id"])
    got = terminal.json("upcoming", "--today", "2026-09-20", "--days", "10")
    mine = [(i["day"], i["title"], i["id"], i["source"], i["age"]) for i in got["items"]
            if i["kind"] == "birthday"]  # fmt: skip
    assert mine[0] == ("2026-09-25", "张伟", zhang["id"], "contact", 36)
    assert [(d, t, s) for d, t, _, s, _ in mine[1:]] == [("2026-09-27", "娜娜", None)]
    text = terminal.ok("upcoming", "--today", "2026-09-20", "--days", "10").stdout
    assert "联系人生日  张伟（农历）  36周岁" in text
    month = terminal.json("calendar", "month", "2026-09")
    by_day = {d["date"]: d["items"] for d in month["days"]}
    assert [(i["title"], i["source"], i["age"]) for i in by_day["2026-09-25"]] == [
        ("张伟", "contact", 36)
    ]
    assert [i["title"] for i in by_day["2026-09-27"]] == ["娜娜"]
    assert by_day["2026-09-26"] == []  # 李娜's own date: her linked record wins
    grid = terminal.ok("calendar", "month", "2026-09").stdout
    assert "张伟" in grid and "娜娜" in grid


def test_a_sync_report_names_records_and_conflicts_in_words(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """R8, zh-CN first: a notice names the record's kind in Chinese (not ``contact``) and the
    fields in conflict; an edit that beat a delete says so."""
    from uuid import UUID

    from almanac.cli.session import print_report
    from almanac.client.reports import SyncReport
    from almanac.sync.decide import Notify
    from almanac.sync.protocol import FieldConflict

    rid = UUID("6261edbc-a29f-4790-bd74-752015145db6")
    clash = FieldConflict(field="company", kept_value="京东", other_value="百度")
    report = SyncReport(
        pushed=2,
        pulled=1,
        notices=[
            Notify(rid, "contact", "conflict", conflicts=(clash,)),
            Notify(rid, "memo", "conflict", notices=("resurrected",)),
        ],
    )
    monkeypatch.delenv("ALMANAC_LANG", raising=False)
    print_report(report)
    lines = capsys.readouterr().out.splitlines()
    assert "  提示: 联系人 6261edbc — 冲突（单位）：两边的值都保留着" in lines
    assert "  提示: 备忘 6261edbc — 记录在别处被删除，但这里的修改让它回来了" in lines
    monkeypatch.setenv("ALMANAC_LANG", "en")
    print_report(report)
    assert "  notice: contact 6261edbc — conflict (company)" in capsys.readouterr().out
