"""Error reports and the customer-service contact (R10; issue 6 §4), both open without a
login — the app may be failing at the login itself:

- ``POST /reports`` stores an error report (``almanac.server.reports``): 201, with ``stored``
  false when the same ``report_id`` was already stored (a resend is kept once); a body over
  64 KiB is refused with 413 and a field over its size with 422 naming it; more than
  ``reports_per_hour`` reports from one client address are refused with 429.
- ``GET /support`` is the company's phone, email and hours from the server's settings
  (``ALMANAC_SUPPORT_*``) and, per line, whether it is still the shipped placeholder.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field, ValidationError
from starlette.exceptions import HTTPException

from almanac.server.api.deps import Ctx, client_addr
from almanac.server.api.schemas import ErrorEnvelope, error_responses
from almanac.server.reports import MAX_BODY, RateLimit, ReportIn, ReportStore

router = APIRouter(tags=["support"])


class ReportOut(BaseModel):
    report_id: str
    stored: bool = Field(description="false: this report was already stored (a resend)")


class SupportOut(BaseModel):
    phone: str
    email: str
    hours: str
    placeholder: dict[str, bool] = Field(
        description="per line (phone, email, hours): true while it is the shipped placeholder, "
        "not the operator's"
    )
    configured: bool = Field(description="true when the operator set all three lines")


async def read_limited(request: Request) -> bytes:
    """The request body, refused with 413 as soon as it passes ``MAX_BODY`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise HTTPException(413, f"an error report may be at most {MAX_BODY} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise HTTPException(413, f"an error report may be at most {MAX_BODY} bytes")
    return bytes(body)


_REPORT_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": ReportIn.model_json_schema()}},
    }
}
_RESPONSES: dict[int | str, dict[str, Any]] = {
    **error_responses(422, 429),
    413: {"model": ErrorEnvelope, "description": "The report is larger than 64 KiB"},
}


@router.post(
    "/reports",
    status_code=201,
    response_model=ReportOut,
    summary="Send an error report to the company (no login; no personal data in it)",
    responses=_RESPONSES,
    openapi_extra=_REPORT_BODY,
)
async def post_report(request: Request, ctx: Ctx) -> ReportOut:
    limiter: RateLimit = request.app.state.report_limit  # the app's one (create_app)
    limiter.hit(client_addr(request, ctx))
    body = await read_limited(request)
    try:
        report = ReportIn.model_validate_json(body)
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]
        ) from None
    stored = await run_in_threadpool(ReportStore(ctx.engine).add, report)
    return ReportOut(report_id=str(report.report_id), stored=stored)


@router.get(
    "/support",
    response_model=SupportOut,
    summary="The company's customer-service contact (phone, email, hours)",
    responses=error_responses(),
)
def get_support(ctx: Ctx) -> SupportOut:
    contact = ctx.settings.support_contact()
    values = contact["values"]
    return SupportOut(
        phone=values["phone"],
        email=values["email"],
        hours=values["hours"],
        placeholder=contact["placeholder"],
        configured=not contact["any_placeholder"],
    )
