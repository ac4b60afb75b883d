"""Mailing a site's rectification list: a real SMTP server on 127.0.0.1 (aiosmtpd), a real store, a real XLSX."""

from __future__ import annotations

import copy
import email
import email.policy
import io
import logging
import ssl
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import openpyxl
import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlalchemy import select

from govmon.registry import Admin, Email
from govmon.reports.document import SCHEMA
from govmon.reports.mail import fingerprint, mail_rectification_list
from govmon.reports.rectification import file_name
from govmon.reports.xlsx import write_xlsx
from govmon.store import EmailSent
from tests.servers import closed_port

HOME = "http://127.0.0.1:8080/"
SENDER = "govmon@duban.example.gov.cn"
CC = "duban@example.gov.cn"
ADMIN = "admin@example.gov.cn"  # tests/conftest.py write_registry
MOMENT = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Mailbox:
    """An aiosmtpd handler that keeps every envelope it is given."""

    def __init__(self):
        self.envelopes = []
        self.logins = []  # what each envelope's session logged in with (the authenticator's auth_data), or None

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        self.logins.append(session.auth_data)
        return "250 Message accepted for delivery"

    def messages(self) -> list[EmailMessage]:
        return [email.message_from_bytes(e.original_content, policy=email.policy.default) for e in self.envelopes]


@pytest.fixture
def smtp():
    """smtp(**aiosmtpd parameters) -> (mailbox, port) of an SMTP server on 127.0.0.1, stopped after the test."""
    controllers = []

    def start(**parameters) -> tuple[Mailbox, int]:
        mailbox = Mailbox()
        controller = Controller(mailbox, hostname="127.0.0.1", port=closed_port(), **parameters)
        controller.start()
        controllers.append(controller)
        return mailbox, controller.port

    yield start
    for controller in controllers:
        controller.stop()


def _finding(id_, rule, cls, title, description, target, state, deadline, overdue):
    return {
        "id": id_, "rule": rule, "class": cls, "title": title, "description": description, "target": target,
        "where": [{"page": HOME, "tag": "a", "attr": "href", "text": "通知公告"}], "where_total": 1,
        "evidence": {"reason": "http_404", "status": 404, "detail": "HTTP 404 Not Found"},
        "source": "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》", "threshold_status": "confirmed",
        "fix": "修复或删除该链接", "first_seen": "2026-11-02T08:00:00+08:00", "last_seen": "2026-11-23T08:00:00+08:00",
        "state": state, "reported": "2026-11-02T08:00:00+08:00", "deadline": deadline, "deadline_note": None,
        "overdue": overdue,
    }


OVERDUE = _finding(101, "LINK-2", "deduct", "其他页面不可用链接", "页面中的链接无法访问：HTTP 404",
                   HOME + "zwgk/<b>old</b>.html", "open", "2026-11-16", True)
FRESH = _finding(102, "COL-3", "veto", "空白栏目", "栏目“重大建设项目”从未发布信息",
                 HOME + "zwgk/zdjsxm/", "new", "2026-12-07", False)
FIXED = {"rule": "LINK-1", "class": "deduct", "title": "首页不可用链接", "target": HOME + "xwzx/gone.html",
         "first_seen": "2026-11-09T08:00:00+08:00", "reported": "2026-11-09T08:00:00+08:00",
         "fixed_at": "2026-11-20T08:00:00+08:00", "deadline": "2026-11-23", "on_time": True}


