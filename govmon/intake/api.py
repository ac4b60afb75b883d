"""The HTTP intake of 我为政府网站找错 reports (`govmon intake serve`): one report per POST, stored as an import is.

Clients (the platform's push, a supervisor's script) post reports with the one token of the
registry's ``[intake]`` table; the body is limited before it is read into memory, and a report
goes through the same validation and :func:`govmon.intake.receive.save_reports` as a file row.
A client has a limited time to send its request's headers and then its body, and the intake holds
a limited number of connections, dropping the one that has waited longest for its request when a
new one comes: slow or idle connections cannot use up its file descriptors, so /health answers.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import os
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import h11
import uvicorn
from fastapi import FastAPI, HTTPException, Security
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPBearer
from pydantic import BaseModel
from sqlalchemy import select
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from govmon.config import with_zone
from govmon.intake.receive import ReportSubmission, UnknownSite, json_depth, save_reports
from govmon.registry import Intake, Registry
from govmon.store import CitizenReport, ReportCheck, Store, utcnow

STATUSES = ("added", "updated", "unchanged")  # in the order save_reports counts them
MAX_JSON_DEPTH = 8  # a report is one flat object; deeper bodies would recurse through the JSON parser and encoder


class Error(BaseModel):
    detail: str


class ReportSaved(BaseModel):
    number: str
    id: int
    status: Literal["added", "updated", "unchanged"]


class LatestCheck(BaseModel):
    verdict: str  # confirmed | not_reproduced | needs_person
    reason: str
    checked_at: datetime


class ReportOut(BaseModel):
    id: int
    number: str
    site_id: str
    url: str
    category: str
    description: str
    submitted_at: datetime
    answered_at: datetime | None
    closed_at: datetime | None
    answer: str | None
    source: str
    imported_at: datetime
    updated_at: datetime
    latest_check: LatestCheck | None  # the newest cross-check (`govmon intake verify`), if any


class IntakeGuard:
    """Checks a request before the application reads its body: the token on /reports (401, so nothing of an
    unauthorised request is looked at), the body's size by its Content-Length and as it arrives, chunked or not
    (413), that a POST is JSON (415), and that its JSON nests no deeper than MAX_JSON_DEPTH (422)."""

    def __init__(self, app: ASGIApp, token: str, max_body: int):
        self.app = app
        self.token = token.encode()
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        guarded = scope["path"] == "/reports" or scope["path"].startswith("/reports/")
        if guarded and not self._authorized(headers.get("authorization", "")):
            await _error(401, "missing or wrong bearer token", scope, receive, send, {"WWW-Authenticate": "Bearer"})
            return
        declared = headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            await self._too_large(scope, receive, send)
            return
        if scope["method"] == "POST" and not _is_json(headers.get("content-type", "")):
            await _error(415, "send the report as application/json", scope, receive, send)
            return
        body = b""
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if len(body) > self.max_body:
                await self._too_large(scope, receive, send)
                return
            more = message.get("more_body", False)
        if json_depth(body.decode("utf-8", "replace")) > MAX_JSON_DEPTH:
            await JSONResponse({"detail": [{"type": "json_too_deep", "loc": ["body"], "input": None,
                                            "msg": f"JSON nested more than {MAX_JSON_DEPTH} levels deep"}]},
                               422)(scope, receive, send)
            return
        replayed = False

        async def replay() -> dict:
            nonlocal replayed
            if replayed:
                return await receive()  # after the body: only the disconnect is left to hear
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    def _authorized(self, authorization: str) -> bool:
        scheme, _, given = authorization.partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), self.token)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        await _error(413, f"request body over {self.max_body} bytes", scope, receive, send, {"Connection": "close"})


async def _error(status: int, detail: str, scope: Scope, receive: Receive, send: Send,
                 headers: dict[str, str] | None = None) -> None:
    await JSONResponse({"detail": detail}, status, headers=headers)(scope, receive, send)


def _is_json(content_type: str) -> bool:
    media = content_type.split(";")[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


def _utc(moment: datetime | None) -> datetime | None:
    """A stored time with its zone: SQLite gives it back without one, and the store keeps UTC."""
    return None if moment is None else with_zone(moment)


def create_app(store: Store, registry: Registry, token: str, max_body: int) -> FastAPI:
    """The intake application: POST /reports and GET /reports/{number} with the bearer token, GET /health."""
    app = FastAPI(title="govmon intake", summary="我为政府网站找错 reports (网民留言) into govmon's store",
                  description="Columns and rules as for `govmon intake import`: docs/citizen-reports.md.",
                  docs_url=None, redoc_url=None)  # their pages load scripts from a CDN: intranets have none
    app.add_middleware(IntakeGuard, token=token, max_body=max_body)
    # documents the scheme in /openapi.json; IntakeGuard checks the token before anything else
    bearer = Security(HTTPBearer(auto_error=False, description="the token in the environment variable that the "
                                                               "registry's [intake] token_env names"))
    errors = {401: {"model": Error}, 413: {"model": Error}, 415: {"model": Error}}

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/reports", status_code=201, response_model=ReportSaved, dependencies=[bearer],
              responses=errors)
    def post_report(submission: ReportSubmission) -> ReportSaved:
        """Store one report: added, updated (it differs from the stored one) or unchanged."""
        try:
            report = submission.resolve(registry)
        except UnknownSite as exc:
            raise RequestValidationError([{"type": exc.kind, "loc": ("body", exc.field), "msg": str(exc),
                                           "input": getattr(submission, exc.field)}]) from None
        counts = save_reports(store, [report], "api", utcnow())
        with store.session() as session:
            report_id = session.scalar(select(CitizenReport.id).where(CitizenReport.number == report.number))
        return ReportSaved(number=report.number, id=report_id, status=STATUSES[counts.index(1)])

    @app.get("/reports/{number}", response_model=ReportOut, dependencies=[bearer],
             responses={404: {"model": Error}, **errors})
    def get_report(number: str) -> ReportOut:
        """The stored report and its latest cross-check."""
        with store.session() as session:
            row = session.scalar(select(CitizenReport).where(CitizenReport.number == number))
            if row is None:
                raise HTTPException(404, f"no report numbered {number!r}")
            check = session.scalar(select(ReportCheck).where(ReportCheck.report_id == row.id)
                                   .order_by(ReportCheck.checked_at.desc(), ReportCheck.id.desc()).limit(1))
        latest = LatestCheck(verdict=check.verdict, reason=check.reason,
                             checked_at=_utc(check.checked_at)) if check else None
        return ReportOut(id=row.id, number=row.number, site_id=row.site_id, url=row.url, category=row.category,
                         description=row.description, submitted_at=_utc(row.submitted_at),
                         answered_at=_utc(row.answered_at), closed_at=_utc(row.closed_at), answer=row.answer,
                         source=row.source, imported_at=_utc(row.imported_at), updated_at=_utc(row.updated_at),
                         latest_check=latest)

    return app


_INTAKE = Intake()


@dataclass(frozen=True)
class ConnectionLimits:
    """How long a client may take to send a request, and how many connections the intake holds at once: the
    registry's [intake] fields of these names, with their defaults."""

    header_timeout: float = _INTAKE.header_timeout  # seconds from connecting (or the last response) to the last header
    body_timeout: float = _INTAKE.body_timeout  # seconds from the last header to the body's last byte
    max_connections: int = _INTAKE.max_connections

    @classmethod
    def of(cls, intake: Intake) -> ConnectionLimits:
        return cls(intake.header_timeout, intake.body_timeout, intake.max_connections)


