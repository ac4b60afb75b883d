"""我为政府网站找错 reports (网民留言): read the national platform's exports and keep one row per report.

Supervisors receive the platform's reports as CSV, XLSX or JSON files with Chinese headers, and
clients may post them one by one to the HTTP intake (`govmon.intake.api`). Both go through
:class:`ReportSubmission` (validated) → :class:`ReportIn` (its site resolved in the registry) →
:func:`save_reports`, which keys reports by the platform's number, so importing a file again adds no
duplicates and a later export that brings the answer updates the report. Columns, date formats and
what makes a row bad: docs/citizen-reports.md.
"""

from __future__ import annotations

import codecs
import csv
import json
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from xml.etree.ElementTree import ParseError

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from govmon.config import CHINA_TZ, with_zone
from govmon.origins import on_site, origin_text, site_origins
from govmon.registry import Registry, Site
from govmon.store import CitizenReport, Store, utcnow

CATEGORIES = ("内容无法访问", "信息不更新", "内容不准确", "咨询留言不回复", "错别字", "虚假伪造内容", "其他")

# field → the headers that name it, preferred first: the platform's Chinese headers, then the English key
COLUMNS: dict[str, tuple[str, ...]] = {
    "number": ("留言编号", "编号", "问题编号", "number"),
    "site_code": ("网站标识码", "site_code"),
    "site_name": ("网站名称", "site_name"),
    "url": ("问题网址", "问题页面", "页面地址", "网址", "url"),
    "category": ("问题类型", "问题类别", "问题分类", "category"),
    "description": ("问题描述", "留言内容", "description"),
    "submitted_at": ("留言时间", "提交时间", "submitted_at"),
    "answered_at": ("答复时间", "回复时间", "answered_at"),
    "closed_at": ("办结时间", "closed_at"),
    "answer": ("答复内容", "回复内容", "answer"),
}
REQUIRED = ("number", "url", "category", "description", "submitted_at")
TIMES = ("submitted_at", "answered_at", "closed_at")
_HEADER_FIELD = {header.lower(): name for name, headers in COLUMNS.items() for header in headers}

_CHINESE_TIME = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:\s*(\d{1,2})\s*[:：时]\s*(\d{1,2})\s*(?:[:：分]\s*(\d{1,2})\s*秒?)?\s*分?)?")
TIME_EXAMPLES = "2026-10-08 09:30, 2026/10/8 9:30, 2026年10月8日 09:30 or 2026-10-08"
YEARS = (2000, 2099)  # the years (UTC) a report's times may name: 9999 is a typo, and its deadlines would overflow


class ReportFileError(ValueError, LookupError):
    """A file that cannot be imported at all; the message names the file. A LookupError too, so the CLI exits 2."""


class UnknownSite(ValueError):
    """A report naming no site of the registry; ``field`` is the key that named it (site_code, site_name or url)."""

    kind = "unknown_site"

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


class OffSite(UnknownSite):
    """A report whose page is not on its site's origins: govmon would fetch it on the citizen's word, so it never
    is (a report's URL may name any server, loopback services included)."""

    kind = "off_site"

    def __init__(self, site: Site, url: str):
        allowed = "、".join(sorted(origin_text(origin) for origin in site_origins(site)))
        super().__init__("url", f"问题网址不属于该网站：{url!r} 不在“{site.name}”的网址范围（{allowed}）内")


class TimeOutOfRange(ValueError):
    """A time read as one but outside YEARS."""