def _document(findings, fixed=(FIXED,)):
    findings = [copy.deepcopy(f) for f in findings]
    return {
        "schema": SCHEMA, "generated_at": "2026-11-23T10:00:00+08:00", "as_of": "2026-11-23",
        "since": "2026-11-16T08:00:00+08:00",
        "site": {"id": "t", "name": "测试市人民政府", "site_code": "5300000033", "home_url": HOME,
                 "sponsor": "测试市人民政府办公室", "admin": {"name": "管理员", "email": ADMIN}},
        "run": {"id": 1, "started_at": "2026-11-23T08:00:00+08:00", "finished_at": "2026-11-23T09:00:00+08:00",
                "status": "complete", "reason": None, "pages": 10, "links": 40, "errors": 1},
        "pack": {"id": "national", "name": "全国通用（国办秘函〔2019〕19号）"},
        "verdict": {"result": "不合格", "score": 99, "pass_score": 60, "vetoes": ["COL-3"], "deducted": 1,
                    "rules": [], "provisional": False, "unjudged": {}},
        "summary": {
            "total": len(findings),
            "by_class": {cls: sum(f["class"] == cls for f in findings) for cls in ("veto", "deduct", "advice")},
            "by_rule": [{"rule": f["rule"], "title": f["title"], "class": f["class"], "count": 1} for f in findings],
            "states": {state: sum(f["state"] == state for f in findings) for state in ("new", "open", "reopened")}
            | {"overdue": sum(f["overdue"] for f in findings), "fixed": len(fixed)},
        },
        "findings": findings,
        "fixed": list(fixed),
    }


@pytest.fixture
def doc():
    return _document([OVERDUE, FRESH])


@pytest.fixture
def site(make_site):
    return make_site(HOME)


@pytest.fixture
def xlsx(doc, tmp_path):
    return write_xlsx(doc, tmp_path / file_name(doc, "xlsx"))


def _settings(port: int, **changes) -> Email:
    return Email(host="127.0.0.1", port=port, sender=SENDER, cc=(CC,), timeout=5, **changes)


def _rows(store) -> list[EmailSent]:
    with store.session() as session:
        return list(session.scalars(select(EmailSent).order_by(EmailSent.id)))


def test_sends_the_list_to_the_admin_and_cc_with_the_xlsx_attached(store, site, doc, xlsx, smtp):
    mailbox, port = smtp()

    row = mail_rectification_list(store, _settings(port), site, doc, xlsx, moment=MOMENT)

    assert row.status == "sent" and row.error is None
    [envelope] = mailbox.envelopes
    assert envelope.mail_from == SENDER
    assert envelope.rcpt_tos == [ADMIN, CC]
    [message] = mailbox.messages()
    assert message["Subject"] == "【整改清单】测试市人民政府（5300000033）2026-11-23：2个问题，1个超期"
    assert message["To"].addresses[0].addr_spec == ADMIN and message["To"].addresses[0].display_name == "管理员"
    assert message["Cc"] == CC
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == XLSX_MIME
    assert attachment.get_filename() == "t-整改清单-2026-11-23.xlsx"
    assert "filename*=utf-8''t-%E6%95%B4%E6%94%B9%E6%B8%85%E5%8D%95-2026-11-23.xlsx" in \
        envelope.original_content.decode("ascii").replace("\r\n ", " ")  # RFC 2231, the message is 7-bit
    workbook = openpyxl.load_workbook(io.BytesIO(attachment.get_content()))
    assert HOME + "zwgk/<b>old</b>.html" in [cell.value for cell in workbook["整改清单"][2]]

    text = message.get_body(("plain",)).get_content()
    assert "检查结论：不合格，得分99（合格线60），单项否决：COL-3。" in text
    assert "待整改问题2个：新发现1个，未整改1个，再次出现0个；其中已超期1个。上次报告以来已整改1个。" in text
    overdue_at, other_at = text.index("已超过整改时限，请优先整改："), text.index("其他待整改问题：")
    assert overdue_at < text.index("LINK-2 其他页面不可用链接：页面中的链接无法访问：HTTP 404") < other_at
    assert overdue_at < text.index(HOME + "zwgk/<b>old</b>.html（已超期，整改时限2026-11-16）") < other_at
    assert other_at < text.index(HOME + "zwgk/zdjsxm/（新发现，整改时限2026-12-07）")
    assert "自 2026-11-16 08:00 以来已整改的问题：" in text
    assert HOME + "xwzx/gone.html（整改完成：2026-11-20 08:00，是否按时：是）" in text
    assert "见附件《t-整改清单-2026-11-23.xlsx》" in text
    page = message.get_body(("html",)).get_content()
    assert "zwgk/&lt;b&gt;old&lt;/b&gt;.html" in page and "<b>old</b>" not in page  # crawled text is escaped
    assert "已超期，整改时限2026-11-16" in page

    [stored] = _rows(store)
    assert (stored.id, stored.status, stored.recipients, stored.subject, stored.attachment, stored.fingerprint) == \
        (row.id, "sent", [ADMIN, CC], message["Subject"], "t-整改清单-2026-11-23.xlsx", fingerprint(doc))
    assert stored.sent_at.replace(tzinfo=UTC) == MOMENT


