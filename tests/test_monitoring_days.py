"""`govmon serve`'s jobs over simulated days on the demo portal, on a pinned clock (schedules.replay).

A link defect on the homepage appears, is fixed, comes back; another stays until it is overdue. While a page
the parser cannot read hides two other defects, the crawl is still complete: that page is reported, and the
defects on it are carried, not re-checked, neither fixed nor confirmed. National Day sits in the middle, so every deadline is counted over it. The daily reports, the
weekly, monthly and quarterly ones and the administrators' emails are read back and checked.
"""

from __future__ import annotations

import email
import email.policy
import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import openpyxl
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from govmon.config import CHINA_TZ
from govmon.demo.portal import generate
from govmon.demo.run import write_demo_registry
from govmon.demo.server import load_manifest, serve
from govmon.registry import load_registry
from govmon.schedules.replay import replay
from govmon.schedules.service import open_scheduler
from govmon.store import EmailSent, Run, Store, open_store
from tests.servers import closed_port

ADMIN = "webmaster@dianzhong.example.gov.cn"


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.original_content, policy=email.policy.default))
        return "250 OK"


def china(day: date, hour: int = 0, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), CHINA_TZ)


def site_list(reports: Path, period: str, label: str, site: str = "demo") -> dict:
    index = json.loads((reports / period / label / "index.json").read_text(encoding="utf-8"))
    entry = next(s for s in index["sites"] if s["id"] == site)
    return json.loads((reports / period / label / entry["files"]["json"]).read_text(encoding="utf-8"))


def finding(doc: dict, target: str, rule: str = "LINK-1") -> dict | None:
    return next((f for f in doc["findings"] if f["rule"] == rule and f["target"] == target), None)


# Each site's jobs replay in a test of their own, over the same registry, days and edits, and xdist runs the two
# side by side: as one test they were the suite's longest (every crawl is a child process, 93% of the time).
CRAWLED = [date(2026, 9, 29), date(2026, 9, 30), date(2026, 10, 1), date(2026, 10, 2), date(2026, 10, 9),
           date(2026, 10, 19), date(2026, 10, 20)]


@dataclass
class Days:
    """What the simulated days left behind: the reports folder, the store, the mail and the defects followed."""

    reports: Path
    store: Store
    mailbox: Mailbox
    appeared: str
    stays: str
    hidden: str
    blank: str


