"""MEDIA-1 … MEDIA-4: government new-media accounts (政务新媒体) seen through their mirrors.

An account's verdict comes from its mirrors (RSSHub feeds, HTML list pages): closed when
a mirror says so, dormant when the newest post is the pack's limit or more days old
(counted like the columns: 14 days old is dormant), else active. When every mirror
fails the verdict is unknown, with the reason, and nothing is found: nobody may be told
to close an account because a mirror broke.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from govmon.checks.context import Context, parse_date
from govmon.checks.pack import Pack
from govmon.checks.rule import Draft, Rule, judges
from govmon.checks.snapshot import Snapshot, parsed
from govmon.config import CHINA_TZ
from govmon.facts.mirrors import MirrorAnswer
from govmon.registry import Account

SOURCE_123 = "国办发〔2018〕123号《关于推进政务新媒体健康有序发展的意见》"

MEDIA_1 = Rule(
    id="MEDIA-1", cls="veto", title="政务新媒体不更新（“僵尸”账号）",
    summary="No post within the pack's limit (14 days).",
    why="Dormant accounts (僵尸、睡眠账号) are to be revived or closed; inspections count them as a veto.",
    source=f"{SOURCE_123}；《2022年云南省政务公开工作要点》：及时注销“僵尸”账号；青政办〔2021〕47号：关停注销“僵尸”“空壳”账号",
    fix="恢复正常更新，或按程序关停注销该账号",
    settings=("max_silent_days",),
)
MEDIA_2 = Rule(
    id="MEDIA-2", cls="veto", title="政务新媒体账号无法访问或已关停",
    summary="The account is closed or gone, as its mirror shows (a failing mirror is unknown, never this).",
    why="A registered account that no longer exists misleads citizens who look for it.",
    source=SOURCE_123,
    fix="核实账号状态；已关停的应办理注销备案并从网站政务新媒体栏目中撤下",
)
MEDIA_3 = Rule(
    id="MEDIA-3", cls="veto", title="政务新媒体无有效互动功能",
    summary="The account has no effective interaction function (from the registry).",
    why="Government accounts are to answer the public; an account that cannot be messaged fails the inspection.",
    source=SOURCE_123,
    fix="开通留言、私信等互动功能并及时回应",
)
MEDIA_4 = Rule(
    id="MEDIA-4", cls="advice", title="政务新媒体未报备或未公布",
    summary="An account on the site's 政务新媒体 page is not in the registry (未报备), or a registered one is not listed.",
    why="Accounts are to be registered (备案) and listed on the owning site so citizens can tell real ones from fakes.",
    source=f"{SOURCE_123}（备案管理）",
    fix="为未报备账号办理备案，或在网站政务新媒体栏目中公布已备案账号",
)
RULES = (MEDIA_1, MEDIA_2, MEDIA_3, MEDIA_4)


def post_day(published: str | None) -> date | None:
    """The China-time day of a post's ISO date or time."""
    if not published:
        return None
    if len(published) <= 10:
        return parse_date(published)
    try:
        moment = datetime.fromisoformat(published)
    except ValueError:
        return parse_date(published)
    return (moment if moment.tzinfo else moment.replace(tzinfo=CHINA_TZ)).astimezone(CHINA_TZ).date()


def account_verdict(answers: list[MirrorAnswer], today: date, pack: Pack) -> tuple[str, str | None, MirrorAnswer | None]:
    """(verdict, reason, the answer that decided): closed, dormant, active or unknown."""
    read = [a for a in answers if a.error is None]
    if not read:
        return "unknown", "；".join(f"{a.url}：{a.error}" for a in answers) or "没有镜像地址", None
    closed = next((a for a in read if a.closed), None)
    if closed:
        return "closed", closed.closed, closed
    dated = [a for a in read if post_day(a.latest)]
    if not dated:
        return "unknown", "镜像中没有带日期的内容", None
    newest = max(dated, key=lambda a: post_day(a.latest))
    limit = int(pack.rule("MEDIA-1")["max_silent_days"])
    if post_day(newest.latest) <= today - timedelta(days=limit):
        return "dormant", None, newest
    return "active", None, newest


def _named(account: Account, decided: MirrorAnswer | None) -> tuple[str, str, dict, list[dict]]:
    """(target, who, the account's names, the place) every account finding shares: the report names the account,
    not its id."""
    who = f"{account.platform}“{account.name}”"
    place = [{"page": decided.url if decided else account.mirrors[0], "tag": "mirror", "attr": "", "text": who}]
    return f"account:{account.id}", who, {"platform": account.platform, "name": account.name}, place


