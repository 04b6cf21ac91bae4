"""``almanac login``, ``logout``, ``status``, ``sync`` and ``restore`` (R1, R8, R11–R14;
issue 3 §6): the commands that talk to the server, or say how things stand with it."""

from __future__ import annotations

import time
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from almanac.cli import output
from almanac.cli.client_opts import (
    DebugOption,
    HomeOption,
    JsonOption,
    PasswordStdinOption,
    common,
    open_client,
    read_password,
    rebuilt_words,
    transport_factory,
)
from almanac.cli.fields import field_label
from almanac.cli.words import t

STATUS_TIMEOUT = 3.0  # seconds `status` waits for the server
BAR_AFTER = 0.5  # seconds a sync runs before its progress bar shows
BAR_MIN_TOTAL = 200  # …or when it has at least this many changes to move

NOTICE_WORDS = {
    "resurrected": ("记录在别处被删除，但这里的修改让它回来了", "an edit beat a delete"),
    "delete_refused": ("没有删除：记录在别处被改过，已保留", "not deleted: changed elsewhere"),
    "already_deleted": ("记录已经被删除了", "the record was already deleted"),
    "identical": ("两边改得一样，不算冲突", "identical edits on both sides"),
    "text_merged": ("正文的两处修改已按行合并", "the text edits were merged line by line"),
    "invalid_merge": ("合并后的内容无效，保留了服务器上的版本", "merge invalid: server's kept"),
}


# -- JSON shapes ---------------------------------------------------------------------------


def status_json(s: Any) -> dict[str, Any]:
    return {
        "server_url": s.server_url,
        "user": s.user,
        "device": s.device,
        "online": s.online,
        "pending": s.pending,
        "last_sync": s.last_sync.isoformat() if s.last_sync else None,
        "conflicts": s.conflicts,
        "cursor": s.cursor,
        "store_path": str(s.store_path),
        "notices": list(s.notices),
        "damaged_copy": str(s.damaged_copy) if s.damaged_copy else None,
    }


def notify_json(n: Any) -> dict[str, Any]:
    return {
        "record_id": str(n.record_id),
        "kind": n.kind,
        "what": n.what,
        "conflicts": [c.model_dump(mode="json") for c in n.conflicts],
        "notices": list(n.notices),
        "error": n.error.model_dump(mode="json") if n.error else None,
    }


def report_json(r: Any) -> dict[str, Any]:
    return {
        "pushed": r.pushed,
        "pulled": r.pulled,
        "conflicts": [output.conflict_json(c) for c in r.conflicts],
        "notices": [notify_json(n) for n in r.notices],
        "rejected": [notify_json(n) for n in r.rejected],
        "resynced": r.resynced,
        "seconds": round(r.seconds, 3),
    }


# -- words -----------------------------------------------------------------------------------


def _notice(code: str) -> str:
    zh, en = NOTICE_WORDS.get(code, (code, code))
    return t(zh, en)


def _record(kind: str, record_id: Any) -> str:
    """A record as a report line names it: its kind in words and the id's first 8."""
    return f"{output.kind_words(kind)} {str(record_id)[:8]}"


def _conflicted(n: Any) -> str:
    fields = [field_label(n.kind, c.field) for c in n.conflicts]
    return t(f"冲突（{'、'.join(fields)}）：两边的值都保留着", f"conflict ({', '.join(fields)})")


def print_report(r: Any) -> None:
    out = output.console()
    out.print(
        t(
            f"同步完成：上传 {r.pushed} 条修改，下载 {r.pulled} 条（{r.seconds:.2f} 秒）",
            f"synced: pushed {r.pushed}, pulled {r.pulled} ({r.seconds:.2f} s)",
        )
    )
    if r.resynced:
        out.print(
            t(
                "已从服务器重新下载全部数据（本机未同步的修改都保留了）",
                "re-downloaded everything from the server (unsynced edits kept)",
            )
        )
    for n in r.notices:
        said = [_notice(code) for code in n.notices]
        if n.conflicts:
            said.insert(0, _conflicted(n))
        words = "；".join(said) or n.what
        out.print(f"  {t('提示', 'notice')}: {_record(n.kind, n.record_id)} — {words}")
    for n in r.rejected:
        reason = n.error.message if n.error else ""
        out.print(f"  {t('被服务器拒绝', 'rejected')}: {_record(n.kind, n.record_id)} — {reason}")
    if r.conflicts:
        out.print(
            t(
                f"有 {len(r.conflicts)} 处冲突（两边的值都保留着）：运行 almanac conflicts 查看",
                f"{len(r.conflicts)} conflicts (both values kept): see almanac conflicts",
            )
        )


def _status_notice(code: str, s: Any) -> str:
    if code == "store_rebuilt":
        return rebuilt_words(s.damaged_copy)
    if code == "password_changed":
        return t("服务器上的密码改过，本机数据已改用新密码加密", "re-keyed for the new password")
    return code


def print_status(s: Any) -> None:
    online = {True: t("在线", "online"), False: t("离线", "offline"), None: t("未检查", "?")}
    last = s.last_sync.isoformat(timespec="seconds") if s.last_sync else t("从未同步", "never")
    lines = [
        f"{t('服务器', 'server')}: {s.server_url}  ({online[s.online]})",
        f"{t('用户', 'user')}: {s.user}  {t('设备', 'device')}: {s.device}",
        f"{t('待上传的修改', 'pending changes')}: {s.pending}",
        f"{t('上次同步', 'last sync')}: {last}",
        f"{t('未解决的冲突', 'conflicts')}: {s.conflicts}",
        f"{t('本机数据', 'store')}: {s.store_path}",
    ]
    lines += [f"{t('提示', 'notice')}: {_status_notice(code, s)}" for code in s.notices]
    if s.damaged_copy and "store_rebuilt" not in s.notices:  # rebuilt by an earlier command
        lines.append(f"{t('损坏过的旧文件', 'damaged copy')}: {s.damaged_copy}")
    output.console().print("\n".join(lines), markup=False)


