"""The posts of a government new-media account (政务新媒体) as one of its mirrors shows them.

An account on 微信, 微博 or 抖音 cannot be crawled itself; a mirror can: an RSSHub feed (RSS 2.0,
RDF, Atom, JSON Feed 1.0/1.1) or an HTML list of its posts (the site's own 政务新媒体 page, an
archive). The kind is read from the body, since RSSHub and proxies serve feeds as text/html or
application/octet-stream. Every time is China time (+08:00): zoned times are converted, times
without a zone are taken as written. A mirror may say the account is closed (该账号已注销)
instead of, or beside, its posts.
"""

from __future__ import annotations

import datetime
import email.utils
import io
import json
import re
import time
from dataclasses import dataclass

import feedparser

from govmon.facts.dates import valid_date
from govmon.facts.document import _XML_DECLARATION, Document, ExtractError, normalise_space, parse_html
from govmon.facts.encoding import decode_html
from govmon.facts.list_items import _preferred_date, _region, list_entries, resolve_href, short_date, visible_text_of
from govmon.facts.title import extract_title


@dataclass(frozen=True, slots=True)
class Post:
    """One post: published is ISO 8601, with +08:00 time when the mirror shows one, else YYYY-MM-DD;
    date_text is the date as the mirror writes it ("Mon, 09 Nov 2026 00:30:00 GMT", "3小时前")."""

    title: str
    url: str | None
    published: str | None
    date_text: str | None


@dataclass(frozen=True, slots=True)
class Mirror:
    """kind: rss | atom | json | html; title: the account name as the mirror shows it; posts newest first,
    undated ones last in mirror order; closed: the mirror's words saying the account is closed, else None."""

    kind: str
    title: str | None
    posts: list[Post]
    closed: str | None


class MirrorError(ValueError):
    """The body is no feed and no readable list page (malformed XML/JSON, binary, empty)."""


CHINA = datetime.timezone(datetime.timedelta(hours=8))

_CLOSED = re.compile(
    r"该[账帐]号因违规无法查看|该[账帐]号已被封禁|该[账帐]号已注销|[账帐]号已注销|[账帐]号已停用|已停止服务"
    r"|此[账帐]号已迁移|[账帐]号不存在|已注销"
)
# The root element after the XML declaration, stylesheet instructions, comments and doctype.
_XML_ROOT = re.compile(
    r"(?:\s|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*<(?:[\w.-]+:)?(?P<name>rss|RDF|feed)\b(?P<attributes>[^>]*)",
    re.DOTALL,
)
_ZONED = re.compile(r"(?:\d(?:Z|[+-]\d{2}:?\d{2})|\s(?:GMT|UTC?|Z|[ECMP][SD]T|[+-]\d{4}))\s*$", re.IGNORECASE)
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_RFC_822 = re.compile(r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}")
_CLOCK = re.compile(r"(?P<h>\d{1,2})[:：](?P<m>\d{2})(?:[:：](?P<s>\d{2}))?")
# 今天/昨天/刚刚 inside a post's text are words of the post, so alone they count only as the whole text.
_RELATIVE = re.compile(
    r"(?<!\d)(?P<count>\d{1,3})\s*个?(?P<unit>分钟|小时|天|周)前"
    r"|(?P<word>今天|昨天|前天)\s*\d{1,2}[:：]\d{2}"
    r"|^\s*(?P<alone>刚刚|今天|昨天|前天)\s*$"
)
_UNITS = {
    "分钟": datetime.timedelta(minutes=1),
    "小时": datetime.timedelta(hours=1),
    "天": datetime.timedelta(days=1),
    "周": datetime.timedelta(weeks=1),
}
_DAYS_BACK = {"刚刚": 0, "今天": 0, "昨天": 1, "前天": 2}
_FEED_DATES = ("published", "updated")  # feedparser's names for pubDate, dc:date, <published> and <updated>


# ----- dates


def _stamp(day: datetime.date, clock: re.Match[str] | None) -> str:
    """YYYY-MM-DD, or the China-time moment when the source shows a valid time of day."""
    if clock:
        hour, minute, second = int(clock["h"]), int(clock["m"]), int(clock["s"] or 0)
        if hour < 24 and minute < 60 and second < 60:
            return datetime.datetime.combine(day, datetime.time(hour, minute, second), CHINA).isoformat()
    return day.isoformat()