@judges(MEDIA_1, on="account")
def check_media_1(account: Account, verdict: str, reason: str | None, decided: MirrorAnswer | None,
                  today: date, pack: Pack) -> list[Draft]:
    if verdict != "dormant":
        return []
    target, who, named, place = _named(account, decided)
    limit = int(pack.rule("MEDIA-1")["max_silent_days"])
    silent = (today - post_day(decided.latest)).days
    return [Draft(rule="MEDIA-1", target=target, evidence={
        "reason": "dormant_account", "status": decided.status, "account": account.id, **named,
        "detail": f"{who}最新发布于{post_day(decided.latest).isoformat()}（{decided.latest_title or '无标题'}），"
                  f"至{today.isoformat()}已{silent}天未更新，达到{limit}天",
        "latest": decided.latest, "latest_title": decided.latest_title, "silent_days": silent,
        "max_silent_days": limit, "as_of": today.isoformat(), "mirror": decided.url}, places=place, places_total=1)]


@judges(MEDIA_2, on="account")
def check_media_2(account: Account, verdict: str, reason: str | None, decided: MirrorAnswer | None,
                  today: date, pack: Pack) -> list[Draft]:
    if verdict != "closed":
        return []
    target, who, named, place = _named(account, decided)
    return [Draft(rule="MEDIA-2", target=target, evidence={
        "reason": "closed_account", "status": decided.status, "account": account.id, **named, "mirror": decided.url,
        "detail": f"{who}的镜像显示：{reason}"}, places=place, places_total=1)]


@judges(MEDIA_3, on="account")
def check_media_3(account: Account, verdict: str, reason: str | None, decided: MirrorAnswer | None,
                  today: date, pack: Pack) -> list[Draft]:
    if account.interaction is not False:
        return []
    target, who, named, place = _named(account, decided)
    return [Draft(rule="MEDIA-3", target=target, evidence={
        "reason": "no_interaction", "status": None, "account": account.id, **named,
        "detail": f"{who}登记为无有效互动功能"}, places=place, places_total=1)]


def account_drafts(account: Account, verdict: str, reason: str | None, decided: MirrorAnswer | None,
                   today: date, pack: Pack) -> list[Draft]:
    """MEDIA-1 … MEDIA-3 on one account's verdict, in rule order."""
    return [draft for unit in (check_media_1, check_media_2, check_media_3)
            for draft in unit(account, verdict, reason, decided, today, pack)]


def _key(platform: str, name: str) -> tuple[str, str]:
    return platform, re.sub(r"[\s@＠“”\"]", "", name)


@judges(MEDIA_4)
def check_listing(snapshot: Snapshot, context: Context) -> list[Draft]:
    """MEDIA-4's unit: from the site's 政务新媒体 page, against the registry's accounts of the site."""
    pages = [p for p in snapshot.pages if parsed(p) and p.facts.get("media_accounts")]
    if not pages:
        if context.accounts:
            context.cannot_judge("MEDIA-4", "网站上未发现政务新媒体栏目（账号列表），无法核对报备情况")
        return []
    listed = {}
    for page in pages:
        for entry in page.facts["media_accounts"]:
            listed.setdefault(_key(entry["platform"], entry["name"]), (page, entry))
    registered = {_key(a.platform, a.name): a for a in context.accounts}
    drafts = []
    for key, (page, entry) in sorted(listed.items()):
        if key not in registered:
            drafts.append(Draft(rule="MEDIA-4", target=f"{page.url}#{entry['platform']}:{entry['name']}", evidence={
                "reason": "unregistered_account", "status": None, "platform": entry["platform"], "name": entry["name"],
                "detail": f"网站政务新媒体栏目公布的{entry['platform']}“{entry['name']}”未在台账中报备"},
                places=[{"page": page.url, "tag": "page", "attr": "", "text": entry["name"]}], places_total=1))
    for key, account in sorted(registered.items()):
        if key not in listed:
            drafts.append(Draft(rule="MEDIA-4", target=f"account:{account.id}", evidence={
                "reason": "unlisted_account", "status": None, "account": account.id, "platform": account.platform,
                "name": account.name,
                "detail": f"台账中的{account.platform}“{account.name}”未在网站政务新媒体栏目中公布"},
                places=[{"page": pages[0].url, "tag": "page", "attr": "", "text": "政务新媒体栏目"}], places_total=1))
    return drafts
