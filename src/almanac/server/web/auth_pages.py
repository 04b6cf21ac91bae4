"""The account pages (R1): the start page, log in, register and log out. ``/`` and a login
lead to the person's start page (their ``start_page`` setting, R3).

Every POST checks the CSRF token first, so a forged form changes nothing. A wrong password
shows the form again with the typed user name kept (never the password); too many tries show
how long to wait; registration problems name the field in the page's language.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from almanac.errors import BadCredentials, Duplicate, InvalidInput, Throttled
from almanac.server.accounts import rules
from almanac.server.web import csrf, i18n, session
from almanac.server.web.render import render, start_url

router = APIRouter(include_in_schema=False)

FormText = Annotated[str, Form()]
USERNAME_LIMITS = {"min": rules.USERNAME_MIN, "max": rules.USERNAME_MAX}
PASSWORD_LIMITS = {"min": rules.PASSWORD_MIN, "max": rules.PASSWORD_MAX}


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _home(request: Request) -> str:
    """The logged-in person's start page (their ``start_page`` setting, R3)."""
    return start_url(i18n.person_prefs(request))


@router.get("/")
def start_page(request: Request) -> Response:
    return _see_other(_home(request) if session.current(request) else "/login")


@router.get("/login")
def login_form(request: Request, username: str = "") -> Response:
    if session.current(request):
        return _see_other(_home(request))
    notice = None
    if "registered" in request.query_params:
        notice = "registered"
    elif "logged_out" in request.query_params:
        notice = "logged_out"
    context = {"username": username[:64], "notice": notice, "error": None}
    return render(request, "login.html", context)


@router.post("/login")
def login_submit(
    request: Request,
    username: FormText = "",
    password: FormText = "",
    csrf_token: FormText = "",
) -> Response:
    csrf.verify(request, csrf_token)
    accounts = request.app.state.ctx.accounts
    t = i18n.translator(i18n.lang_of(request))
    try:
        user = accounts.authenticate(username, password, session.client_addr(request))
    except (BadCredentials, InvalidInput):
        context = {"username": username, "error": t("bad_credentials"), "notice": None}
        return render(request, "login.html", context, status_code=401)
    except Throttled as exc:
        message = t("throttled", seconds=exc.retry_after)
        context = {"username": username, "error": message, "notice": None}
        headers = {"retry-after": str(exc.retry_after)}
        return render(request, "login.html", context, status_code=429, headers=headers)
    response = _see_other(start_url(request.app.state.ctx.preferences.get(user.id)))
    session.start(request, response, user.id)
    return response


@router.post("/logout")
def logout_submit(request: Request, csrf_token: FormText = "") -> Response:
    csrf.verify(request, csrf_token)
    response = _see_other("/login?logged_out=1")
    session.end(request, response)
    return response


@router.get("/register")
def register_form(request: Request) -> Response:
    if session.current(request):
        return _see_other(_home(request))
    return render(request, "register.html", {"username": "", "error": None, "field": None})


@router.post("/register")
def register_submit(
    request: Request,
    username: FormText = "",
    password: FormText = "",
    password2: FormText = "",
    csrf_token: FormText = "",
) -> Response:
    csrf.verify(request, csrf_token)
    t = i18n.translator(i18n.lang_of(request))
    if password != password2:
        return _register_again(request, username, "password2", t("passwords_differ"))
    try:
        user = request.app.state.ctx.accounts.register(username, password)
    except InvalidInput as exc:
        field = exc.field or "username"
        return _register_again(request, username, field, describe_problem(t, field, exc.code))
    except Duplicate as exc:
        field = exc.field or "username"
        return _register_again(request, username, field, describe_problem(t, field, "duplicate"))
    return _see_other("/login?" + urlencode({"registered": 1, "username": user.username}))


def _register_again(request: Request, username: str, field: str, message: str) -> Response:
    """The registration form once more: the problem named, the typed user name kept."""
    context = {"username": username, "error": message, "field": field}
    return render(request, "register.html", context, status_code=422)


def describe_problem(t: Any, field: str, code: str) -> str:
    """The field's name and the reason in the page's language (用户名：至少需要 3 个字符)."""
    field = field if field in {"username", "password", "password2"} else "username"
    limits = USERNAME_LIMITS if field == "username" else PASSWORD_LIMITS
    key = f"reason_{code}"
    reason = t(key, **limits) if key in i18n.MESSAGES["zh"] else t("reason_invalid")
    return str(t("field_problem", field=t(field), reason=reason))
