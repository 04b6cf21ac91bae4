"""The command factory: ``almanac K list|show|add|edit|rm`` for each kind K (and ``almanac
contacts search``), generated from the option tables of ``almanac.cli.fields`` and the
list filters of ``almanac.model.KINDS`` — six kinds, one piece of code (R4–R7, issue 3 §6).

Every command works on the local store through ``almanac.client.Client`` and never waits on
the network.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from almanac.cli import fields, output
from almanac.cli.client_opts import Common, common_parameters, open_client, pop_common
from almanac.cli.words import t
from almanac.errors import FieldProblem, InvalidInput, NotFound
from almanac.model import KINDS

if TYPE_CHECKING:
    from almanac.client.facade import Client

KW = inspect.Parameter.KEYWORD_ONLY
DEFAULT_LIMIT = 100


def _param(name: str, annotation: Any, default: Any = None) -> inspect.Parameter:
    return inspect.Parameter(name, KW, annotation=annotation, default=default)


def _id_param(help_text: str) -> inspect.Parameter:
    return inspect.Parameter(
        "record_id",
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
        annotation=Annotated[str, typer.Argument(metavar="ID", help=help_text)],
    )


def _command(
    doc: str, params: list[inspect.Parameter], body: Callable[[Common, dict[str, Any]], None]
) -> Callable[..., None]:
    """A function Typer reads like a hand-written command: ``params`` is its signature."""

    def command(**values: Any) -> None:
        c = pop_common(values)
        c.run(lambda: body(c, values))

    command.__signature__ = inspect.Signature([*params, *common_parameters()])  # type: ignore[attr-defined]
    command.__doc__ = doc
    return command


class ClientResolver:
    """Names or ids of linked records, resolved through the local store."""

    def __init__(self, client: Client):
        self.client = client

    def _by_name(self, kind: str, text: str, option: str) -> str:
        want = text.strip().casefold()
        page = self.client.list(kind, q=text, limit=50)
        exact = [i for i in page.items if str(i.content.get("name", "")).casefold() == want]
        if len(exact) == 1:
            return str(exact[0].id)
        if len(exact) > 1:
            raise fields.bad(
                option,
                f"有 {len(exact)} 条都叫 {text!r}：请用 id",
                f"{text!r} names {len(exact)} records: use an id",
            )
        try:
            return str(self.client.get(kind, text).id)
        except (NotFound, InvalidInput):
            raise fields.bad(
                option,
                f"找不到 {text!r}（名称或 id）",
                f"matches nothing named {text!r} (nor an id)",
            ) from None

    def group_id(self, text: str) -> str:
        return self._by_name("group", text, "--group")

    def contact_id(self, text: str) -> str:
        return self._by_name("contact", text, "--contact")


def _field_params(kind: str) -> list[inspect.Parameter]:
    params = []
    for opt in fields.options_of(kind):
        decl = f"{opt.option}/{opt.off}" if opt.off else opt.option
        info = typer.Option(decl, help=opt.help, metavar=opt.metavar, show_default=False)
        annotation: Any = {
            "text": str | None,
            "int": int | None,
            "flag": bool | None,
            "multi": list[str] | None,
        }[opt.shape]
        params.append(_param(opt.dest, Annotated[annotation, info]))
    return params


def _filter_params(kind: str) -> list[inspect.Parameter]:
    params = []
    for f in KINDS[kind].filters.values():
        dashed = f.name.replace("_", "-")
        if f.type == "boolean":
            info = typer.Option(f"--{dashed}/--no-{dashed}", help=f.description)
            params.append(_param(f"f_{f.name}", Annotated[bool | None, info]))
        else:
            help_text = f.description + (" (名称或 id)" if f.type == "uuid" else "")
            info = typer.Option(f"--{dashed}", help=help_text)
            params.append(_param(f"f_{f.name}", Annotated[str | None, info]))
    return params


def _filters(kind: str, values: dict[str, Any], client: Client) -> dict[str, str]:
    out: dict[str, str] = {}
    resolver = ClientResolver(client)
    for f in KINDS[kind].filters.values():
        raw = values.get(f"f_{f.name}")
        if raw is None:
            continue
        if isinstance(raw, bool):
            out[f.name] = "true" if raw else "false"
        elif f.type == "uuid":
            by_name = resolver.contact_id if f.name == "contact" else resolver.group_id
            out[f.name] = by_name(raw)
        else:
            out[f.name] = raw
    return out


def _list_params(kind: str, with_q: bool = True) -> list[inspect.Parameter]:
    params = []
    if with_q:
        q = typer.Option("--q", help="查找：姓名、拼音、电话…")
        params.append(_param("q", Annotated[str | None, q]))
    params += _filter_params(kind)
    limit = typer.Option("--limit", min=1, max=500, help="最多几条")
    params.append(_param("limit", Annotated[int, limit], DEFAULT_LIMIT))
    after = typer.Option("--after", help="接着上一页（上一页的 next）")
    params.append(_param("after", Annotated[str | None, after]))
    return params


def _page(client: Client, kind: str, q: str | None, v: dict[str, Any]) -> Any:
    """One list page; a bad filter or cursor is named by its option (``--calendar``)."""
    filters = _filters(kind, v, client)
    try:
        return client.list(kind, q=q, filters=filters, limit=v["limit"], after=v["after"])
    except InvalidInput as exc:
        raise InvalidInput(
            [
                FieldProblem(
                    f"--{p.field.replace('_', '-')}",
                    f"--{p.field.replace('_', '-')}: {p.message}",
                    p.code,
                )
                if p.field and not p.field.startswith("-")
                else p
                for p in exc.problems
            ]
        ) from None


def _print_page(c: Common, kind: str, page: Any) -> None:
    if c.as_json:
        output.echo_json(output.page_json(page.items, page.next_after))
    else:
        output.print_items(kind, page.items, page.next_after)


def make_list(kind: str) -> Callable[..., None]:
    def body(c: Common, v: dict[str, Any]) -> None:
        with open_client(c) as client:
            _print_page(c, kind, _page(client, kind, v["q"], v))

    label = KINDS[kind].label_zh
    return _command(f"列出{label}（拼音顺序），可查找、筛选。", _list_params(kind), body)


def make_search() -> Callable[..., None]:
    query = inspect.Parameter(
        "query",
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
        annotation=Annotated[str, typer.Argument(metavar="QUERY", help="姓名、拼音、电话、邮箱…")],
    )

    def body(c: Common, v: dict[str, Any]) -> None:
        with open_client(c) as client:
            _print_page(c, "contact", _page(client, "contact", v["query"], v))

    doc = "查找联系人：与服务器相同的条件和拼音匹配（全拼、首字母）。"
    return _command(doc, [query, *_list_params("contact", with_q=False)], body)


def _linked_names(client: Client, item: Any) -> dict[str, str]:
    """The names of the groups or the contact a record points at (for text output)."""
    links = [("group", g) for g in item.content.get("groups") or []]
    if item.content.get("contact_id"):
        links.append(("contact", item.content["contact_id"]))
    names: dict[str, str] = {}
    for kind, rid in links:
        try:
            names[str(rid)] = str(client.get(kind, str(rid)).content.get("name", ""))
        except (NotFound, InvalidInput):
            continue
    return names


def _show_item(c: Common, item: Any, verb: str | None = None, client: Client | None = None) -> None:
    if c.as_json:
        output.echo_json(output.item_json(item))
    else:
        names = _linked_names(client, item) if client is not None else None
        output.print_item(item, verb, names)


def make_show(kind: str) -> Callable[..., None]:
    def body(c: Common, v: dict[str, Any]) -> None:
        with open_client(c) as client:
            _show_item(c, client.get(kind, v["record_id"]), client=client)

    label = KINDS[kind].label_zh
    params = [_id_param("完整 id 或唯一前缀")]
    return _command(f"显示一条{label}（完整 id 或唯一前缀）。", params, body)


def make_add(kind: str) -> Callable[..., None]:
    def body(c: Common, v: dict[str, Any]) -> None:
        with open_client(c) as client:
            content = fields.changes_from(kind, v, None, ClientResolver(client))
            content = {k: val for k, val in content.items() if val is not None}
            try:
                item = client.add(kind, content)
            except InvalidInput as exc:
                raise fields.with_options(kind, exc) from None
            _show_item(c, item, t(f"已添加{KINDS[kind].label_zh}", f"added {kind}"), client)

    label = KINDS[kind].label_zh
    return _command(f"添加一条{label}（马上存在本机，下次同步时上传）。", _field_params(kind), body)


def make_edit(kind: str) -> Callable[..., None]:
    clear = _param(
        "clear",
        Annotated[
            list[str] | None,
            typer.Option("--clear", metavar="FIELD", help="清除字段（可重复）：--clear phone"),
        ],
    )

    def body(c: Common, v: dict[str, Any]) -> None:
        with open_client(c) as client:
            current = client.get(kind, v["record_id"])
            changes = fields.changes_from(
                kind, v, current.content, ClientResolver(client), v["clear"] or ()
            )
            if not changes:
                raise fields.bad(
                    "--clear", "或任何字段选项：没有要改的", "or a field option: nothing to change"
                )
            try:
                item = client.edit(kind, current.id, changes)
            except InvalidInput as exc:
                raise fields.with_options(kind, exc) from None
            _show_item(c, item, t(f"已修改{KINDS[kind].label_zh}", f"changed {kind}"), client)

    label = KINDS[kind].label_zh
    params = [_id_param("完整 id 或唯一前缀"), *_field_params(kind), clear]
    return _command(f"修改一条{label}：只改给出的选项。", params, body)


def make_rm(kind: str) -> Callable[..., None]:
    def body(c: Common, v: dict[str, Any]) -> None:
        with open_client(c) as client:
            item = client.remove(kind, v["record_id"])
            _show_item(c, item, t(f"已删除{KINDS[kind].label_zh}", f"deleted {kind}"))

    label = KINDS[kind].label_zh
    return _command(f"删除一条{label}。", [_id_param("完整 id 或唯一前缀")], body)


def kind_app(kind: str) -> typer.Typer:
    """``almanac <plural> …`` for one kind."""
    spec = KINDS[kind]
    app = typer.Typer(help=f"{spec.label_zh} ({spec.plural}).", no_args_is_help=True)
    app.command("list")(make_list(kind))
    app.command("show")(make_show(kind))
    app.command("add")(make_add(kind))
    app.command("edit")(make_edit(kind))
    app.command("rm")(make_rm(kind))
    if kind == "contact":
        app.command("search")(make_search())
    return app


def add_to(app: typer.Typer) -> None:
    """Add the six kinds' command groups to the root app."""
    for kind, spec in KINDS.items():
        app.add_typer(kind_app(kind), name=spec.plural)
