"""Email a site's rectification list (整改清单) to its administrator, the XLSX attached.

An administrator who gets the same list every day stops reading it, so a list is sent only
when what they must act on has changed (its fingerprint), unless the settings say otherwise.
Every attempt is stored as an EmailSent row; a failed one is stored, never raised, so the
scheduler goes on with the next site, and it does not count as sent.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from html import escape
from pathlib import Path

from sqlalchemy import select

from govmon.config import CHINA_TZ
from govmon.registry import Email, Site
from govmon.reports.document import validate
from govmon.reports.labels import (
    FIXED_HEADING,
    NO_FINDINGS,
    RUN_STATUS_WARNINGS,
    STATE_COUNT_LABELS,
    STATE_LABELS,
    deadline_label,
    fixed_since_label,
    format_time,
    location_label,
    on_time_label,
    shown_url,
    state_text,
)
from govmon.store import EmailSent, Store, utcnow

log = logging.getLogger(__name__)

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
LISTED = 20  # findings listed per section of the body; the attachment has them all


class MailError(Exception):
    """A send that cannot be attempted as configured (no password in the environment)."""


@dataclass(frozen=True)
class Item:
    headline: str
    target: str
    note: str


@dataclass(frozen=True)
class Section:
    heading: str
    items: list[Item]
    more: int  # items left out of the body


@dataclass(frozen=True)
class Body:
    """What the email says, once, for its plain-text and HTML renderings."""

    greeting: str
    paragraphs: list[str]
    sections: list[Section]
    closing: list[str]


def fingerprint(doc: dict) -> str:
    """sha1 of what the administrator must act on: each open finding's rule, target, deadline and
    whether it is overdue. The state word is left out (new turns into open on the next run without
    anything having changed), and so is the fixed list: a fix already changes the open findings, and
    the fixed list empties again a day later, which would send a second email about nothing."""
    open_findings = sorted([f["rule"], f["target"], f["deadline"], f["overdue"]] for f in doc["findings"])
    payload = json.dumps({"open": open_findings}, ensure_ascii=False)
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()


def subject_line(doc: dict, site: Site) -> str:
    return (f"【整改清单】{site.name}（{site.site_code}）{doc['as_of']}："
            f"{len(doc['findings'])}个问题，{doc['summary']['states']['overdue']}个超期")


def mail_rectification_list(store: Store, settings: Email, site: Site, doc: dict, xlsx: Path, *,
                            moment: datetime | None = None) -> EmailSent | None:
    """Send the site's list to its administrator (and settings.cc) and store the attempt.

    None when nothing is sent: the site has no administrator's email, or the list is unchanged
    since the last email that was sent (and settings.send_unchanged is false).
    """
    validate(doc)
    if not site.admin.email:
        log.warning("site %s has no administrator email ([site.admin] email): its list is not sent", site.id)
        return None
    moment = moment or utcnow()
    current = fingerprint(doc)
    with store.session() as session:
        last = session.scalars(select(EmailSent).where(EmailSent.site_id == site.id, EmailSent.status == "sent")
                               .order_by(EmailSent.sent_at.desc(), EmailSent.id.desc()).limit(1)).first()
    if last is not None and last.fingerprint == current and not settings.send_unchanged:
        return None
    recipients = list(dict.fromkeys((site.admin.email, *settings.cc)))
    row = EmailSent(site_id=site.id, sent_at=moment, recipients=recipients, subject=subject_line(doc, site),
                    fingerprint=current, attachment=xlsx.name, status="sent", error=None)
    try:
        _send(settings, _message(settings, site, doc, xlsx, row.subject, moment))
    except (OSError, UnicodeError, MailError) as error:
        # OSError: refused, timed out, TLS and every smtplib error; UnicodeError: smtplib logs in in ASCII only
        row.status, row.error = "failed", f"{type(error).__name__}: {error}"
        log.warning("rectification list of site %s not sent to %s: %s", site.id, ", ".join(recipients), row.error)
    with store.session.begin() as session:
        session.add(row)
    return row


def _message(settings: Email, site: Site, doc: dict, xlsx: Path, title: str, moment: datetime) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = title
    message["From"] = settings.sender
    message["To"] = Address(display_name=site.admin.name, addr_spec=site.admin.email)
    if settings.cc:
        message["Cc"] = ", ".join(settings.cc)
    message["Date"] = format_datetime(moment.astimezone(CHINA_TZ))
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2])  # no DNS lookup of our own name
    body = _body(site, doc, xlsx.name)
    message.set_content(_plain(body), cte="base64")  # 7-bit safe for servers without 8BITMIME
    message.add_alternative(_html(body), subtype="html", cte="base64")
    message.add_attachment(xlsx.read_bytes(), maintype=XLSX_TYPE[0], subtype=XLSX_TYPE[1], filename=xlsx.name)
    return message


def _password(settings: Email) -> str | None:
    """The SMTP password, from the environment variable [email] password_env names (never from the file)."""
    if not settings.user:
        return None
    if not settings.password_env:
        raise MailError(f"[email] user is {settings.user!r} but password_env names no environment variable "
                        "holding its password")
    password = os.environ.get(settings.password_env)
    if password is None:
        raise MailError(f"environment variable {settings.password_env} ([email] password_env: the SMTP password "
                        f"for {settings.user!r}) is not set")
    return password


def _send(settings: Email, message: EmailMessage) -> None:
    password = _password(settings)
    if settings.security == "ssl":
        connection = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                      context=ssl.create_default_context())
    else:
        connection = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    with connection:
        if settings.security == "starttls":
            connection.starttls(context=ssl.create_default_context())
        if settings.user:
            connection.login(settings.user, password)
        connection.send_message(message)


def _where(entry: dict) -> str:
    """Where, as the list says it: the place in words and the address to open, never an internal id."""
    place = location_label(entry) if "evidence" in entry else entry.get("location") or ""
    return "　".join(part for part in (place, shown_url(entry)) if part) or "—"


def _finding_item(finding: dict) -> Item:
    status = STATE_COUNT_LABELS["overdue"] if finding["overdue"] else state_text(finding)
    deadline = deadline_label(finding["deadline"], finding["deadline_note"])
    return Item(f"{finding['rule']} {finding['title']}：{finding['description']}", _where(finding),
                f"{status}，整改时限{deadline}" if deadline else status)


def _fixed_item(fixed: dict) -> Item:
    return Item(f"{fixed['rule']} {fixed['title']}", _where(fixed),
                f"整改完成：{format_time(fixed['fixed_at'])}，是否按时：{on_time_label(fixed['on_time'])}")


def _section(heading: str, items: list[Item]) -> Section:
    return Section(heading, items[:LISTED], max(0, len(items) - LISTED))


def _body(site: Site, doc: dict, attachment: str) -> Body:
    states = doc["summary"]["states"]
    paragraphs = [f"{site.name}（网站标识码{site.site_code}）截至{doc['as_of']}的整改清单见附件《{attachment}》。"]
    if doc.get("verdict"):
        v = doc["verdict"]
        vetoes = f"，单项否决：{'、'.join(v['vetoes'])}" if v["vetoes"] else ""
        paragraphs.append(f"检查结论：{v['result']}{'（待定）' if v['provisional'] else ''}，"
                          f"得分{v['score']:g}（合格线{v['pass_score']:g}）{vetoes}。")
    if doc["run"]["status"] in RUN_STATUS_WARNINGS:
        reason = f"（{doc['run']['reason']}）" if doc["run"]["reason"] else ""
        paragraphs.append(f"注意：{RUN_STATUS_WARNINGS[doc['run']['status']]}{reason}。")
    fixed = f"{FIXED_HEADING}{states['fixed']}个。"
    if doc["findings"]:
        by_state = "，".join(f"{label}{states[state]}个" for state, label in STATE_LABELS.items())
        paragraphs.append(f"待整改问题{len(doc['findings'])}个：{by_state}；"
                          f"其中{STATE_COUNT_LABELS['overdue']}{states['overdue']}个。{fixed}")
    else:
        paragraphs.append(f"{NO_FINDINGS}。{fixed}")
    ordered = sorted(doc["findings"],  # the nearest deadline first, findings without one last
                     key=lambda f: (f["deadline"] is None, f["deadline"] or "", f["rule"], f["target"]))
    sections = [_section("已超过整改时限，请优先整改", [_finding_item(f) for f in ordered if f["overdue"]]),
                _section("其他待整改问题", [_finding_item(f) for f in ordered if not f["overdue"]]),
                _section(fixed_since_label(doc["since"]), [_fixed_item(f) for f in doc["fixed"]])]
    return Body(greeting=f"{site.admin.name or '网站管理员'}：您好！",
                paragraphs=paragraphs,
                sections=[section for section in sections if section.items],
                closing=["每个问题的所在页面、证据、依据和整改建议见附件，请在整改时限内完成整改。",
                         "本邮件由政府网站监测系统（govmon）自动发送。"])


def _more(section: Section) -> str:
    return f"……另有{section.more}个，详见附件"


def _plain(body: Body) -> str:
    lines = [body.greeting, "", *(p for paragraph in body.paragraphs for p in (paragraph, ""))]
    for section in body.sections:
        lines.append(f"{section.heading}：")
        for number, item in enumerate(section.items, start=1):
            lines += [f"{number}. {item.headline}", f"   {item.target}（{item.note}）"]
        if section.more:
            lines.append(_more(section))
        lines.append("")
    return "\n".join(lines + body.closing) + "\n"


def _html(body: Body) -> str:
    """Targets and descriptions come from crawled pages: everything is escaped."""
    parts = [f"<p>{escape(body.greeting)}</p>", *(f"<p>{escape(p)}</p>" for p in body.paragraphs)]
    for section in body.sections:
        items = "".join(f"<li><strong>{escape(item.headline)}</strong><br>{escape(item.target)}"
                        f"（{escape(item.note)}）</li>" for item in section.items)
        more = f"<p>{escape(_more(section))}</p>" if section.more else ""
        parts.append(f"<h3>{escape(section.heading)}</h3><ol>{items}</ol>{more}")
    parts += [f"<p>{escape(line)}</p>" for line in body.closing]
    return ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"></head><body>'
            + "".join(parts) + "</body></html>\n")