def _china(moment: datetime.datetime) -> str | None:
    """A moment in China time; a naive one is China time already."""
    moment = moment.astimezone(CHINA) if moment.tzinfo else moment.replace(tzinfo=CHINA)
    if valid_date(moment.year, moment.month, moment.day) is None:  # 1970-01-01 placeholders
        return None
    return moment.replace(microsecond=0).isoformat()


def _moment(text: str) -> str | None:
    """An RFC 3339 or RFC 822 time in China time, one without a zone being China time already."""
    try:
        if _ISO_MOMENT.match(text):
            return _china(datetime.datetime.fromisoformat(text))
        if _RFC_822.match(text):
            return _china(email.utils.parsedate_to_datetime(text))
    except (TypeError, ValueError):
        pass
    return None


def _relative(text: str, as_of: datetime.date) -> tuple[str, str] | None:
    match = _RELATIVE.search(text)
    if not match:
        return None
    if match["count"]:
        day = as_of - datetime.timedelta(days=(int(match["count"]) * _UNITS[match["unit"]]).days)
        return day.isoformat(), match.group(0)
    day = as_of - datetime.timedelta(days=_DAYS_BACK[match["word"] or match["alone"]])
    return _stamp(day, _CLOCK.search(match.group(0))), match.group(0).strip()


def dated(text: str, as_of: datetime.date | None) -> tuple[str, str] | None:
    """(ISO 8601, text as shown) of the date a feed field or a post's text gives.

    Forms: RFC 3339, RFC 822, "2026-11-09 08:30", "2026年11月9日 08:30", "2026/11/09" (a 发布-labelled
    date first, as list pages), then with as_of: "3小时前", "2天前", "昨天 08:30", and "11月9日"
    at a line start, which gets the latest year not after as_of.
    """
    stripped = text.strip()
    moment = _moment(stripped)
    if moment:
        return moment, stripped
    found = _preferred_date(stripped)
    if found:
        return _stamp(found.date, _CLOCK.search(found.text)), found.text
    if as_of is None:
        return None
    relative = _relative(stripped, as_of)
    if relative:
        return relative
    for line in stripped.splitlines():
        short = short_date(line, as_of, leading=True)
        if short and short.date:
            return _stamp(short.date, _CLOCK.search(short.text)), short.text
    return None


# ----- feeds


def _html_text(fragment: str | None) -> str:
    """The visible text of a feed's HTML description, one line per block."""
    if not fragment or not fragment.strip():
        return ""
    try:
        return visible_text_of(parse_html(fragment), lines=True)
    except ExtractError:
        return ""


def _closed(*texts: str | None) -> str | None:
    for text in texts:
        match = _CLOSED.search(text or "")
        if match:
            return match.group(0)
    return None


def _post(title: str, url: str | None, found: tuple[str, str] | None, description: str) -> Post:
    """A post titled by its title, else by its description's first line (微博 posts often have no title)."""
    lines = (normalise_space(line) for line in description.splitlines())
    title = normalise_space(title) or next((line for line in lines if line), "")
    return Post(title, url, found[0] if found else None, found[1] if found else None)


def _post_date(
    fields: list[tuple[str, time.struct_time | None]], description: str, as_of: datetime.date | None
) -> tuple[str, str] | None:
    """From the first readable (raw, parsed) date field, else from the description.

    feedparser's parsed time is taken for zoned fields only: it reads a time without a zone as
    UTC and misreads 2026年11月9日, so those are read here.
    """
    for raw, parsed in fields:
        raw = raw.strip()
        if parsed and _ZONED.search(raw):
            moment = _china(datetime.datetime(*parsed[:6], tzinfo=datetime.UTC))
            if moment:
                return moment, raw
        found = dated(raw, as_of) if raw else None
        if found:
            return found[0], raw
    return dated(description, as_of) if description else None


def _read_xml(text: str, kind: str, url: str, as_of: datetime.date | None) -> Mirror:
    # Decoded here like pages (UTF-8 first, whatever the declaration), so feedparser gets UTF-8 without one.
    body = _XML_DECLARATION.sub("", text, count=1).encode("utf-8")
    parsed = feedparser.parse(
        io.BytesIO(body),  # a file: feedparser would open bytes that name a file or URL
        response_headers={"content-type": "application/xml; charset=utf-8", "content-location": url},
    )
    feed = parsed.feed
    title = normalise_space(feed.get("title", "")) or None
    posts = []
    for entry in parsed.entries:
        description = _html_text(entry.get("summary") or entry.get("description"))
        link = resolve_href(entry.get("link"), url)
        if entry.get("title") or link or description:  # a cut-off feed ends with an empty entry
            # dict.get: FeedParserDict would answer a missing updated with published, and warn.
            fields = [(dict.get(entry, key) or "", dict.get(entry, f"{key}_parsed")) for key in _FEED_DATES]
            posts.append(_post(entry.get("title", ""), link, _post_date(fields, description, as_of), description))
    closed = _closed(title, _html_text(feed.get("subtitle")))
    if parsed.bozo and not posts and not closed:
        raise MirrorError(f"malformed feed: {parsed.get('bozo_exception')}")
    return Mirror(kind, title, posts, closed)