def parse_time(value: object) -> datetime:
    """A report time as the platform or a spreadsheet gives it, timezone-aware: a time without a zone is China time.
    Raises ValueError, :class:`TimeOutOfRange` for a time outside YEARS."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time(0))
    elif isinstance(value, str):
        moment = _time_from_text(value.strip())
    else:
        raise ValueError(f"unreadable date {value!r} (e.g. {TIME_EXAMPLES})")
    moment = moment if moment.tzinfo else moment.replace(tzinfo=CHINA_TZ)
    try:
        year = moment.astimezone(UTC).year
    except OverflowError:  # 9999-12-31 23:30-05:00 is in the year 10000
        year = None
    if year is None or not YEARS[0] <= year <= YEARS[1]:
        shown = value if isinstance(value, str) else moment.isoformat()
        raise TimeOutOfRange(f"date out of range {shown!r} (years {YEARS[0]} to {YEARS[1]})")
    return moment


def _time_from_text(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    match = _CHINESE_TIME.fullmatch(text)
    try:
        if match:
            return datetime(*(int(part) for part in match.groups() if part is not None))
    except ValueError:
        pass  # 2026-13-45: a date's shape, not a date
    raise ValueError(f"unreadable date {text!r} (e.g. {TIME_EXAMPLES})")


class _Report(BaseModel):
    """What every report carries, however its site is named."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, coerce_numbers_to_str=True)

    number: str = Field(min_length=1, max_length=64, description="留言编号: the platform's number, unique")
    url: str = Field(description="问题网址: the page reported, http or https")
    category: str = Field(json_schema_extra={"enum": list(CATEGORIES)}, description="问题类型")
    description: str = Field(min_length=1, description="问题描述")
    submitted_at: datetime = Field(description="留言时间; without a zone: China time")
    answered_at: datetime | None = Field(default=None, description="答复时间; without a zone: China time")
    closed_at: datetime | None = Field(default=None, description="办结时间; without a zone: China time")
    answer: str | None = Field(default=None, description="答复内容")

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not _host(value) or urlsplit(value).scheme not in ("http", "https"):
            raise PydanticCustomError("url_scheme", f"not an http(s) URL: {value!r}")
        return value

    @field_validator("category")
    @classmethod
    def _category(cls, value: str) -> str:
        if value not in CATEGORIES:
            raise PydanticCustomError("category", f"unknown category {value!r} (one of {', '.join(CATEGORIES)})")
        return value

    @field_validator(*TIMES, mode="before")
    @classmethod
    def _time(cls, value: object) -> datetime | None:
        try:
            return None if value is None else parse_time(value)
        except TimeOutOfRange as exc:
            raise PydanticCustomError("date_range", str(exc)) from None
        except ValueError as exc:
            raise PydanticCustomError("date_format", str(exc)) from None

    @field_validator("answered_at", "closed_at")
    @classmethod
    def _in_order(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        """Answered and closed after submitted, closed after answered: times out of order are a typo in the export."""
        if value is None:
            return value
        earlier = {"submitted": info.data.get("submitted_at")}
        if info.field_name == "closed_at":
            earlier["answered"] = info.data.get("answered_at")
        for event, moment in earlier.items():
            if moment is not None and value < moment:
                raise PydanticCustomError("time_order", f"earlier than the report was {event} ({_china(moment)})")
        return value

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value: object) -> object:
        """A NUL character is nothing a person typed, and PostgreSQL cannot store one."""
        if isinstance(value, str) and "\x00" in value:
            raise PydanticCustomError("nul_character", "contains a NUL character (\\x00)")
        return value


class ReportSubmission(_Report):
    """One report as a file row or a client gives it: the site named by 网站标识码 or 网站名称, else the URL's host."""

    site_code: str | None = Field(default=None, description="网站标识码 of the site in the registry")
    site_name: str | None = Field(default=None, description="网站名称, if no site_code is given")

    def resolve(self, registry: Registry) -> ReportIn:
        """This report with its site found in the registry; raises :class:`UnknownSite` (:class:`OffSite` when the
        URL is not on that site's origins)."""
        site = resolve_site(registry, self.site_code, self.site_name, self.url)
        check_on_site(site, self.url)
        return ReportIn(site_id=site.id, **self.model_dump(exclude={"site_code", "site_name"}))


class ReportIn(_Report):
    """One report ready to store: its site resolved to the registry's id."""

    site_id: str = Field(min_length=1)