def test_an_unchanged_list_is_not_sent_again_unless_configured(store, site, doc, xlsx, smtp):
    mailbox, port = smtp()
    mail_rectification_list(store, _settings(port), site, doc, xlsx, moment=MOMENT)
    next_day = copy.deepcopy(doc)
    next_day["findings"][1]["state"] = "open"  # new → open is not a change to act on

    assert mail_rectification_list(store, _settings(port), site, next_day, xlsx) is None
    assert len(mailbox.envelopes) == 1 and len(_rows(store)) == 1

    a_day_on = copy.deepcopy(next_day)
    a_day_on["fixed"] = []  # yesterday's fixes are no news today
    assert mail_rectification_list(store, _settings(port), site, a_day_on, xlsx) is None

    again = mail_rectification_list(store, _settings(port, send_unchanged=True), site, next_day, xlsx)
    assert again.status == "sent" and len(mailbox.envelopes) == 2


def _with_new_finding(doc):
    doc["findings"].append(_finding(103, "ID-1", "deduct", "网站标识码", "缺少网站标识码", HOME + "hdjl/", "new",
                                    "2026-12-07", False))


def _becoming_overdue(doc):
    doc["findings"][1]["overdue"] = True


def _fixed(doc):
    gone = doc["findings"].pop(0)
    doc["fixed"].append({**FIXED, "rule": gone["rule"], "target": gone["target"]})


@pytest.mark.parametrize("change", [_with_new_finding, _becoming_overdue, _fixed])
def test_a_changed_list_is_sent(store, site, doc, xlsx, smtp, change):
    mailbox, port = smtp()
    mail_rectification_list(store, _settings(port), site, doc, xlsx, moment=MOMENT)
    changed = copy.deepcopy(doc)
    change(changed)

    row = mail_rectification_list(store, _settings(port), site, changed, xlsx, moment=MOMENT + timedelta(days=1))

    assert row.status == "sent" and len(mailbox.envelopes) == 2
    assert row.fingerprint == fingerprint(changed) != fingerprint(doc)


def test_a_failed_send_is_stored_and_does_not_count_as_sent(store, site, doc, xlsx, smtp, caplog):
    with caplog.at_level(logging.WARNING, logger="govmon.reports.mail"):
        failed = mail_rectification_list(store, _settings(closed_port()), site, doc, xlsx, moment=MOMENT)

    assert failed.status == "failed" and failed.error.startswith("ConnectionRefusedError")
    assert "not sent" in caplog.text
    mailbox, port = smtp()
    sent = mail_rectification_list(store, _settings(port), site, doc, xlsx, moment=MOMENT + timedelta(hours=1))
    assert sent.status == "sent" and len(mailbox.envelopes) == 1
    assert [row.status for row in _rows(store)] == ["failed", "sent"]
    assert failed.fingerprint == sent.fingerprint == fingerprint(doc)  # the failure did not count as sent


def test_the_body_lists_at_most_twenty_findings_a_section(store, site, smtp, tmp_path):
    mailbox, port = smtp()
    many = _document([{**FRESH, "id": n, "target": f"{HOME}zwgk/column{n:02}/"} for n in range(25)])
    xlsx = write_xlsx(many, tmp_path / file_name(many, "xlsx"))

    mail_rectification_list(store, _settings(port), site, many, xlsx)

    text = mailbox.messages()[0].get_body(("plain",)).get_content()
    assert f"{HOME}zwgk/column19/" in text and f"{HOME}zwgk/column20/" not in text
    assert "……另有5个，详见附件" in text