def _read_json(text: str, url: str, as_of: datetime.date | None) -> Mirror:
    try:
        feed = json.loads(text)
    except ValueError as error:
        raise MirrorError(f"invalid JSON: {error}") from error
    if not isinstance(feed, dict) or "jsonfeed" not in str(feed.get("version", "")):
        raise MirrorError("JSON but no JSON Feed")
    items = feed.get("items")
    posts = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        description = str(item.get("content_text") or "") or _html_text(item.get("content_html") or item.get("summary"))
        fields = [(str(item.get(key) or ""), None) for key in ("date_published", "date_modified")]
        found = _post_date(fields, description, as_of)
        link = resolve_href(str(item.get("url") or item.get("external_url") or ""), url)
        posts.append(_post(str(item.get("title") or ""), link, found, description))
    title = normalise_space(str(feed.get("title") or "")) or None
    return Mirror("json", title, posts, _closed(title, str(feed.get("description") or "")))


# ----- list pages


def _read_html(text: str, url: str, as_of: datetime.date | None) -> Mirror:
    try:
        document = Document(text, url)
    except ExtractError as error:
        raise MirrorError(str(error)) from error
    entries = list_entries(document, as_of)
    posts = []
    for entry in entries:
        item = entry.item
        # A year-less date without as_of keeps the year items.py gave it from the page's other dates.
        found = dated(item.date_text, as_of) if item.date_text else dated(entry.text.replace(item.title, " "), as_of)
        if found is None and item.date:
            found = (item.date, item.date_text)
        posts.append(_post(item.title, item.url, found, ""))
    # The notice is a block of its own: a post titled "已注销企业名单公示" says nothing of the account.
    titles = [entry.item.title for entry in entries]
    notices = (
        block.text for block in document.blocks
        if _region(block.owner) and not any(title in block.text for title in titles)
    )
    title = extract_title(document)
    closed = _closed(title, *notices)
    if not posts and not closed:
        raise MirrorError("no list of posts and no closure notice")
    return Mirror("html", title, posts, closed)


def read_mirror(body: bytes, content_type: str | None, url: str, as_of: datetime.date | None = None) -> Mirror:
    """Read a mirror's body: a JSON Feed, an RSS/RDF or Atom feed, else an HTML list page.

    as_of dates the relative and year-less dates ("3小时前", "11月9日"); without it they stay undated,
    except a list page's year-less dates, which take the year of its other dates as on any list page.
    Raises MirrorError when the body is empty, malformed XML without any entry, invalid JSON, or a
    page with neither a list of posts nor a closure notice.
    """
    if not body.strip():
        raise MirrorError("empty body")
    text = decode_html(body, content_type)[0].lstrip("\ufeff")
    if text.lstrip().startswith(("{", "[")):
        mirror = _read_json(text, url, as_of)
    else:
        root = _XML_ROOT.match(text)
        if root and root["name"] != "feed":
            mirror = _read_xml(text, "rss", url, as_of)
        elif root and "atom" in root["attributes"].lower():
            mirror = _read_xml(text, "atom", url, as_of)
        else:
            mirror = _read_html(text, url, as_of)
    posts = sorted(mirror.posts, key=lambda post: post.published or "", reverse=True)  # stable: undated keep order
    return Mirror(mirror.kind, mirror.title, posts, mirror.closed)


def latest_post(mirror: Mirror) -> Post | None:
    """The post with the newest published date; None when no post is dated."""
    return max((post for post in mirror.posts if post.published), key=lambda post: post.published, default=None)


@dataclass(frozen=True)
class MirrorAnswer:
    """What one mirror said: its posts' newest, a closure notice, or why it could not be read."""

    url: str
    kind: str | None = None  # rss | atom | json | html; None when it failed
    status: int | None = None
    error: str | None = None  # why the mirror could not be read (HTTP error, timeout, malformed feed)
    closed: str | None = None
    latest: str | None = None  # the newest post's ISO date or time
    latest_title: str | None = None
    posts: int = 0

    def as_dict(self) -> dict:
        return dict(self.__dict__)
