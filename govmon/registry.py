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

import re
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from govmon.config import read_toml

SITE_CODE = re.compile(r"^(\d{10}|bm\d{8})$")
SITE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


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

    max_pages: int = Field(default=5000, gt=0)
    max_depth: int = Field(default=8, ge=0)
    max_list_pages: int = Field(default=10, gt=0)  # pages of one column's list followed (下一页, index_1.html …)
    concurrency: int = Field(default=4, gt=0, le=64)
    delay: float = Field(default=0.5, ge=0)
    autothrottle: bool = True
    timeout: float = Field(default=15.0, gt=0)
    retries: int = Field(default=2, ge=0)
    render: Literal["never", "auto", "always"] = "auto"
    robots: Literal["obey", "ignore"] = "ignore"
    user_agent: str = "govmon/0.1 (+https://github.com/govmon/govmon; 政府网站监测)"


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

    probes_per_day: int = Field(default=24, ge=1, le=1440)  # availability probes per site, evenly spread
    # each day's crawls, IPv6 probes and account checks run in the evening, so the next morning's
    # report of that day sees them
    crawl_window: tuple[str, str] = ("20:00", "23:00")  # daily crawls start staggered over this window
    max_crawls: int = Field(default=2, ge=1, le=32)  # crawls at once
    ipv6_at: str = "19:00"
    media_at: str = "19:30"
    reports_at: str = "08:00"  # the day before; weekly on Mondays, monthly on the 1st, quarterly on 1 Jan/Apr/Jul/Oct
    misfire_grace: int = Field(default=3600, ge=1)  # seconds late a job may still start (after downtime, say)
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
        if not all(HH_MM.fullmatch(v) for v in value) or value[0] >= value[1]:
            raise ValueError(f"two times of day, HH:MM, the first earlier, got {list(value)!r}")
        return value


class Email(_Strict):
    """SMTP settings for sending each administrator the site's rectification list (the ``[email]`` table)."""

    host: str = Field(min_length=1)
    port: int = Field(default=25, gt=0, lt=65536)
    security: Literal["none", "starttls", "ssl"] = "none"
    user: str | None = None
    password_env: str | None = None  # the environment variable holding the password (never the file)
    sender: str
    cc: tuple[str, ...] = ()  # e.g. the supervisor's own address
    send_unchanged: bool = False  # also send when nothing changed since the last email
    timeout: float = Field(default=30.0, gt=0)

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
    port: int = Field(default=8765, gt=0, lt=65536)
    token_env: str = "GOVMON_INTAKE_TOKEN"  # the environment variable holding the one token allowed to post
    max_body: int = Field(default=65536, gt=0)  # bytes per request


PLATFORMS = ("微信公众号", "微博", "抖音", "今日头条", "快手", "客户端", "other")


class Account(_Strict):
    """A government new-media account (政务新媒体账号), watched through its mirrors (RSSHub feeds, HTML lists)."""

    id: str
    platform: Literal["微信公众号", "微博", "抖音", "今日头条", "快手", "客户端", "other"]
    name: str = Field(min_length=1)
    sponsor: str = Field(min_length=1)
    site: str  # the owning site's id
    mirrors: tuple[str, ...] = Field(min_length=1)
    interaction: bool | None = None  # None: not known; False: no effective interaction function (MEDIA-3)

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


def _field(loc: tuple) -> str:
    return ".".join(str(part) for part in loc if not isinstance(part, int) or part)


def load_registry(path: str | Path) -> Registry:
    """Read and validate a registry file; raise :class:`RegistryError` on any problem."""
    path = Path(path)
    raw = read_toml(path, RegistryError)

    unknown = set(raw) - {"settings", "defaults", "site", "account", "schedule", "email", "intake"}
    if unknown:
        raise RegistryError(f"{path}: unknown top-level table(s): {', '.join(sorted(unknown))}")
    try:
        settings = Settings(**raw.get("settings", {}))
    except ValidationError as exc:
        raise RegistryError(_describe(path, "[settings]", exc)) from None
    try:
        schedule = Schedule(**raw.get("schedule", {}))
    except ValidationError as exc:
        raise RegistryError(_describe(path, "[schedule]", exc)) from None
    try:
        email = Email(**raw["email"]) if "email" in raw else None
    except ValidationError as exc:
        raise RegistryError(_describe(path, "[email]", exc)) from None
    try:
        intake = Intake(**raw.get("intake", {}))
    except ValidationError as exc:
        raise RegistryError(_describe(path, "[intake]", exc)) from None
    defaults = raw.get("defaults", {})
    if set(defaults) - {"crawl"}:
        raise RegistryError(f"{path}: [defaults] may only hold 'crawl'")
    crawl_defaults = defaults.get("crawl", {})

    entries = raw.get("site", [])
    if not isinstance(entries, list) or not entries:
        raise RegistryError(f"{path}: no [[site]] entries")
    problems: list[str] = []
    sites: list[Site] = []
    for number, entry in enumerate(entries, start=1):
        label = f"site {entry.get('id')!r}" if isinstance(entry.get("id"), str) else f"site #{number}"
        merged = dict(entry)
        merged["crawl"] = {**crawl_defaults, **entry.get("crawl", {})}
        try:
            sites.append(Site(**merged))
        except ValidationError as exc:
            problems.append(_describe(path, label, exc))
    seen: dict[str, int] = {}
    for site in sites:
        seen[site.id] = seen.get(site.id, 0) + 1
    problems += [f"{path}: site {sid!r}: field id: used by {n} sites" for sid, n in seen.items() if n > 1]
    accounts = _accounts(path, raw.get("account", []), {site.id for site in sites}, problems)
    if problems:
        raise RegistryError("\n".join(problems))
    return Registry(path=path, settings=settings, sites=tuple(sites), accounts=accounts, schedule=schedule,
                    email=email, intake=intake)


def _accounts(path: Path, entries: object, site_ids: set[str], problems: list[str]) -> tuple[Account, ...]:
    if not isinstance(entries, list):
        problems.append(f"{path}: [[account]] must be an array of tables")
        return ()
    accounts: list[Account] = []
    for number, entry in enumerate(entries, start=1):
        label = f"account {entry.get('id')!r}" if isinstance(entry.get("id"), str) else f"account #{number}"
        try:
            account = Account(**entry)
        except ValidationError as exc:
            problems.append(_describe(path, label, exc))
            continue
        if account.site not in site_ids:
            problems.append(f"{path}: {label}: field site: no site with id {account.site!r}")
        accounts.append(account)
    ids = [a.id for a in accounts]
    problems += [f"{path}: account {i!r}: field id: used by {ids.count(i)} accounts" for i in sorted(set(ids))
                 if ids.count(i) > 1]
    return tuple(accounts)


def _describe(path: Path, label: str, exc: ValidationError) -> str:
    lines = []
    for error in exc.errors():
        field = _field(error["loc"]) or "(entry)"
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "missing":
            message = "required field is missing"
        elif error["type"] == "extra_forbidden":
            message = "unknown field"
        lines.append(f"{path}: {label}: field {field}: {message}")
    return "\n".join(lines)