class SyncBar:
    """A rich progress bar on stderr, shown only once a sync is long (a big total, or still
    running after ``BAR_AFTER`` seconds)."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.started = time.monotonic()
        self.progress: Progress | None = None
        self.tasks: dict[str, Any] = {}

    def __call__(self, p: Any) -> None:
        if not self.enabled:
            return
        long = (p.total or 0) >= BAR_MIN_TOTAL or time.monotonic() - self.started > BAR_AFTER
        if self.progress is None and long:
            self.progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self.progress.start()
        if self.progress is None:
            return
        name = t("上传", "push") if p.phase == "push" else t("下载", "pull")
        if p.phase not in self.tasks:
            self.tasks[p.phase] = self.progress.add_task(name, total=p.total)
        self.progress.update(self.tasks[p.phase], completed=p.done, total=p.total)

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()


# -- the commands ------------------------------------------------------------------------------


def login(
    ctx: typer.Context,
    server: Annotated[str, typer.Option("--server", help="服务器地址，如 http://127.0.0.1:8000")],
    user: Annotated[str, typer.Option("--user", help="用户名")],
    device: Annotated[
        str | None, typer.Option("--device", help="这台设备的名字（默认：主机名）")
    ] = None,
    password_stdin: PasswordStdinOption = False,
    as_json: JsonOption = False,
    home: HomeOption = None,
    debug: DebugOption = False,
) -> None:
    """登录服务器：建立本机的加密数据（或打开已有的），设为当前资料。密码不作为参数。"""
    c = common(ctx, as_json, home, debug, password_stdin)

    def body() -> None:
        from almanac.client.facade import Client

        password = read_password(c.password_stdin)
        client = Client.login(
            server, user, password, home=c.home, device=device, transport=transport_factory()
        )
        with client:
            s = client.status()
            if c.as_json:
                output.echo_json(status_json(s))
                return
            output.console().print(
                t(
                    f"已登录 {s.user} @ {s.server_url}（设备 {s.device}）。"
                    f"本机数据：{s.store_path}",
                    f"logged in as {s.user} @ {s.server_url} (device {s.device}); "
                    f"store: {s.store_path}",
                ),
                markup=False,
            )
            output.console().print(t("运行 almanac sync 下载数据。", "Run almanac sync."))

    c.run(body)


def logout(
    ctx: typer.Context,
    password_stdin: PasswordStdinOption = False,
    as_json: JsonOption = False,
    home: HomeOption = None,
    debug: DebugOption = False,
) -> None:
    """退出登录：服务器收回这台设备的令牌（联网时），本机数据保留。"""
    c = common(ctx, as_json, home, debug, password_stdin)

    def body() -> None:
        with open_client(c) as client:
            s = client.status()
            client.logout()
        if c.as_json:
            output.echo_json({"logged_out": True, "store_path": str(s.store_path)})
        else:
            output.console().print(
                t(f"已退出登录；本机数据仍在 {s.store_path}", f"logged out; kept {s.store_path}"),
                markup=False,
            )

    c.run(body)


def status(
    ctx: typer.Context,
    password_stdin: PasswordStdinOption = False,
    as_json: JsonOption = False,
    home: HomeOption = None,
    debug: DebugOption = False,
) -> None:
    """现在的状态：是否在线（很快地试一下服务器）、待上传的修改、上次同步、冲突、本机数据在哪。"""
    c = common(ctx, as_json, home, debug, password_stdin)

    def body() -> None:
        with open_client(c, timeout=STATUS_TIMEOUT) as client:
            s = client.status(check_online=True)
        if c.as_json:
            output.echo_json(status_json(s))
        else:
            print_status(s)

    c.run(body)


def sync(
    ctx: typer.Context,
    yes: Annotated[
        bool, typer.Option("--yes", help="确认：这次同步要删除大部分记录时也照做")
    ] = False,
    password_stdin: PasswordStdinOption = False,
    as_json: JsonOption = False,
    home: HomeOption = None,
    debug: DebugOption = False,
) -> None:
    """同步：上传本机的修改，下载别处的修改；冲突两边的值都保留，可以选定。"""
    c = common(ctx, as_json, home, debug, password_stdin)

    def body() -> None:
        bar = SyncBar(enabled=not c.as_json and Console(stderr=True).is_terminal)
        with open_client(c) as client:
            try:
                report = client.sync(confirm=yes, progress=bar)
            finally:
                bar.stop()
            if c.as_json:
                output.echo_json(report_json(report))
            else:
                print_report(report)
            from almanac.store.index import INLINE  # loaded with the store already

            if report.pulled > INLINE:
                # A large pull defers the search index (docs/sync.md): build it now, after the
                # report, so the person's next search does not pay for it.
                client.store.reindex()

    c.run(body)


def restore(
    ctx: typer.Context,
    password_stdin: PasswordStdinOption = False,
    as_json: JsonOption = False,
    home: HomeOption = None,
    debug: DebugOption = False,
) -> None:
    """从服务器重建本机数据：旧文件移到一边（不删除），能读出的未同步修改重新排队。"""
    c = common(ctx, as_json, home, debug, password_stdin)

    def body() -> None:
        with open_client(c) as client:
            report = client.restore()
        if c.as_json:
            output.echo_json(report_json(report))
        else:
            output.console().print(t("已从服务器重建本机数据。", "Rebuilt from the server."))
            print_report(report)

    c.run(body)


def add_to(app: typer.Typer) -> None:
    for fn in (login, logout, status, sync, restore):
        app.command(fn.__name__)(fn)