def resolve_site(registry: Registry, site_code: str | None, site_name: str | None, url: str | None) -> Site:
    """The site a report names: by its code when one is given, else by its name, else by the reported URL's host."""
    if site_code:
        for site in registry.sites:
            if site.site_code == site_code:
                return site
        raise UnknownSite("site_code", f"no site in the registry has the code {site_code!r}")
    if site_name:
        for site in registry.sites:
            if site.name == site_name:
                return site
    host = _host(url or "")
    for site in registry.sites:
        if host in site.hosts:
            return site
    if site_name:
        raise UnknownSite("site_name", f"no site in the registry is named {site_name!r}, "
                                       f"nor has the reported page's host {host!r}")
    raise UnknownSite("url", f"the host {host!r} belongs to no site in the registry "
                             "(give the site's 网站标识码 or 网站名称)")


def check_on_site(site: Site, url: str) -> None:
    """Raises :class:`OffSite` unless url is on the site's origins."""
    if not on_site(site, url):
        raise OffSite(site, url)


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:  # http://[broken: no host to speak of
        return ""


@dataclass(frozen=True)
class RowProblem:
    row: int  # as the user sees it: the spreadsheet's row (header = 1), or the JSON item's position from 1
    reason: str  # names the column as the file spells it


@dataclass(frozen=True)
class ReasonCount:
    """How many bad rows share one kind of problem, and the first of them."""

    reason: str  # the column as the file spells it and the kind of problem: "问题类型: unknown category"
    rows: int
    first_rows: tuple[int, ...]


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    unchanged: int
    problems: list[RowProblem] = field(default_factory=list)  # the first LISTED_PROBLEMS bad rows, in file order
    bad_rows: int = 0  # all of them
    by_reason: list[ReasonCount] = field(default_factory=list)  # the most frequent first


BATCH_ROWS = 1000  # rows checked and stored at a time: a file of any length takes the memory of one batch
LISTED_PROBLEMS = 100  # bad rows listed one by one; all of them are counted by reason
FIRST_ROWS = 5  # row numbers given with each reason's count
# the kind of a problem as the counts by reason name it, by its error type (others by the type itself)
_KINDS = {"missing": "missing", "category": "unknown category", "date_format": "unreadable date",
          "date_range": "date out of range", "time_order": "times out of order", "url_scheme": "not an http(s) URL",
          "nul_character": "NUL character", "unknown_site": "unknown site", "off_site": "问题网址不属于该网站",
          "repeat": "repeats an earlier row", "not_object": "not a JSON object", "too_deep": "JSON nested too deeply",
          "unreadable": "not readable as CSV"}


@dataclass(frozen=True)
class _RowError:
    """A row its file gives no values for: a JSON item that is no object or is nested too deeply, broken CSV."""

    kind: str
    reason: str


@dataclass
class _Table:
    """A file's rows keyed by field, read as they are consumed, with each field's header as the file spells it."""

    labels: dict[str, str]
    rows: Iterator[tuple[int, dict[str, Any] | _RowError]]


class _BadRows:
    """The bad rows of one import: the first LISTED_PROBLEMS in full, every one counted by the kinds of its problems,
    so a file of a million bad rows is summed up, not printed."""

    def __init__(self) -> None:
        self.listed: list[RowProblem] = []
        self.total = 0
        self.counts: Counter[str] = Counter()
        self.first: dict[str, list[int]] = {}

    def add(self, row: int, problems: list[tuple[str, str]]) -> None:
        """One bad row with its problems, each (kind as counted, reason as listed)."""
        self.total += 1
        if len(self.listed) < LISTED_PROBLEMS:
            self.listed.append(RowProblem(row, "; ".join(reason for _, reason in problems)))
        for kind in dict.fromkeys(kind for kind, _ in problems):
            self.counts[kind] += 1
            first = self.first.setdefault(kind, [])
            if len(first) < FIRST_ROWS:
                first.append(row)

    def by_reason(self) -> list[ReasonCount]:
        return [ReasonCount(kind, count, tuple(self.first[kind])) for kind, count in self.counts.most_common()]


