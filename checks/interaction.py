"""INTER-1 … INTER-4: can citizens ask online, and are their messages answered in time.

Messages come from the pages' extracted message lists (留言时间, 答复时间, status),
merged with each message's detail page, so a date shown only on the detail page still
counts as published. A channel may be on a page robots.txt kept from the crawl: then the
lack of one is not judged.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from govmon.checks.context import Context, months_after, months_before, parse_date
from govmon.checks.rule import Draft, Rule, drafts_of, judges
from govmon.checks.snapshot import FetchedPage, Snapshot, robots_blocked, unjudged_for_robots
from govmon.workdays import WorkdayError

SOURCE_19 = "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》"

INTER_1 = Rule(
    id="INTER-1", cls="veto", title="互动回应差：无有效在线咨询渠道",
    summary="No working online consultation channel (网上信访 and 纪检举报 channels do not count).",
    why="A government site must let citizens ask questions online; 19号 makes the lack of one a single veto.",
    source=f"{SOURCE_19}“单项否决：互动回应差”",
    fix="开设政务咨询类互动栏目（如咨询投诉、领导信箱）并保证可正常使用",
    example="网站未发现有效的在线咨询渠道：2个咨询类链接均无法使用",
)
INTER_2 = Rule(
    id="INTER-2", cls="veto", title="互动回应差：留言长期未答复",
    summary="A message asked within the lookback window is unanswered (or was answered) after more than 3 months.",
    why="19号 vetoes a site whose 政务咨询 column leaves a citizen's message unanswered for over three months.",
    source=f"{SOURCE_19}“单项否决：互动回应差”",
    fix="立即答复该留言，并建立留言办理时限督办机制",
    settings=("max_months", "lookback_months"),
    example="留言“关于小区供暖的咨询”于2026-06-02提交，至2026-11-23仍未答复，超过3个月（2026-09-02到期）",
)
INTER_3 = Rule(
    id="INTER-3", cls="deduct", title="留言未公开留言时间或答复时间",
    summary="A consultation column publishes messages without their 留言时间 or 答复时间.",
    why="Without both dates nobody can tell whether a message was answered in time.",
    source=f"{SOURCE_19}“互动回应”",
    fix="公开每条留言的留言时间和答复时间",
    settings=("points", "cap"),
    example="“咨询投诉”栏目有4条留言未公开留言时间或答复时间",
)
INTER_4 = Rule(
    id="INTER-4", cls="advice", title="留言答复不及时",
    summary="A message was answered later than the pack's limit in Chinese working days.",
    why="Slow replies defeat the purpose of online consultation even when they come within three months.",
    source=f"{SOURCE_19}“互动回应”（答复时限以本地区规定为准）",
    fix="在规定工作日内答复留言",
    settings=("max_working_days",),
    example="留言“社保转移咨询”于2026-10-08提交，2026-10-30答复，用时16个工作日，超过5个工作日",
)
RULES = (INTER_1, INTER_2, INTER_3, INTER_4)


@dataclass
class Message:
    key: str  # its detail URL, else the listing page's URL and its title
    title: str
    url: str | None
    listed_on: FetchedPage  # the list page that shows it (the detail page when no list does)
    asked: str | None = None
    answered: str | None = None
    status: str | None = None
    replied: bool | None = None


def site_messages(snapshot: Snapshot) -> list[Message]:
    merged: dict[str, Message] = {}
    for page in snapshot.pages:
        if page.kind != "page" or not page.facts:
            continue
        for raw in page.facts.get("messages") or []:
            url = raw.get("url")
            key = snapshot.key(url) if url else f"{page.url}#{raw.get('title')}"
            detail = url is not None and key == snapshot.key(page.url)
            message = merged.get(key)
            if message is None:
                message = merged[key] = Message(key, raw.get("title") or "", url, page)
            elif not detail and snapshot.key(message.listed_on.url) == key:
                message.listed_on = page  # a list shows it: the list is where the column is
            message.title = message.title or raw.get("title") or ""
            message.asked = message.asked or raw.get("asked")
            message.answered = message.answered or raw.get("answered")
            message.status = message.status or raw.get("status")
            if raw.get("replied") is not None:
                message.replied = bool(message.replied) or raw["replied"]
    return list(merged.values())


def _target(message: Message) -> str:
    return message.url or message.key


def _place(message: Message) -> list[dict]:
    return [{"page": message.listed_on.url, "tag": "a", "attr": "href", "text": message.title}]


def _messages(snapshot: Snapshot, _context: Context) -> list[Message]:
    return site_messages(snapshot)


def _late_replies(snapshot: Snapshot, context: Context) -> list[Draft]:
    """One pass judging INTER-2 and INTER-4: a message is judged late by the first of them that applies."""
    return late_replies(context.once(snapshot, _messages), context)


@judges(INTER_2)
def check_inter_2(snapshot: Snapshot, context: Context) -> list[Draft]:
    return drafts_of(INTER_2, context.once(snapshot, _late_replies))


@judges(INTER_3)
def check_inter_3(snapshot: Snapshot, context: Context) -> list[Draft]:
    return _undated(context.once(snapshot, _messages), context)


@judges(INTER_4)
def check_inter_4(snapshot: Snapshot, context: Context) -> list[Draft]:
    return drafts_of(INTER_4, context.once(snapshot, _late_replies))


def check_interaction(snapshot: Snapshot, context: Context) -> list[Draft]:
    """Every rule of the family: INTER-1, the late replies (INTER-2, INTER-4), INTER-3."""
    return (check_inter_1(snapshot, context) + context.once(snapshot, _late_replies)
            + check_inter_3(snapshot, context))


@judges(INTER_1)
def check_inter_1(snapshot: Snapshot, context: Context) -> list[Draft]:
    home = snapshot.home
    if home is None or home.status is None or home.status >= 400:
        return []
    words = context.pack.interaction
    tried: dict[str, dict] = {}
    blocked: list[str] = []  # consultation links robots.txt kept from the crawl: they may work
    for _source, target, _tag, _attr, text, _kind, _internal in snapshot.links:
        text = (text or "").strip()
        if len(text) > words.max_link_chars or not any(w in text for w in words.consultation) \
                or any(w in text for w in words.not_consultation):
            continue
        page = snapshot.page(target)
        works = page is not None and page.status is not None and page.status < 400 and not page.error_kind
        if works:
            return []
        if robots_blocked(page):
            blocked.append(target)
            continue
        tried.setdefault(target, {"target": target, "text": text,
                                  "status": page.status if page else None,
                                  "error": page.error_kind if page else "not fetched"})
    unseen = blocked or unjudged_for_robots(snapshot)
    if unseen:  # a channel may be on a page the crawl was not allowed to read: a veto is never guessed
        context.cannot_judge("INTER-1", f"{len(unseen)}个页面按robots.txt未采集（{_listed(unseen)}），"
                                        "无法判断是否有有效的在线咨询渠道")
        return []
    detail = ("网站未发现有效的在线咨询渠道" + (f"：{len(tried)}个咨询类链接均无法使用" if tried else
              f"（未发现链接文字含“{'”“'.join(words.consultation)}”的入口；网上信访、举报类渠道不计）"))
    return [Draft(rule="INTER-1", target=home.url, evidence={
        "reason": "no_consultation", "status": None, "detail": detail, "links_tried": list(tried.values())[:20]},
        places=[{"page": home.url, "tag": "page", "attr": "", "text": "全站链接"}], places_total=1)]


def _listed(urls: list[str], shown: int = 3) -> str:
    return "、".join(urls[:shown]) + ("等" if len(urls) > shown else "")


def late_replies(messages: list[Message], context: Context) -> list[Draft]:
    """INTER-2 and INTER-4: messages left unanswered, or answered, too late."""
    settings, today = context.pack.rule("INTER-2"), context.today
    max_months, lookback = int(settings["max_months"]), int(settings["lookback_months"])
    max_days = context.pack.rule("INTER-4")["max_working_days"]
    window_start = months_before(today, lookback)
    drafts = []
    for m in messages:
        asked, answered = parse_date(m.asked), parse_date(m.answered)
        if asked is None or asked > today:
            continue
        due = months_after(asked, max_months)
        evidence = {"status": None, "title": m.title, "asked": m.asked, "answered": m.answered,
                    "message_status": m.status, "as_of": today.isoformat(), "due": due.isoformat()}
        if asked > window_start and answered is None and m.replied is False and today > due:
            drafts.append(Draft(rule="INTER-2", target=_target(m), evidence={
                **evidence, "reason": "unanswered",
                "detail": f"留言“{m.title}”于{asked.isoformat()}提交，至{today.isoformat()}仍未答复，"
                          f"超过{max_months}个月（{due.isoformat()}到期）"}, places=_place(m), places_total=1))
        elif asked > window_start and answered is not None and answered > due:
            drafts.append(Draft(rule="INTER-2", target=_target(m), evidence={
                **evidence, "reason": "answered_late",
                "detail": f"留言“{m.title}”于{asked.isoformat()}提交，{answered.isoformat()}才答复，"
                          f"超过{max_months}个月（{due.isoformat()}到期）"}, places=_place(m), places_total=1))
        elif answered is not None and answered >= asked:
            try:
                elapsed = context.calendar.between(asked, answered)
            except WorkdayError as error:  # a year before any calendar: not judged rather than guessed
                context.cannot_judge("INTER-4", str(error))
                continue
            if elapsed > max_days:
                provisional = context.calendar.provisional(asked, answered)
                drafts.append(Draft(rule="INTER-4", target=_target(m), evidence={
                    **evidence, "reason": "slow_reply", "working_days": elapsed, "max_working_days": max_days,
                    "calendar": provisional,
                    "detail": f"留言“{m.title}”于{asked.isoformat()}提交，{answered.isoformat()}答复，"
                              f"用时{elapsed}个工作日，超过{max_days:g}个工作日"
                              + (f"（{provisional}）" if provisional else "")}, places=_place(m), places_total=1))
    return drafts


def _undated(messages: list[Message], context: Context) -> list[Draft]:
    columns: dict[str, list[tuple[Message, list[str]]]] = defaultdict(list)
    for m in messages:
        lacking = [] if m.asked else ["留言时间"]
        if m.replied and not m.answered:
            lacking.append("答复时间")
        if lacking:
            columns[m.listed_on.facts.get("column") or m.listed_on.url].append((m, lacking))
    cap = context.pack.report.places_cap
    drafts = []
    for column, listed in sorted(columns.items()):
        first = min((m.listed_on for m, _ in listed), key=lambda p: (p.depth, len(p.url), p.url))
        places = [{"page": m.listed_on.url, "tag": "a", "attr": "href", "text": f"{m.title}（缺{'、'.join(lacking)}）"}
                  for m, lacking in listed]
        drafts.append(Draft(rule="INTER-3", target=first.url, evidence={
            "reason": "undated_messages", "status": None, "column": column, "messages": len(listed),
            "detail": f"“{column}”栏目有{len(listed)}条留言未公开留言时间或答复时间"},
            places=places[:cap], places_total=len(places)))
    return drafts
