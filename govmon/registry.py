"""The site registry (网站台账): which sites to monitor and how to crawl each.

A registry is a TOML file with optional ``[settings]`` (data directory, database,
rule pack), optional ``[defaults.crawl]`` applied to every site, one ``[[site]]``
table per site, one ``[[account]]`` table per government new-media account, and the
optional ``[schedule]`` (when `govmon serve` runs what), ``[email]`` (SMTP) and ``[intake]``
(the HTTP intake of citizens' reports). Loading validates everything up front: a bad file
raises one :class:`RegistryError` that names the file, the site and the field,
so nothing ever runs half-configured.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AllowInfNan, BaseModel, ConfigDict, Field, Strict, ValidationError, ValidationInfo, field_validator
from pydantic.fields import FieldInfo

from govmon.config import read_toml

SITE_CODE = re.compile(r"^(\d{10}|bm\d{8})$")
SITE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
SESSION_PARAMS = ("jsessionid", "phpsessid", "sid")  # session-id parameters, matched in any case
SPIDER_USER_AGENT = "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)"

# TOML has types: a count is an integer and a switch a boolean, never "15" or true taken for 1; a number is finite
Whole = Annotated[int, Strict()]
Number = Annotated[float, Strict(), AllowInfNan(False)]
Switch = Annotated[bool, Strict()]


class RegistryError(ValueError):
    """A registry file that cannot be used; the message names file, site and field."""


def email_address(value: str) -> str:
    if value and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
        raise ValueError(f"not an email address: {value!r}")
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Admin(_Strict):
    name: str = ""
    email: str = ""

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        return email_address(value)


class CrawlLimits(_Strict):
    """Crawl limits and politeness. Defaults fit government sites, which block aggressive crawlers."""

    max_pages: Whole = Field(default=5000, ge=1, le=1_000_000)
    max_depth: Whole = Field(default=8, ge=0, le=100)
    max_list_pages: Whole = Field(default=10, ge=1, le=1000)  # pages of one column's list followed (下一页 …)
    concurrency: Whole = Field(default=4, ge=1, le=64)
    delay: Number = Field(default=0.5, ge=0, le=60)
    autothrottle: Switch = True
    timeout: Number = Field(default=15.0, gt=0, le=600)
    retries: Whole = Field(default=2, ge=0, le=10)
    render: Literal["never", "auto", "always"] = "auto"
    robots: Literal["obey", "ignore"] = "ignore"
    user_agent: str = Field(default="govmon/0.1 (+https://github.com/govmon/govmon; 政府网站监测)", min_length=1,
                            max_length=300)
    # URL parameters that only carry a visitor's session (;jsessionid=…, ?sid=…): dropped from a URL's identity
    session_params: tuple[str, ...] = Field(default=SESSION_PARAMS, max_length=50)
    # Bytes one response may hold, decompressed: a page (or a feed), and an attachment checked by GET.
    max_page_bytes: Whole = Field(default=10_000_000, ge=10_000, le=1_000_000_000)
    max_attachment_bytes: Whole = Field(default=50_000_000, ge=10_000, le=10_000_000_000)
    # Pages a run usually fetches, for the service's daily plan (`govmon schedule plan`); unset: max_pages.
    expected_pages: Whole | None = Field(default=None, ge=1, le=1_000_000)
    # Seconds a crawl may run before it stops as partial; unset: see duration_limit.
    max_duration: Number | None = Field(default=None, gt=0, le=7 * 86400)
    # Resources, attachments and external links checked per run (HEAD, or GET where HEAD is refused).
    max_checks: Whole = Field(default=20_000, ge=0, le=10_000_000)
    # Politeness towards hosts that are not the site's: all of them share these concurrent requests and delay.
    external_concurrency: Whole = Field(default=2, ge=1, le=64)
    external_delay: Number = Field(default=0.25, ge=0, le=60)
    # Seconds past duration_limit before `govmon serve` takes a crawl still running for hung and stops it.
    deadline_margin: Number = Field(default=300.0, ge=10, le=3600)
    # The homepage and its first internal page links fetched again as a search engine's spider (cloaking: a
    # site shown to spiders with other titles or links than to visitors); 0: never.
    spider_view_pages: Whole = Field(default=3, ge=0, le=20)
    spider_user_agent: str = Field(default=SPIDER_USER_AGENT, min_length=1, max_length=300)

    def duration_limit(self) -> float:
        """max_duration, else twice the time max_pages takes at one page per (delay + 1 s), plus 10 minutes:
        a slow but working site finishes its scope, a site that stalls the crawl does not hold it for days."""
        return self.max_duration or 600 + 2 * self.max_pages * (self.delay + 1)

    @field_validator("user_agent", "spider_user_agent")
    @classmethod
    def _user_agent(cls, value: str) -> str:
        if re.search(r"[\x00-\x1f\x7f]", value):  # a line break would start a header of the file's choosing
            raise ValueError(f"one line of text without control characters, got {shown(value)}")
        return value

    @field_validator("session_params")
    @classmethod
    def _session_params(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for name in value:
            if not re.fullmatch(r"[\w.-]{1,64}", name):
                raise ValueError(f"URL parameter names such as 'jsessionid', got {shown(name)}")
        return value


class Site(_Strict):
    id: str
    name: str
    site_code: str
    home: str
    allowed_hosts: tuple[str, ...] = ()
    type: Literal["portal", "department", "grassroots"]
    level: Literal["省", "市", "县", "乡"] | None = Field(default=None, validate_default=True)
    sponsor: str
    admin: Admin = Admin()
    pack: str | None = None
    crawl: CrawlLimits = CrawlLimits()

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not SITE_ID.fullmatch(value):
            raise ValueError("use lowercase letters, digits, '-' or '_' (at most 64)")
        return value

    @field_validator("site_code")
    @classmethod
    def _site_code(cls, value: str) -> str:
        if not SITE_CODE.fullmatch(value):
            raise ValueError(f"网站标识码 must be 10 digits or 'bm' + 8 digits, got {value!r}")
        return value

    @field_validator("home")
    @classmethod
    def _home(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"home must be an http(s) URL, got {value!r}")
        return value if parts.path else value + "/"

    @field_validator("allowed_hosts")
    @classmethod
    def _hosts(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for host in value:
            if not host or "/" in host or " " in host:
                raise ValueError(f"a host name such as 'xxgk.example.gov.cn', got {host!r}")
        return tuple(h.lower() for h in value)

    @field_validator("level")
    @classmethod
    def _level(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None and info.data.get("type") == "portal":
            raise ValueError("a portal needs its administrative level (省, 市, 县 or 乡)")
        return value

    @property
    def hosts(self) -> frozenset[str]:
        """Host names in the crawl scope: the home host plus the allowed hosts."""
        return frozenset({urlsplit(self.home).hostname or "", *self.allowed_hosts})


class Settings(_Strict):
    data_dir: str | None = None
    db: str | None = None
    pack: str = "national"
    resolver: str | None = None  # "HOST:PORT" of the DNS server for crawls and probes; None: the system's
    workdays: str | None = None  # working-day override file (years chinese-calendar lacks, local adjustments)

    @field_validator("resolver")
    @classmethod
    def _resolver(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"(\[[0-9a-fA-F:]+\]|[\w.-]+)(:\d{1,5})?", value):
            raise ValueError(f"a DNS server as HOST or HOST:PORT, got {value!r}")
        return value


HH_MM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class Schedule(_Strict):
    """When `govmon serve` runs each job, in China time (the ``[schedule]`` table)."""

    probes_per_day: Whole = Field(default=24, ge=1, le=1440)  # availability probes per site, evenly spread
    # each day's crawls, IPv6 probes and account checks run in the evening, so the next morning's
    # report of that day sees them
    # daily crawls run within this window ("24:00" ends it at midnight: ["00:00", "24:00"] is the whole day)
    crawl_window: tuple[str, str] = ("20:00", "23:00")
    max_crawls: Whole = Field(default=2, ge=1, le=32)  # crawls at once, at most: the plan runs as few as fit the window
    # The plan's estimates: seconds one request to a site takes (duration_limit assumes 1 s as well), MB one crawl
    # child holds at its peak (142 MiB measured at 2,000 pages, BENCHMARKS.md; rendering pages takes more), and MB
    # all crawls together may hold (unset: half the machine's MemTotal, from /proc/meminfo).
    request_seconds: Number = Field(default=1.0, gt=0, le=600)
    crawl_memory_mb: Whole = Field(default=400, ge=16, le=1_048_576)
    memory_mb: Whole | None = Field(default=None, ge=16, le=16_777_216)
    ipv6_at: str = "19:00"
    media_at: str = "19:30"
    reports_at: str = "08:00"  # the day before; weekly on Mondays, monthly on the 1st, quarterly on 1 Jan/Apr/Jul/Oct
    misfire_grace: Whole = Field(default=3600, ge=1, le=86400)  # seconds late a job may still start (after downtime)
    reports_dir: str | None = None  # default: <data_dir>/reports

    @field_validator("ipv6_at", "media_at", "reports_at")
    @classmethod
    def _time(cls, value: str) -> str:
        if not HH_MM.fullmatch(value):
            raise ValueError(f"a time of day as HH:MM, got {value!r}")
        return value

    @field_validator("crawl_window")
    @classmethod
    def _window(cls, value: tuple[str, str]) -> tuple[str, str]:
        start, end = value
        if not (HH_MM.fullmatch(start) and (HH_MM.fullmatch(end) or end == "24:00")) or start >= end:
            raise ValueError(f"two times of day, HH:MM (the end may be 24:00), the first earlier, got {list(value)!r}")
        return value


class Email(_Strict):
    """SMTP settings for sending each administrator the site's rectification list (the ``[email]`` table)."""

    host: str = Field(min_length=1)
    port: Whole = Field(default=25, ge=1, le=65535)
    security: Literal["none", "starttls", "ssl"] = "none"
    user: str | None = None
    password_env: str | None = None  # the environment variable holding the password (never the file)
    sender: str
    cc: tuple[str, ...] = ()  # e.g. the supervisor's own address
    send_unchanged: Switch = False  # also send when nothing changed since the last email
    timeout: Number = Field(default=30.0, gt=0, le=300)

    @field_validator("sender")
    @classmethod
    def _sender(cls, value: str) -> str:
        return email_address(value)

    @field_validator("cc")
    @classmethod
    def _cc(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(email_address(address) for address in value)


class Intake(_Strict):
    """The HTTP intake of 我为政府网站找错 reports, `govmon intake serve` (the ``[intake]`` table)."""

    host: str = "127.0.0.1"
    port: Whole = Field(default=8765, ge=1, le=65535)
    token_env: str = "GOVMON_INTAKE_TOKEN"  # the environment variable holding the one token allowed to post
    max_body: Whole = Field(default=65536, ge=1, le=16 * 1024 * 1024)  # bytes per request
    # a client that takes longer is dropped, so slow clients cannot hold the intake's connections
    header_timeout: Number = Field(default=10.0, gt=0, le=600)  # seconds from connecting to the last header
    body_timeout: Number = Field(default=30.0, gt=0, le=600)  # seconds from the last header to the body's end
    max_connections: Whole = Field(default=256, ge=1, le=1000)  # held at once: below a process's usual 1024 files
    # `govmon intake verify`: seconds for one whole run (the schedule starts it this long before the reports),
    # and sites verified at the same time (one site's reports one after another, sharing its fetches)
    verify_budget: Number = Field(default=1200.0, gt=0, le=21600)
    verify_concurrency: Whole = Field(default=4, ge=1, le=64)


PLATFORMS = ("微信公众号", "微博", "抖音", "今日头条", "快手", "客户端", "other")


class Account(_Strict):
    """A government new-media account (政务新媒体账号), watched through its mirrors (RSSHub feeds, HTML lists)."""

    id: str
    platform: Literal["微信公众号", "微博", "抖音", "今日头条", "快手", "客户端", "other"]
    name: str = Field(min_length=1)
    sponsor: str = Field(min_length=1)
    site: str  # the owning site's id
    mirrors: tuple[str, ...] = Field(min_length=1)
    interaction: Switch | None = None  # None: not known; False: no effective interaction function (MEDIA-3)

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not SITE_ID.match(value):
            raise ValueError("lowercase letters, digits, '-' and '_' only, starting with a letter or digit")
        return value

    @field_validator("mirrors")
    @classmethod
    def _mirrors(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for url in value:
            if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
                raise ValueError(f"not an http(s) URL: {url!r}")
        return value


class Registry(_Strict):
    path: Path
    settings: Settings
    sites: tuple[Site, ...]
    accounts: tuple[Account, ...] = ()
    schedule: Schedule = Schedule()
    email: Email | None = None
    intake: Intake = Intake()

    def accounts_of(self, site_id: str | None = None) -> tuple[Account, ...]:
        return tuple(a for a in self.accounts if site_id is None or a.site == site_id)

    def site(self, site_id: str) -> Site:
        for site in self.sites:
            if site.id == site_id:
                return site
        known = ", ".join(s.id for s in self.sites) or "none"
        raise RegistryError(f"{self.path}: no site with id {site_id!r} (known: {known})")


TOP_LEVEL = ("settings", "defaults", "site", "account", "schedule", "email", "intake")


def load_registry(path: str | Path) -> Registry:
    """Read and validate a registry file; raise :class:`RegistryError` on any problem."""
    path = Path(path)
    raw = read_toml(path, RegistryError)

    problems = [f"{path}: unknown top-level table {key!r}{did_you_mean(key, TOP_LEVEL)}"
                for key in raw if key not in TOP_LEVEL]
    settings = _table(path, raw, "settings", Settings, problems)
    schedule = _table(path, raw, "schedule", Schedule, problems)
    email = _table(path, raw, "email", Email, problems) if "email" in raw else None
    intake = _table(path, raw, "intake", Intake, problems)
    crawl_defaults = _crawl_defaults(path, raw.get("defaults", {}), problems)

    entries = raw.get("site", [])
    if isinstance(entries, dict):
        problems.append(f"{path}: [site] must be [[site]], an array of tables: one [[site]] per site")
        entries = []
    elif not isinstance(entries, list):
        problems.append(f"{path}: site must be [[site]] tables, one per site, got {shown(entries)}")
        entries = []
    elif not entries:
        problems.append(f"{path}: no [[site]] entries")
    sites: list[Site] = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            problems.append(f"{path}: site #{number}: must be a [[site]] table, got {shown(entry)}")
            continue
        label = f"site {entry['id']!r}" if isinstance(entry.get("id"), str) else f"site #{number}"
        crawl = entry.get("crawl", {})
        if not isinstance(crawl, dict):
            problems.append(f"{path}: {label}: field crawl: must be a [site.crawl] table, got {shown(crawl)}")
            continue
        try:
            sites.append(Site(**{**entry, "crawl": {**crawl_defaults, **crawl}}))
        except ValidationError as exc:
            problems += [f"{path}: {label}: field {field}: {message}" for field, message in field_problems(exc, Site)]
    seen: dict[str, int] = {}
    for site in sites:
        seen[site.id] = seen.get(site.id, 0) + 1
    problems += [f"{path}: site {sid!r}: field id: used by {n} sites" for sid, n in seen.items() if n > 1]
    accounts = _accounts(path, raw.get("account", []), {site.id for site in sites}, problems)
    if problems:
        raise RegistryError("\n".join(problems))
    return Registry(path=path, settings=settings, sites=tuple(sites), accounts=accounts, schedule=schedule,
                    email=email, intake=intake)


def _table(path: Path, raw: dict[str, Any], name: str, model: type[_Strict], problems: list[str]) -> Any:
    """The ``[name]`` table as ``model``; None (and its problems added) when it cannot be one."""
    table = raw.get(name, {})
    if not isinstance(table, dict):
        problems.append(f"{path}: [{name}] must be a table, got {shown(table)}")
        return None
    try:
        return model(**table)
    except ValidationError as exc:
        problems += [f"{path}: [{name}]: field {field}: {message}" for field, message in field_problems(exc, model)]
        return None


def _crawl_defaults(path: Path, defaults: object, problems: list[str]) -> dict[str, Any]:
    """``[defaults.crawl]``, checked once here so that a bad default is one problem, not one per site."""
    if not isinstance(defaults, dict):
        problems.append(f"{path}: [defaults] must be a table, got {shown(defaults)}")
        return {}
    problems += [f"{path}: [defaults]: field {key}: unknown field{did_you_mean(key, ('crawl',))}"
                 for key in defaults if key != "crawl"]
    crawl = defaults.get("crawl", {})
    if not isinstance(crawl, dict):
        problems.append(f"{path}: [defaults]: field crawl: must be a [defaults.crawl] table, got {shown(crawl)}")
        return {}
    try:
        CrawlLimits(**crawl)
    except ValidationError as exc:
        problems += [f"{path}: [defaults.crawl]: field {field}: {message}"
                     for field, message in field_problems(exc, CrawlLimits)]
        return {}
    return crawl


def _accounts(path: Path, entries: object, site_ids: set[str], problems: list[str]) -> tuple[Account, ...]:
    if not isinstance(entries, list):
        problems.append(f"{path}: [[account]] must be an array of tables, got {shown(entries)}")
        return ()
    accounts: list[Account] = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            problems.append(f"{path}: account #{number}: must be an [[account]] table, got {shown(entry)}")
            continue
        label = f"account {entry['id']!r}" if isinstance(entry.get("id"), str) else f"account #{number}"
        try:
            account = Account(**entry)
        except ValidationError as exc:
            problems += [f"{path}: {label}: field {field}: {message}"
                         for field, message in field_problems(exc, Account)]
            continue
        if account.site not in site_ids:
            problems.append(f"{path}: {label}: field site: no site with id {account.site!r}")
        accounts.append(account)
    ids = [a.id for a in accounts]
    problems += [f"{path}: account {i!r}: field id: used by {ids.count(i)} accounts" for i in sorted(set(ids))
                 if ids.count(i) > 1]
    return tuple(accounts)


# What a configuration field of the wrong type must be instead, by pydantic's error type.
_WANTED = {
    "bool_type": "must be true or false", "string_type": "must be a string in quotes",
    "model_type": "must be a table", "dict_type": "must be a table", "model_attributes_type": "must be a table",
    "tuple_type": "must be a list, such as [\"…\"]", "list_type": "must be a list, such as [\"…\"]",
}
_NUMERIC = {"int_type", "int_parsing", "int_from_float", "float_type", "float_parsing", "finite_number",
            "greater_than", "greater_than_equal", "less_than", "less_than_equal"}


def field_problems(exc: ValidationError, model: type[BaseModel]) -> list[tuple[str, str]]:
    """Each error of ``model`` as (dotted field, message for a person editing the file): a number out of range names
    the range allowed, an unknown key the known key it most resembles."""
    problems = []
    for error in exc.errors():
        loc, kind = error["loc"], error["type"]
        owner, info = _field_at(model, loc)
        got = f", got {shown(error['input'])}"
        if kind == "missing":
            message = "required field is missing"
        elif kind == "extra_forbidden":
            message = "unknown field" + (did_you_mean(str(loc[-1]), tuple(owner.model_fields)) if owner else "")
        elif kind in _NUMERIC and info is not None:
            message = f"must be {_allowed(info)}{got}"
        elif kind in _WANTED:
            message = _WANTED[kind] + got
        elif kind == "literal_error":
            message = error["msg"].replace("Input should be", "must be") + got
        else:
            message = error["msg"].removeprefix("Value error, ")
        problems.append((".".join(str(part) for part in loc) or "(entry)", message))
    return problems


def _field_at(model: type[BaseModel], loc: tuple) -> tuple[type[BaseModel] | None, FieldInfo | None]:
    """The model holding the field an error's location ends at, and that field (None where neither can be told)."""
    cursor: Any = model
    owner, info = None, None
    for part in loc:
        cursor = _bare(cursor)
        if isinstance(cursor, type) and issubclass(cursor, BaseModel):
            owner, info = cursor, cursor.model_fields.get(str(part))
            if info is None:
                return owner, None
            cursor = info.annotation
        elif typing.get_origin(cursor) is dict:
            cursor = typing.get_args(cursor)[1]
        elif typing.get_origin(cursor) in (tuple, list):
            cursor = typing.get_args(cursor)[0]
        else:
            break
    return owner, info


def _bare(annotation: Any) -> Any:
    """An annotation without Annotated and without ``| None``."""
    while True:
        origin, args = typing.get_origin(annotation), typing.get_args(annotation)
        if origin is Annotated:
            annotation = args[0]
        elif origin in (typing.Union, types.UnionType) and len([a for a in args if a is not type(None)]) == 1:
            annotation = next(a for a in args if a is not type(None))
        else:
            return annotation


def _allowed(info: FieldInfo) -> str:
    """A numeric field's allowed values in words: "a whole number from 1 to 64", "a number above 0, at most 300"."""
    kind = "a whole number" if _bare(info.annotation) is int else "a number"
    bound = {key: getattr(m, key) for m in info.metadata for key in ("gt", "ge", "lt", "le") if hasattr(m, key)}
    if "ge" in bound and "le" in bound:
        return f"{kind} from {bound['ge']} to {bound['le']}"
    words = [f"{label} {bound[key]}" for key, label in
             (("gt", "above"), ("ge", "at least"), ("lt", "below"), ("le", "at most")) if key in bound]
    return f"{kind} {', '.join(words)}" if words else f"{kind} (finite)"


def did_you_mean(name: str, known: tuple[str, ...]) -> str:
    """' (did you mean 'max_pages'?)' for a misspelled key, else the keys allowed there."""
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(known)})"


def shown(value: object, limit: int = 60) -> str:
    """A value as the file would have it, cut short: a hostile file's megabyte string is no error message."""
    text = {True: "true", False: "false"}.get(value) if isinstance(value, bool) else None
    text = text or repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"
