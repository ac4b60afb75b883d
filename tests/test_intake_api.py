"""The HTTP intake on a real uvicorn server on 127.0.0.1: token, size and type limits, validation, storage."""

from __future__ import annotations

import json
import select as socket_select
import socket
import threading
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import func, select

from govmon.intake.api import ConnectionLimits, create_app, intake_config, serve_intake
from govmon.registry import load_registry
from govmon.store import CitizenReport, ReportCheck
from tests.conftest import write_registry
from tests.servers import UvicornServer

TOKEN = "s3cret-intake-token"
MAX_BODY = 2048
REPORT = {"number": "ZC2026100800001", "site_code": "5300000033",
          "url": "https://www.example.gov.cn/zwgk/tzgg/t20261008_1.html", "category": "错别字",
          "description": "通知标题把“整改”写成“正改”", "submitted_at": "2026-10-08 09:30"}
# a proxy from the environment must never see these requests
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass
class Intake:
    url: str
    store: object

    def call(self, path: str, method: str = "GET", body: bytes | object | None = None,
             headers: dict[str, str] | None = None, token: str | None = TOKEN) -> tuple[int, dict]:
        headers = {"Content-Type": "application/json", **(headers or {})}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(self.url + path, data=body, method=method, headers=headers)
        try:
            with OPENER.open(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def post(self, report: dict, **kwargs) -> tuple[int, dict]:
        return self.call("/reports", "POST", json.dumps(report, ensure_ascii=False).encode(), **kwargs)

    def count(self) -> int:
        with self.store.session() as session:
            return session.scalar(select(func.count()).select_from(CitizenReport))


@contextmanager
def serving(store, config: uvicorn.Config):
    """The intake served with config on 127.0.0.1 until the block ends."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))  # bound here: the port is ours, no race for a free one
    server = UvicornServer(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        assert server.listening.wait(timeout=10), "the intake server did not start within 10 s"
        assert server.started
        yield Intake(f"http://127.0.0.1:{listener.getsockname()[1]}", store)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()
    assert not thread.is_alive()


@pytest.fixture
def intake(store, tmp_path: Path):
    registry = load_registry(write_registry(tmp_path / "registry.toml", "https://www.example.gov.cn/"))
    with serving(store, uvicorn.Config(create_app(store, registry, TOKEN, MAX_BODY), log_level="warning")) as running:
        yield running


def test_a_valid_report_is_stored_once(intake: Intake):
    status, body = intake.post(REPORT)
    assert (status, body) == (201, {"number": "ZC2026100800001", "id": body["id"], "status": "added"})
    with intake.store.session() as session:
        row = session.scalar(select(CitizenReport))
    assert (row.id, row.number, row.site_id, row.url, row.category, row.description, row.source) == (
        body["id"], "ZC2026100800001", "t", REPORT["url"], "错别字", REPORT["description"], "api")
    assert row.submitted_at.replace(tzinfo=UTC) == datetime(2026, 10, 8, 1, 30, tzinfo=UTC)
    assert row.answered_at is None

    assert intake.post(REPORT) == (201, {"number": "ZC2026100800001", "id": body["id"], "status": "unchanged"})
    answered = {**REPORT, "answered_at": "2026-10-09T10:00:00+08:00", "answer": "已更正"}
    assert intake.post(answered) == (201, {"number": "ZC2026100800001", "id": body["id"], "status": "updated"})
    assert intake.count() == 1


def test_the_site_by_name_or_by_host(intake: Intake):
    by_name = {**REPORT, "number": "n1", "site_code": None, "site_name": "测试市人民政府"}
    by_host = {key: value for key, value in REPORT.items() if key != "site_code"} | {"number": "n2"}
    assert intake.post(by_name)[0] == 201
    assert intake.post(by_host)[0] == 201
    assert intake.call("/reports/n2")[1]["site_id"] == "t"


@pytest.mark.parametrize("token", [None, "wrong-token", ""])
def test_no_or_wrong_token_is_refused(intake: Intake, token: str | None):
    assert intake.post(REPORT, token=token) == (401, {"detail": "missing or wrong bearer token"})
    assert intake.call("/reports/ZC2026100800001", token=token)[0] == 401
    assert intake.call("/reports", "POST", b"{not json", token=token)[0] == 401  # refused before it is read
    assert intake.count() == 0


def test_a_body_over_the_limit_is_refused(intake: Intake):
    long = {**REPORT, "description": "很长" * MAX_BODY}
    assert intake.post(long) == (413, {"detail": f"request body over {MAX_BODY} bytes"})
    # chunked, without a Content-Length: the body itself is counted
    chunks = [b" " * 1024] * 3
    assert intake.call("/reports", "POST", iter(chunks)) == (413, {"detail": f"request body over {MAX_BODY} bytes"})
    assert intake.count() == 0
    # a chunked body within the limit reaches the application whole
    payload = json.dumps(REPORT).encode()
    assert intake.call("/reports", "POST", iter([payload[:50], payload[50:]]))[1]["status"] == "added"


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"site_code": "5399999999"}, "site_code", "no site in the registry has the code '5399999999'"),
    ({"site_code": None, "site_name": "某某县人民政府", "url": "https://www.mmx.gov.cn/"}, "site_name",
     "no site in the registry is named '某某县人民政府', nor has the reported page's host 'www.mmx.gov.cn'"),
    ({"category": "乱码"}, "category", "unknown category '乱码'"),
    ({"url": "ftp://www.example.gov.cn/a.doc"}, "url", "not an http(s) URL: 'ftp://www.example.gov.cn/a.doc'"),
    ({"answered_at": "2026-10-08 09:00"}, "answered_at", "earlier than the report was submitted (2026-10-08 09:30)"),
    ({"submitted_at": "昨天"}, "submitted_at", "unreadable date '昨天'"),
    ({"number": ""}, "number", "String should have at least 1 character"),
    ({"submited_at": "2026-10-08"}, "submited_at", "Extra inputs are not permitted"),
])
def test_bad_fields_name_the_field(intake: Intake, changes: dict, field: str, message: str):
    status, body = intake.post({**REPORT, **changes})
    assert status == 422
    assert [error["loc"] for error in body["detail"]] == [["body", field]]
    assert body["detail"][0]["msg"].startswith(message)
    assert intake.count() == 0


def test_only_json_is_accepted(intake: Intake):
    payload = json.dumps(REPORT).encode()
    for content_type in ("text/plain", "application/x-www-form-urlencoded", ""):
        status, body = intake.call("/reports", "POST", payload, headers={"Content-Type": content_type})
        assert (status, body) == (415, {"detail": "send the report as application/json"})
    with_charset = {"Content-Type": "application/json; charset=utf-8"}
    assert intake.call("/reports", "POST", payload, headers=with_charset)[0] == 201


def test_get_a_report_with_its_latest_check(intake: Intake):
    assert intake.call("/reports/ZC2026100800001") == (404, {"detail": "no report numbered 'ZC2026100800001'"})
    _, saved = intake.post({**REPORT, "closed_at": "2026-10-20 16:00"})
    status, body = intake.call("/reports/ZC2026100800001")
    assert status == 200
    assert body == {"id": saved["id"], "number": "ZC2026100800001", "site_id": "t", "url": REPORT["url"],
                    "category": "错别字", "description": REPORT["description"], "submitted_at": "2026-10-08T01:30:00Z",
                    "answered_at": None, "closed_at": "2026-10-20T08:00:00Z", "answer": None, "source": "api",
                    "imported_at": body["imported_at"], "updated_at": body["imported_at"], "latest_check": None}

    with intake.store.session.begin() as session:
        for day, verdict in ((10, "not_reproduced"), (12, "confirmed")):
            session.add(ReportCheck(report_id=saved["id"], checked_at=datetime(2026, 10, day, 2, tzinfo=UTC),
                                    verdict=verdict, reason=f"checked on the {day}th", evidence={}))
    assert intake.call("/reports/ZC2026100800001")[1]["latest_check"] == {
        "verdict": "confirmed", "reason": "checked on the 12th", "checked_at": "2026-10-12T02:00:00Z"}


def test_health_and_openapi_need_no_token(intake: Intake):
    assert intake.call("/health", token=None) == (200, {"status": "ok"})
    status, schema = intake.call("/openapi.json", token=None)
    assert status == 200 and schema["info"]["title"] == "govmon intake"
    post = schema["paths"]["/reports"]["post"]
    assert set(post["responses"]) == {"201", "401", "413", "415", "422"}
    request_schema = post["requestBody"]["content"]["application/json"]["schema"]
    assert request_schema == {"$ref": "#/components/schemas/ReportSubmission"}
    assert "get" in schema["paths"]["/reports/{number}"]
    submission = schema["components"]["schemas"]["ReportSubmission"]
    assert set(submission["properties"]) == {"number", "site_code", "site_name", "url", "category", "description",
                                             "submitted_at", "answered_at", "closed_at", "answer"}
    assert set(submission["required"]) == {"number", "url", "category", "description", "submitted_at"}
    assert set(schema["components"]["schemas"]["ReportSaved"]["properties"]) == {"number", "id", "status"}
    assert schema["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"


@pytest.mark.parametrize("value", [None, ""])
def test_serve_without_its_token_names_the_variable(store, tmp_path: Path, monkeypatch, value: str | None):
    path = write_registry(tmp_path / "registry.toml", "https://www.example.gov.cn/")
    intake = '\n[intake]\ntoken_env = "TEST_INTAKE_TOKEN"\n'
    path.write_text(path.read_text(encoding="utf-8") + intake, encoding="utf-8")
    if value is None:
        monkeypatch.delenv("TEST_INTAKE_TOKEN", raising=False)
    else:
        monkeypatch.setenv("TEST_INTAKE_TOKEN", value)
    with pytest.raises(LookupError, match="TEST_INTAKE_TOKEN"):
        serve_intake(store, load_registry(path), "127.0.0.1", 0)


def registry_intake(store, tmp_path: Path, settings: str):
    """The intake with the connection limits of a registry's [intake] table, as `govmon intake serve` has them."""
    path = write_registry(tmp_path / "registry.toml", "https://www.example.gov.cn/")
    path.write_text(path.read_text(encoding="utf-8") + "\n[intake]\n" + settings, encoding="utf-8")
    registry = load_registry(path)
    app = create_app(store, registry, TOKEN, registry.intake.max_body)
    return serving(store, intake_config(app, ConnectionLimits.of(registry.intake), log_level="warning"))


def silent_clients(url: str, count: int, start: bytes) -> list[socket.socket]:
    port = int(url.rsplit(":", 1)[1])
    clients = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(count)]
    for client in clients:
        client.sendall(start)  # the start of a request, and then nothing
    return clients