def _limited_protocol(limits: ConnectionLimits) -> type[H11Protocol]:
    """uvicorn's h11 protocol with a clock on each request and a cap on the connections held."""

    class LimitedProtocol(H11Protocol):
        _timer: asyncio.TimerHandle | None = None
        waiting: str | None = None  # "headers" or "body" while the client owes them, else None
        since = 0.0  # when it began waiting (time.monotonic)

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._wait("headers", limits.header_timeout)
            held = [c for c in self.connections if not c.transport.is_closing()]
            if len(held) > limits.max_connections:  # room for this one: drop who has waited longest, maybe itself
                min((c for c in held if getattr(c, "waiting", None)), key=lambda c: c.since, default=self).drop()

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            state = self.conn.their_state
            if state is h11.SEND_BODY and self.waiting != "body":
                self._wait("body", limits.body_timeout)
            elif state not in (h11.IDLE, h11.SEND_BODY):  # the request is in: the application's time now
                self._wait(None, 0)

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():  # a kept-alive connection owes the next request's headers
                self._wait("headers", limits.header_timeout)

        def connection_lost(self, exc: Exception | None) -> None:
            self._wait(None, 0)
            super().connection_lost(exc)

        def drop(self) -> None:
            if not self.transport.is_closing():
                _LOG.info("intake: dropped a connection from %s still sending its request %s", self.client,
                          self.waiting)
                self.transport.close()

        def _wait(self, waiting: str | None, seconds: float) -> None:
            if self._timer is not None:
                self._timer.cancel()
            self.waiting, self.since = waiting, time.monotonic()
            self._timer = self.loop.call_later(seconds, self._expire) if waiting else None

        def _expire(self) -> None:
            if self.waiting and self.conn.their_state in (h11.IDLE, h11.SEND_BODY):
                self.drop()

    return LimitedProtocol


_LOG = logging.getLogger("uvicorn.error")


def intake_config(app: FastAPI, limits: ConnectionLimits, **kw) -> uvicorn.Config:
    """uvicorn's configuration for the intake: its own HTTP protocol, with limits' timeouts and connection cap."""
    return uvicorn.Config(app, http=_limited_protocol(limits), **kw)


def serve_intake(store: Store, registry: Registry, host: str, port: int) -> None:
    """Serve the intake until SIGTERM or Ctrl-C; the token comes from the environment, never the registry file."""
    variable = registry.intake.token_env
    token = os.environ.get(variable)
    if not token:
        raise LookupError(f"the intake needs its token: set the environment variable {variable} "
                          f"([intake] token_env in {registry.path})")
    app = create_app(store, registry, token, registry.intake.max_body)
    limits = ConnectionLimits.of(registry.intake)
    uvicorn.Server(intake_config(app, limits, host=host, port=port, log_level="info")).run()