def monitor_days(tmp_path: Path, db_url: str, site: str) -> Days:
    """Replay the days with only ``site``'s own jobs (probes, crawl, accounts) beside the shared ones (reports,
    citizen reports): the registry keeps both sites, so each site's findings are what they were together."""
    portal = tmp_path / "portal"
    generate(portal, date(2026, 9, 29))
    home = portal / "site" / "index.html"
    with_link = home.read_text(encoding="utf-8")
    appearing = '<a href="{{EXTERNAL}}/dianxi/" target="_blank">滇西市人民政府</a>'
    assert appearing in with_link
    without_link = with_link.replace(appearing, "")
    services = portal / "site" / "bsfw" / "index.html"
    services_page = services.read_bytes()
    mailbox = Mailbox()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=closed_port())
    smtp.start()
    try:
        with serve(portal) as servers:
            config = tmp_path / "govmon.toml"
            write_demo_registry(config, servers)
            text = config.read_text(encoding="utf-8").replace(
                "[settings]\n", f'[settings]\ndata_dir = "{tmp_path / "data"}"\n', 1)
            # AVAIL-1 wants 20 probes in each day of a 7-day window and the replay runs 4 days in a row at most:
            # availability is "insufficient data" with any count, so one probe a day, not 20, stands for them
            config.write_text(text + f"""
[schedule]
probes_per_day = 1

[email]
host = "127.0.0.1"
port = {smtp.port}
sender = "govmon@supervisor.example.gov.cn"
""", encoding="utf-8")
            manifest = {d["id"]: d for d in load_manifest(portal, servers)["defects"]}
            appeared = manifest["L01"]["target"]  # the 滇西 link, on another server
            stays = manifest["L02"]["target"].replace(servers.portal, servers.named)  # a missing banner image
            hidden = manifest["L04"]["target"]  # a refused link on 办事服务, the page that goes blank on 1 Oct
            blank = manifest["L04"]["pages"][0].replace(servers.portal, servers.named)
            registry, store = load_registry(config), open_store(db_url)
            scheduler, _ = open_scheduler(store, registry, str(config), db_url)
            other = {"demo": "subsite", "subsite": "demo"}[site]
            jobs = [job for job in scheduler.get_jobs() if job.id.split(":")[-1] != other]
            scheduler.shutdown(wait=False)

            def until(last: date, start: datetime | None = None) -> None:
                """Run the jobs up to the morning after ``last`` (its daily report included), from where the
                last call stopped or from ``start`` (the service was down in between)."""
                end = china(last + timedelta(days=1), 8, 30)
                replay(jobs, start or reached[0], end)
                reached[0] = end

            reached = [china(date(2026, 9, 29))]
            home.write_text(without_link, encoding="utf-8")
            until(date(2026, 9, 29))
            home.write_text(with_link, encoding="utf-8")  # the defect appears
            until(date(2026, 9, 30))
            home.write_text(without_link, encoding="utf-8")  # fixed on the site
            services.write_bytes(b"")  # a blank page: reported, and what was found on it is not re-checked
            until(date(2026, 10, 1))
            services.write_bytes(services_page)
            until(date(2026, 10, 2))
            home.write_text(with_link, encoding="utf-8")  # back again after the holiday
            until(date(2026, 10, 9), start=china(date(2026, 10, 9)))
            until(date(2026, 10, 20), start=china(date(2026, 10, 19), 7))  # Monday: the week's report too
    finally:
        smtp.stop()
    return Days(tmp_path / "data" / "reports", store, mailbox, appeared, stays, hidden, blank)


def runs_by_day(store: Store) -> dict[tuple[str, date], str]:
    with store.session() as session:
        return {(r.site_id, r.started_at.date()): r.status for r in session.scalars(select(Run))}


def daily_verdicts(reports: Path, label: str) -> dict[str, tuple[str, bool]]:
    """Each site's result that day, and whether INTER-2 or HOME-1 vetoed it."""
    index = json.loads((reports / "daily" / label / "index.json").read_text(encoding="utf-8"))
    return {s["id"]: (s["result"], "INTER-2" in s["vetoes"] or "HOME-1" in s["vetoes"]) for s in index["sites"]}


VETOED_DAYS = ("2026-09-29", "2026-09-30", "2026-10-02", "2026-10-20")  # the verdicts: vetoes every day


@pytest.mark.scenario
def test_the_subsite_over_the_same_days(tmp_path, db_url):
    days = monitor_days(tmp_path, db_url, "subsite")
    assert runs_by_day(days.store) == {("subsite", day): "complete" for day in CRAWLED}
    for label in VETOED_DAYS:
        assert daily_verdicts(days.reports, label)["subsite"] == ("不合格", True)
    days.store.engine.dispose()