def import_reports(store: Store, registry: Registry, path: Path, *, moment: datetime | None = None) -> ImportResult:
    """Import a platform export (.csv, .xlsx or .json): every good row is stored, every bad one counted by reason
    and the first ones listed with their row number and reason; raises :class:`ReportFileError` when the file
    cannot be read at all. Rows are read, checked and stored BATCH_ROWS at a time, so memory stays that of a batch
    (and of the numbers seen, which find a repeated one), however long the file."""
    path = Path(path)
    moment = moment or utcnow()
    counts = [0, 0, 0]
    bad = _BadRows()
    first_row: dict[str, int] = {}
    batch: list[ReportIn] = []
    with _open_table(path) as table:
        for row, values in table.rows:
            if isinstance(values, _RowError):
                bad.add(row, [(_KINDS[values.kind], values.reason)])
                continue
            report, errors = _row_report(values, registry)
            number = values.get("number")
            if isinstance(number, str):
                if number in first_row:
                    errors["number"] = ("repeat", f"{number!r} repeats row {first_row[number]}")
                first_row.setdefault(number, row)
            if errors:
                labelled = [(table.labels.get(name, name), kind, message) for name, (kind, message) in errors.items()]
                bad.add(row, [(f"{label}: {_KINDS.get(kind, kind)}", f"{label}: {message}")
                              for label, kind, message in labelled])
                continue
            batch.append(report)
            if len(batch) == BATCH_ROWS:
                counts = [a + b for a, b in zip(counts, save_reports(store, batch, path.name, moment))]
                batch = []
    counts = [a + b for a, b in zip(counts, save_reports(store, batch, path.name, moment))]
    return ImportResult(*counts, bad.listed, bad.total, bad.by_reason())


def _row_report(values: dict[str, Any], registry: Registry) -> tuple[ReportIn | None, dict[str, tuple[str, str]]]:
    """The row's report, or what is wrong with it by field as (error type, message): every field's problem at
    once, the site's too."""
    errors: dict[str, tuple[str, str]] = {}
    submission = site = None
    try:
        submission = ReportSubmission.model_validate(values)
    except ValidationError as exc:
        for error in exc.errors():
            errors.setdefault(str(error["loc"][0]), (error["type"], _message(error)))
    try:
        site = resolve_site(registry, *(_text_or_none(values.get(key)) for key in ("site_code", "site_name", "url")))
        if submission is not None:
            check_on_site(site, submission.url)
    except UnknownSite as exc:
        errors.setdefault(exc.field, (exc.kind, str(exc)))
    if errors or submission is None or site is None:
        return None, errors
    return submission.resolve(registry), errors


def _message(error: dict) -> str:
    return "missing" if error["type"] == "missing" else error["msg"]


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


def save_reports(store: Store, reports: list[ReportIn], source: str,
                 moment: datetime | None = None) -> tuple[int, int, int]:
    """Store reports by number: (added, updated, unchanged). A report already stored is updated when it differs, except
    that a time or answer it lacks never erases one stored (an older export read after a newer one)."""
    if not reports:
        return 0, 0, 0
    moment = moment or utcnow()
    try:
        return _save(store, reports, source, moment)
    except IntegrityError:  # another writer added one of these numbers meanwhile: now they are updates
        return _save(store, reports, source, moment)


def _save(store: Store, reports: list[ReportIn], source: str, moment: datetime) -> tuple[int, int, int]:
    added = updated = unchanged = 0
    numbers = [report.number for report in reports]
    with store.session.begin() as session:
        stored: dict[str, CitizenReport] = {}
        for start in range(0, len(numbers), 500):
            chunk = numbers[start:start + 500]
            stored.update((row.number, row) for row in
                          session.scalars(select(CitizenReport).where(CitizenReport.number.in_(chunk))))
        for report in reports:
            values = _columns(report)
            row = stored.get(report.number)
            if row is None:
                row = stored[report.number] = CitizenReport(**values, source=source, imported_at=moment,
                                                            updated_at=moment)
                session.add(row)
                added += 1
                continue
            changes = {name: value for name, value in values.items()
                       if value is not None and _comparable(getattr(row, name)) != value}
            if not changes:
                unchanged += 1
                continue
            for name, value in changes.items():
                setattr(row, name, value)
            row.source = source
            row.updated_at = moment
            updated += 1
    return added, updated, unchanged