def closed_by_server(clients: list[socket.socket], at_least: int | None = None) -> list[socket.socket]:
    """The clients the server has closed, waiting until at least that many (default: all) are, or 10 s pass
    without one closing."""
    closed, pending = [], list(clients)
    while len(closed) < (len(clients) if at_least is None else at_least):
        readable, _, _ = socket_select.select(pending, [], [], 10)
        if not readable:
            break
        for client in readable:
            try:
                ended = client.recv(1024) == b""
            except ConnectionResetError:
                ended = True
            if ended:
                closed.append(client)
                pending.remove(client)
    return closed


def test_the_registry_header_and_body_timeouts_drop_silent_clients(store, tmp_path: Path):
    body = json.dumps(REPORT, ensure_ascii=False).encode()
    head = (f"POST /reports HTTP/1.1\r\nHost: intake\r\nAuthorization: Bearer {TOKEN}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode()
    # the defaults (10 s and 30 s) would outlast the 10 s closed_by_server waits for a closing
    with registry_intake(store, tmp_path, "header_timeout = 1\nbody_timeout = 1\n") as intake:
        clients = silent_clients(intake.url, 1, head[:30]) + silent_clients(intake.url, 1, head + body[:10])
        try:
            assert closed_by_server(clients) == clients
        finally:
            for client in clients:
                client.close()
        assert intake.post(REPORT)[0] == 201  # a client that sends its request in time is served
    assert intake.count() == 1


def test_the_registry_max_connections_caps_the_connections_held(store, tmp_path: Path):
    with registry_intake(store, tmp_path, "max_connections = 3\nheader_timeout = 600\n") as intake:
        clients = silent_clients(intake.url, 10, b"POST /reports HTTP/1.1\r\nHost: intake\r\n")
        try:
            closed = closed_by_server(clients, at_least=7)
            assert len(closed) == 7  # the intake holds 3: each newcomer past them drops the longest waiting
            assert intake.call("/health", token=None)[0] == 200  # and the newcomer is served
            held = [client for client in clients if client not in closed]
            assert closed_by_server(held, at_least=1) == held[:1]  # the oldest of the 3 made room for it
        finally:
            for client in clients:
                client.close()