def test_a_site_without_an_admin_email_gets_nothing(store, site, doc, xlsx, smtp, caplog):
    mailbox, port = smtp()
    nobody = site.model_copy(update={"admin": Admin(name="管理员")})

    with caplog.at_level(logging.WARNING, logger="govmon.reports.mail"):
        assert mail_rectification_list(store, _settings(port), nobody, doc, xlsx) is None

    assert "no administrator email" in caplog.text
    assert mailbox.envelopes == [] and _rows(store) == []


CREDENTIALS = LoginPassword(b"govmon", b"s3cret")


def _authenticator(server, session, envelope, mechanism, auth_data):
    """Accepts govmon/s3cret; handled=False: the server answers a refusal with 535 (else it stays silent)."""
    return AuthResult(success=auth_data == CREDENTIALS, handled=False, auth_data=auth_data)


def test_login_with_the_password_from_the_environment(store, site, doc, xlsx, smtp, monkeypatch):
    mailbox, port = smtp(authenticator=_authenticator, auth_require_tls=False)
    monkeypatch.setenv("GOVMON_TEST_SMTP_PASSWORD", "s3cret")

    row = mail_rectification_list(store, _settings(port, user="govmon", password_env="GOVMON_TEST_SMTP_PASSWORD"),
                                  site, doc, xlsx)

    assert row.status == "sent" and mailbox.logins == [CREDENTIALS]


@pytest.mark.parametrize("password, error", [
    ("wrong", "SMTPAuthenticationError: (535"),
    ("密码", "UnicodeEncodeError"),  # smtplib sends credentials as ASCII only: a failure, never a crash
])
def test_a_refused_login_is_a_failed_attempt(store, site, doc, xlsx, smtp, monkeypatch, password, error):
    mailbox, port = smtp(authenticator=_authenticator, auth_require_tls=False)
    monkeypatch.setenv("GOVMON_TEST_SMTP_PASSWORD", password)

    row = mail_rectification_list(store, _settings(port, user="govmon", password_env="GOVMON_TEST_SMTP_PASSWORD"),
                                  site, doc, xlsx)

    assert row.status == "failed" and row.error.startswith(error) and password not in row.error
    assert mailbox.envelopes == []


def test_a_missing_password_variable_is_a_failed_attempt_saying_so(store, site, doc, xlsx, smtp, monkeypatch):
    mailbox, port = smtp(authenticator=_authenticator, auth_require_tls=False)
    monkeypatch.delenv("GOVMON_TEST_SMTP_PASSWORD", raising=False)

    row = mail_rectification_list(store, _settings(port, user="govmon", password_env="GOVMON_TEST_SMTP_PASSWORD"),
                                  site, doc, xlsx)

    assert row.status == "failed"
    assert row.error == ("MailError: environment variable GOVMON_TEST_SMTP_PASSWORD ([email] password_env: "
                         "the SMTP password for 'govmon') is not set")
    assert mailbox.envelopes == []


@pytest.fixture
def tls(tmp_path, monkeypatch) -> ssl.SSLContext:
    """A server context for 127.0.0.1 whose CA the client trusts (SSL_CERT_FILE: the default context loads it)."""
    ca = trustme.CA()
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "ca.pem"))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    return context


def test_starttls(store, site, doc, xlsx, smtp, tls):
    mailbox, port = smtp(tls_context=tls, require_starttls=True)

    row = mail_rectification_list(store, _settings(port, security="starttls"), site, doc, xlsx)

    assert row.status == "sent" and len(mailbox.envelopes) == 1  # the server refuses mail before STARTTLS


def test_ssl(store, site, doc, xlsx, smtp, tls):
    mailbox, port = smtp(ssl_context=tls)

    row = mail_rectification_list(store, _settings(port, security="ssl"), site, doc, xlsx)

    assert row.status == "sent" and len(mailbox.envelopes) == 1