def _columns(report: ReportIn) -> dict[str, Any]:
    values = report.model_dump()
    for name in TIMES:
        if values[name] is not None:
            values[name] = values[name].astimezone(UTC)
    return values


def _comparable(value: object) -> object:
    """A stored value as a report's: SQLite gives times back without their zone, and the store keeps UTC."""
    return with_zone(value) if isinstance(value, datetime) else value


def _china(moment: datetime) -> str:
    return moment.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")


@contextmanager
def _open_table(path: Path) -> Iterator[_Table]:
    """A platform export's rows by field, read as they are consumed; raises :class:`ReportFileError` naming the
    file when it cannot be read."""
    suffix = path.suffix.lower()
    if suffix == ".json":
        yield _json_table(path)
        return
    if suffix == ".csv":
        opened = _csv_rows(path)
    elif suffix == ".xlsx":
        opened = _xlsx_rows(path)
    else:
        raise ReportFileError(f"{path}: cannot import a {suffix or 'extension-less'} file (.csv, .xlsx or .json)")
    with opened as (header, rows):
        columns = _fields(header)
        _require(path, columns)
        yield _Table({name: str(header[index]).strip() for name, index in columns.items()}, _by_field(columns, rows))


def _by_field(columns: dict[str, int], rows: Iterator[tuple[int, Any]]) -> Iterator[tuple[int, Any]]:
    for row_number, cells in rows:
        if isinstance(cells, _RowError):
            yield row_number, cells
            continue
        values = _present({name: _cell(name, cells[index] if index < len(cells) else None)
                           for name, index in columns.items()})
        if values:  # an empty row between or after the data
            yield row_number, values


def _fields(headers: list[object]) -> dict[str, int]:
    """Each field's header by position: the mapping's preferred one where several name it; other columns (留言人,
    处理状态 …) ignored."""
    chosen: dict[str, int] = {}
    for index, header in enumerate(headers):
        name = _HEADER_FIELD.get(_normalize_header(header))
        if name is not None and (name not in chosen or
                                 _preference(header, name) < _preference(headers[chosen[name]], name)):
            chosen[name] = index
    return chosen


def _normalize_header(header: object) -> str:
    """A header as the mapping spells it: spaces (full-width too) and a trailing colon dropped, English lowercased."""
    return re.sub(r"\s+", "", str(header or "")).rstrip(":：").lower()


def _preference(header: object, name: str) -> int:
    return [alias.lower() for alias in COLUMNS[name]].index(_normalize_header(header))


def _present(values: dict[str, Any]) -> dict[str, Any]:
    """Only the values given: an empty cell is a missing value, as an absent JSON key is."""
    return {name: value for name, value in values.items() if value is not None}


def _require(path: Path, present: dict[str, Any]) -> None:
    missing = [name for name in REQUIRED if name not in present]
    if missing:
        described = "; ".join(f"{COLUMNS[name][0]} (or {', '.join(COLUMNS[name][1:])})" for name in missing)
        raise ReportFileError(f"{path}: missing column(s): {described}")


