"""The ONE place where errors become HTTP responses.

For ``/api/...`` and ``/healthz`` every failure is the JSON envelope
``{"error": {"code", "message", "field"?, "details"?: [{"field", "message", "code"}]}}``;
for every other path the web face's HTML error page is used. The mapping:

=====================================  ======  =========================================
error                                  status  extra
=====================================  ======  =========================================
InvalidInput, RequestValidationError   422     ``field`` + ``details`` (dotted paths)
NotFound                               404
Conflict (Duplicate, VersionConflict)  409
NotAuthenticated, BadCredentials       401     ``WWW-Authenticate: Bearer``
Forbidden                              403
Throttled                              429     ``Retry-After``
Starlette HTTPException                its own its headers (e.g. ``Allow`` on 405)
anything else                          500     code ``internal``; logged without data
=====================================  ======  =========================================

The 500 log line names the request's method and path and the exception's type and stack
frames, never its message, the query string, headers or body (they may hold passwords,
tokens or personal data).
"""

from __future__ import annotations

import inspect
import logging
import traceback
from collections.abc import Callable, Sequence
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic_core import InitErrorDetails, PydanticCustomError, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from almanac.errors import (
    AlmanacError,
    BadCredentials,
    Conflict,
    FieldProblem,
    Forbidden,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    Throttled,
)
from almanac.model.validation import problems_from

log = logging.getLogger("almanac.server.errors")

ErrorPage = Callable[[Request, Exception], Any]
"""``almanac.server.web.errors.error_page``: an HTML (or awaitable HTML) response."""

API_PREFIX = "/api"
JSON_PATHS = ("/healthz",)

_STATUS: list[tuple[type[AlmanacError], int]] = [
    (InvalidInput, 422),
    (NotFound, 404),
    (Conflict, 409),
    (NotAuthenticated, 401),
    (BadCredentials, 401),
    (Forbidden, 403),
    (Throttled, 429),
]

_HTTP_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "throttled",
}

_REQUEST_PARTS = {"body", "query", "path", "header", "cookie"}


def is_json_path(path: str) -> bool:
    """True for the paths whose errors are JSON envelopes (the API and the health check)."""
    return path == API_PREFIX or path.startswith(API_PREFIX + "/") or path in JSON_PATHS


def status_for(exc: AlmanacError) -> int:
    for cls, status in _STATUS:
        if isinstance(exc, cls):
            return status
    return 400


def envelope(
    code: str,
    message: str,
    *,
    field: str | None = None,
    details: Sequence[FieldProblem] | None = None,
) -> dict[str, Any]:
    """The error envelope as a dict (``field`` and ``details`` only when known)."""
    body: dict[str, Any] = {"code": code, "message": message}
    if field is not None:
        body["field"] = field
    if details:
        body["details"] = [
            {"field": p.field, "message": p.message, "code": p.code} for p in details
        ]
    return {"error": body}


def almanac_error_response(exc: AlmanacError) -> JSONResponse:
    status = status_for(exc)
    details = exc.problems if isinstance(exc, InvalidInput) else None
    headers: dict[str, str] = {}
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    if isinstance(exc, Throttled):
        headers["Retry-After"] = str(exc.retry_after)
    content = envelope(exc.code, exc.message, field=exc.field or None, details=details)
    return JSONResponse(content, status_code=status, headers=headers)


def strip_part(loc: Sequence[int | str]) -> tuple[int | str, ...]:
    """``("body", "emails", 0, "value")`` → ``("emails", 0, "value")``."""
    parts = tuple(loc)
    if parts and parts[0] in _REQUEST_PARTS:
        parts = parts[1:]
    return parts


def problems_from_validation(exc: RequestValidationError) -> list[FieldProblem]:
    """FastAPI's validation errors as the record model's field problems: the same dotted
    paths (a model check's ``ctx["field"]`` included), codes and sentences as
    ``almanac.model.validation`` gives for the same input anywhere else."""
    line_errors: list[InitErrorDetails] = []
    for err in exc.errors():
        kind = str(err.get("type", "invalid"))
        loc = () if kind == "json_invalid" else strip_part(err.get("loc", ()))
        ctx = err.get("ctx")
        message = str(err.get("msg", "is invalid"))
        line_errors.append(
            {
                "type": PydanticCustomError(kind, message, dict(ctx) if ctx else None),
                "loc": loc,
                "input": None,
            }
        )
    if not line_errors:
        return [FieldProblem(field="", message="The request is invalid.", code="invalid")]
    return problems_from(ValidationError.from_exception_data("request", line_errors))


def validation_error_response(exc: RequestValidationError) -> JSONResponse:
    problems = problems_from_validation(exc)
    first = problems[0]
    content = envelope(first.code, first.message, field=first.field or None, details=problems)
    return JSONResponse(content, status_code=422)


def http_error_response(exc: StarletteHTTPException) -> JSONResponse:
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    message = exc.detail if isinstance(exc.detail, str) else "request failed"
    if exc.status_code == 404 and message == "Not Found":
        message = "no such resource"
    headers = dict(exc.headers or {})
    return JSONResponse(envelope(code, message), status_code=exc.status_code, headers=headers)


def internal_error_response() -> JSONResponse:
    content = envelope("internal", "internal server error; the event was logged")
    return JSONResponse(content, status_code=500)


def log_internal_error(method: str, path: str, exc: BaseException) -> None:
    """One log record naming the request and the failure, with no values from either."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = "".join(traceback.format_list(frames))
    chain: list[str] = []
    cause: BaseException | None = exc
    while cause is not None and len(chain) < 5:
        chain.append(type(cause).__module__ + "." + type(cause).__qualname__)
        cause = cause.__cause__ or cause.__context__
    log.error("internal error on %s %s: %s\n%s", method, path, " <- ".join(chain), where)


def json_response_for(exc: Exception) -> JSONResponse:
    if isinstance(exc, AlmanacError):
        return almanac_error_response(exc)
    if isinstance(exc, RequestValidationError):
        return validation_error_response(exc)
    if isinstance(exc, StarletteHTTPException):
        return http_error_response(exc)
    return internal_error_response()


async def _page(error_page: ErrorPage, request: Request, exc: Exception) -> Response:
    result = error_page(request, exc)
    if inspect.isawaitable(result):
        result = await result
    assert isinstance(result, Response)
    return result


def install(app: FastAPI, error_page: ErrorPage) -> None:
    """Register the handlers and the catch-all on ``app``. Call before other middleware is
    added, so that outer middleware (security headers) also wraps the 500 responses."""

    async def handle(request: Request, exc: Exception) -> Response:
        if is_json_path(request.url.path):
            return json_response_for(exc)
        return await _page(error_page, request, exc)

    for cls in (AlmanacError, RequestValidationError, StarletteHTTPException):
        app.add_exception_handler(cls, handle)
    app.add_middleware(CatchAllMiddleware, error_page=error_page)


class CatchAllMiddleware:
    """Turns any exception that escaped the routes into a 500 (envelope or HTML page) and one
    data-free log line, instead of letting the server log the exception's message."""

    def __init__(self, app: ASGIApp, error_page: ErrorPage) -> None:
        self.app = app
        self.error_page = error_page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            request = Request(scope)
            log_internal_error(request.method, request.url.path, exc)
            if started:
                raise
            response = await self._response(request, exc)
            await response(scope, receive, send)

    async def _response(self, request: Request, exc: Exception) -> Response:
        if is_json_path(request.url.path):
            return internal_error_response()
        try:
            return await _page(self.error_page, request, exc)
        except Exception:
            return PlainTextResponse("internal server error", status_code=500)