@pytest.mark.scenario
def test_monitoring_over_simulated_days(tmp_path, db_url):
    days = monitor_days(tmp_path, db_url, "demo")
    reports, store, mailbox = days.reports, days.store, days.mailbox
    appeared, stays, hidden, blank = days.appeared, days.stays, days.hidden, days.blank
    assert runs_by_day(store) == {("demo", day): "complete" for day in CRAWLED}

    d29 = site_list(reports, "daily", "2026-09-29")
    assert finding(d29, appeared) is None
    assert {k: finding(d29, stays)[k] for k in ("state", "deadline", "overdue")} == \
        {"state": "new", "deadline": "2026-10-19", "overdue": False}  # 10 working days after 29 Sep, over 国庆

    d30 = site_list(reports, "daily", "2026-09-30")
    assert {k: finding(d30, appeared)[k] for k in ("state", "deadline")} == {"state": "new", "deadline": "2026-10-20"}
    assert finding(d30, stays)["state"] == "open"

    d01 = site_list(reports, "daily", "2026-10-01")  # complete: the homepage was seen again, the blank page was not
    assert d01["run"]["status"] == "complete" and "crawl" not in d01["verdict"]["unjudged"]
    assert finding(d01, appeared) is None
    assert [(f["target"], f["on_time"]) for f in d01["fixed"] if f["rule"] == "LINK-1"] == [(appeared, True)]
    assert finding(d01, blank)["evidence"]["reason"] == "empty_page"  # blank for its visitors: a broken link
    carried = finding(d01, hidden, "LINK-2")
    assert (carried["state"], carried["rechecked"]) == ("open", False)
    assert hidden not in {f["target"] for f in d01["fixed"]}

    d02 = site_list(reports, "daily", "2026-10-02")  # the page is back: its defect is seen again, the blank fixed
    assert finding(d02, appeared) is None and finding(d02, blank) is None
    assert [f["target"] for f in d02["fixed"] if f["rule"] == "LINK-1"] == [blank]
    assert (finding(d02, hidden, "LINK-2")["state"], finding(d02, hidden, "LINK-2")["rechecked"]) == ("open", True)

    d09 = site_list(reports, "daily", "2026-10-09")  # back: reopened, with a deadline of its own
    assert {k: finding(d09, appeared)[k] for k in ("state", "deadline")} == \
        {"state": "reopened", "deadline": "2026-10-22"}

    d20 = site_list(reports, "daily", "2026-10-20")
    assert (finding(d20, stays)["overdue"], finding(d20, appeared)["overdue"]) == (True, False)
    assert d20["summary"]["states"]["overdue"] >= 1
    workbook = openpyxl.load_workbook(reports / "daily" / "2026-10-20" / "sites" / "demo-整改清单-2026-10-20.xlsx")
    sheet = workbook["整改清单"]
    headers = [cell.value for cell in sheet[1]]
    rows = [dict(zip(headers, (cell.value for cell in row))) for row in sheet.iter_rows(min_row=2)]
    banner = next(row for row in rows if row["问题网址"] == stays)
    assert (banner["状态"], banner["整改时限"], banner["是否超期"]) == ("未整改", "2026-10-19", "是")

    for label in VETOED_DAYS:
        verdicts = daily_verdicts(reports, label)
        assert set(verdicts) == {"demo", "subsite"} and verdicts["demo"] == ("不合格", True)

    weekly = json.loads((reports / "weekly" / "2026-W42" / "supervisor.json").read_text(encoding="utf-8"))
    assert [point["day"] for point in weekly["trends"]["open"]] == [  # one point per daily report written
        "2026-09-29", "2026-09-30", "2026-10-01", "2026-10-02", "2026-10-08", "2026-10-09", "2026-10-18"]
    assert weekly["trends"]["pass_rate"][-1]["value"] == 0
    assert (reports / "quarterly" / "2026-Q3" / "通报.html").exists()
    assert (reports / "monthly" / "2026-09" / "supervisor.html").read_text(encoding="utf-8").count(
        'src="data:image/svg+xml;base64,') == 3

    to_admin = [m for m in mailbox.messages if ADMIN in m["To"]]
    subjects = [m["Subject"] for m in to_admin]
    assert any("2026-09-30" in s for s in subjects) and any("2026-10-01" in s for s in subjects)
    fixed_mail = next(m for m in to_admin if "2026-10-01" in m["Subject"])
    assert appeared in fixed_mail.get_body(("plain",)).get_content()
    attachment = next(fixed_mail.iter_attachments())
    assert attachment.get_filename() == "demo-整改清单-2026-10-01.xlsx"
    with store.session() as session:
        sent = {row.sent_at.date() for row in session.scalars(select(EmailSent).where(EmailSent.site_id == "demo"))}
    assert date(2026, 10, 19) not in sent  # 18 Oct's list is 9 Oct's run again: nothing changed, no email
    store.engine.dispose()