def _cell(name: str, value: object) -> object:
    """A cell as the report's models read it: text trimmed (empty is absent), numbers as text, times as they are."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool) or name in TIMES:
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a spreadsheet's number cell: 留言编号 20261008001, not 20261008001.0
    if isinstance(value, (int, float)):
        return str(value)
    return value


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ReportFileError(f"{path}: cannot read it: {exc.strerror or exc}") from None


_READ_CHUNK = 1 << 20


def _csv_encoding(path: Path) -> str:
    """UTF-8 (a BOM skipped) if the whole file decodes so, else GB18030 (what Excel on a Chinese Windows writes;
    GBK is a subset), read a chunk at a time."""
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as file:
                while chunk := file.read(_READ_CHUNK):
                    decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
        except OSError as exc:
            raise ReportFileError(f"{path}: cannot read it: {exc.strerror or exc}") from None
    raise ReportFileError(f"{path}: neither UTF-8 nor GB18030/GBK text")


@contextmanager
def _csv_rows(path: Path) -> Iterator[tuple[list[str], Iterator[tuple[int, list[str] | _RowError]]]]:
    """(the header, the rows numbered as records from 2), read from the open file as they are consumed."""
    encoding = _csv_encoding(path)
    try:
        file = path.open(encoding=encoding, newline="")
    except OSError as exc:
        raise ReportFileError(f"{path}: cannot read it: {exc.strerror or exc}") from None
    with file:
        reader = csv.reader(file)
        try:
            header = next(reader, None)
        except csv.Error as exc:
            raise ReportFileError(f"{path}: not readable as CSV: {exc}") from None
        if header is None:
            raise ReportFileError(f"{path}: empty file, no header row")
        yield header, _csv_records(path, reader)


def _csv_records(path: Path, reader) -> Iterator[tuple[int, list[str] | _RowError]]:
    row = 1
    while True:
        row += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # a cell over csv's field size limit, say: the reader goes on with the next line
            yield row, _RowError("unreadable", f"not readable as CSV: {exc}")
            continue
        except OSError as exc:
            raise ReportFileError(f"{path}: cannot read it: {exc.strerror or exc}") from None
        yield row, cells


_XLSX_ERRORS = (zipfile.BadZipFile, InvalidFileException, KeyError, IndexError, OSError, ValueError, ParseError,
                OverflowError)


@contextmanager
def _xlsx_rows(path: Path) -> Iterator[tuple[list[object], Iterator[tuple[int, tuple]]]]:
    """(the first sheet's header, its rows numbered from 2), read from the workbook as they are consumed."""
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except _XLSX_ERRORS as exc:
        raise _unreadable_workbook(path, exc) from None
    try:
        try:
            rows = enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1)
            first = next(rows, None)
        except _XLSX_ERRORS as exc:
            raise _unreadable_workbook(path, exc) from None
        if first is None:
            raise ReportFileError(f"{path}: the first sheet is empty, no header row")
        yield list(first[1]), _xlsx_records(path, rows)
    finally:
        workbook.close()


def _xlsx_records(path: Path, rows: Iterator[tuple[int, tuple]]) -> Iterator[tuple[int, tuple]]:
    try:
        yield from rows
    except _XLSX_ERRORS as exc:  # the sheet's XML broken halfway: what came before it is imported
        raise _unreadable_workbook(path, exc) from None


def _unreadable_workbook(path: Path, exc: BaseException) -> ReportFileError:
    return ReportFileError(f"{path}: not a readable XLSX workbook: {exc or type(exc).__name__}")


def _json_table(path: Path) -> _Table:
    try:
        items = _json_items(_read_bytes(path).decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReportFileError(f"{path}: not valid JSON: {exc}") from None
    if items is None:
        raise ReportFileError(f'{path}: expected a list of reports, or {{"reports": [...]}}')
    labels: dict[str, str] = {}
    rows: list[tuple[int, dict[str, Any] | _RowError]] = []
    for number, item in enumerate(items, start=1):
        if item is _TOO_DEEP:
            rows.append((number, _RowError("too_deep", "JSON nested too deeply to read")))
        elif not isinstance(item, dict):
            rows.append((number, _RowError("not_object", f"not a JSON object: {_preview(item)}")))
        else:
            keys = list(item)
            columns = _fields(keys)
            for name, index in columns.items():
                labels.setdefault(name, keys[index].strip())
            rows.append((number, _present({name: _cell(name, item[keys[index]]) for name, index in columns.items()})))
    if any(isinstance(values, dict) for _, values in rows):
        _require(path, labels)
    return _Table(labels, iter(rows))


def _preview(item: object) -> str:
    try:
        return json.dumps(item, ensure_ascii=False)[:100]
    except RecursionError:
        return type(item).__name__


_DECODER = json.JSONDecoder()
_JSON_SPACE = re.compile(r"[ \t\n\r]*")
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')  # what nesting is made of: brackets, and strings to skip
_TOO_DEEP = object()  # an item nested beyond what the parser recurses into


def json_depth(text: str) -> int:
    """How deeply a JSON text nests its arrays and objects, counted without recursing."""
    depth = deepest = 0
    for token in _JSON_TOKEN.finditer(text):
        if token[0] in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif token[0] in "]}":
            depth -= 1
    return deepest


def _json_items(text: str) -> list | None:
    """The items of a JSON export, a list or {"reports": [...]}, one by one: an item nested too deeply to parse is
    _TOO_DEEP and the rest are read all the same. None for other JSON; raises JSONDecodeError for broken JSON."""
    start = _space(text, 0)
    if text.startswith("[", start):
        items, end = _json_array(text, start)
    elif text.startswith("{", start):
        items, end = _json_reports(text, start)
    else:
        _DECODER.decode(text)  # a number or a string: JSON, but no reports
        return None
    if _space(text, end) != len(text):
        raise json.JSONDecodeError("Extra data", text, end)
    return items


def _json_array(text: str, at: int) -> tuple[list, int]:
    """The items of the array at ``at`` and where it ends."""
    items: list = []
    at = _space(text, at + 1)
    if text.startswith("]", at):
        return items, at + 1
    while True:
        item, at = _json_value(text, at)
        items.append(item)
        at, ended = _after_member(text, at, "]")
        if ended:
            return items, at


def _json_reports(text: str, at: int) -> tuple[list | None, int]:
    """The items of the "reports" array of the object at ``at`` (None without one) and where the object ends."""
    reports = None
    at = _space(text, at + 1)
    if text.startswith("}", at):
        return None, at + 1
    while True:
        if not text.startswith('"', at):
            raise json.JSONDecodeError("Expecting property name enclosed in double quotes", text, at)
        key, at = _DECODER.raw_decode(text, at)
        at = _space(text, at)
        if not text.startswith(":", at):
            raise json.JSONDecodeError("Expecting ':' delimiter", text, at)
        at = _space(text, at + 1)
        if key == "reports" and text.startswith("[", at):
            reports, at = _json_array(text, at)
        else:
            _, at = _json_value(text, at)
        at, ended = _after_member(text, at, "}")
        if ended:
            return reports, at


def _json_value(text: str, at: int) -> tuple[object, int]:
    """The value at ``at`` and where it ends; _TOO_DEEP for one nested beyond what the parser recurses into."""
    try:
        return _DECODER.raw_decode(text, at)
    except RecursionError:
        return _TOO_DEEP, _value_end(text, at)


def _after_member(text: str, at: int, closer: str) -> tuple[int, bool]:
    """Past the "," that follows a member (False), or past ``closer`` when the container ends there (True)."""
    at = _space(text, at)
    if text.startswith(",", at):
        return _space(text, at + 1), False
    if text.startswith(closer, at):
        return at + 1, True
    raise json.JSONDecodeError("Expecting ',' delimiter", text, at)


def _value_end(text: str, at: int) -> int:
    """Where the array or object at ``at`` ends, found without recursing: its brackets counted, strings skipped."""
    depth = 0
    for token in _JSON_TOKEN.finditer(text, at):
        if token[0] in "[{":
            depth += 1
        elif token[0] in "]}":
            depth -= 1
            if depth == 0:
                return token.end()
    raise json.JSONDecodeError("Unterminated array or object", text, at)


def _space(text: str, at: int) -> int:
    return _JSON_SPACE.match(text, at).end()
