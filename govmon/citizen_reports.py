"""我为政府网站找错 reports (网民留言): read the national platform's exports and keep one row per report.

Supervisors receive the platform's reports as CSV, XLSX or JSON files with Chinese headers, and
clients may post them one by one to the HTTP intake (`govmon.intake_api`). Both go through
:class:`ReportSubmission` (validated) → :class:`ReportIn` (its site resolved in the registry) →
:func:`save_reports`, which keys reports by the platform's number, so importing a file again adds no
duplicates and a later export that brings the answer updates the report. Columns, date formats and
what makes a row bad: docs/citizen-reports.md.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
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


class ReportFileError(ValueError, LookupError):
    """A file that cannot be imported at all; the message names the file. A LookupError too, so the CLI exits 2."""


class UnknownSite(ValueError):
    """A report naming no site of the registry; ``field`` is the key that named it (site_code, site_name or url)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def parse_time(value: object) -> datetime:
    """A report time as the platform or a spreadsheet gives it, timezone-aware: a time without a zone is China time."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time(0))
    elif isinstance(value, str):
        moment = _time_from_text(value.strip())
    else:
        raise ValueError(f"unreadable date {value!r} (e.g. {TIME_EXAMPLES})")
    return moment if moment.tzinfo else moment.replace(tzinfo=CHINA_TZ)


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


class ReportSubmission(_Report):
    """One report as a file row or a client gives it: the site named by 网站标识码 or 网站名称, else the URL's host."""

    site_code: str | None = Field(default=None, description="网站标识码 of the site in the registry")
    site_name: str | None = Field(default=None, description="网站名称, if no site_code is given")

    def resolve(self, registry: Registry) -> ReportIn:
        """This report with its site found in the registry; raises :class:`UnknownSite`."""
        site = resolve_site(registry, self.site_code, self.site_name, self.url)
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
class ImportResult:
    added: int
    updated: int
    unchanged: int
    problems: list[RowProblem] = field(default_factory=list)


@dataclass
class _Table:
    """A file's rows keyed by field, with each field's header as the file spells it (for the reasons)."""

    labels: dict[str, str]
    rows: list[tuple[int, dict[str, Any]]]
    problems: list[RowProblem]


def import_reports(store: Store, registry: Registry, path: Path, *, moment: datetime | None = None) -> ImportResult:
    """Import a platform export (.csv, .xlsx or .json): every good row is stored, every bad one reported with its
    row number and reason; raises :class:`ReportFileError` when the file cannot be read at all."""
    path = Path(path)
    table = _read_table(path)
    problems = list(table.problems)
    reports: list[ReportIn] = []
    first_row: dict[str, int] = {}
    for row, values in table.rows:
        report, errors = _row_report(values, registry)
        number = values.get("number")
        if isinstance(number, str):
            if number in first_row:
                errors["number"] = f"{number!r} repeats row {first_row[number]}"
            first_row.setdefault(number, row)
        if errors:
            reason = "; ".join(f"{table.labels.get(name, name)}: {message}" for name, message in errors.items())
            problems.append(RowProblem(row, reason))
        else:
            reports.append(report)
    added, updated, unchanged = save_reports(store, reports, path.name, moment)
    return ImportResult(added, updated, unchanged, sorted(problems, key=lambda problem: problem.row))


def _row_report(values: dict[str, Any], registry: Registry) -> tuple[ReportIn | None, dict[str, str]]:
    """The row's report, or what is wrong with it by field: every field's problem at once, the site's too."""
    errors: dict[str, str] = {}
    submission = site = None
    try:
        submission = ReportSubmission.model_validate(values)
    except ValidationError as exc:
        for error in exc.errors():
            errors.setdefault(str(error["loc"][0]), _message(error))
    try:
        site = resolve_site(registry, *(_text_or_none(values.get(key)) for key in ("site_code", "site_name", "url")))
    except UnknownSite as exc:
        errors.setdefault(exc.field, str(exc))
    if submission is None or site is None:
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
            values[name] = values[name].astimezone(timezone.utc)
    return values


def _comparable(value: object) -> object:
    """A stored value as a report's: SQLite gives times back without their zone, and the store keeps UTC."""
    return with_zone(value) if isinstance(value, datetime) else value


def _china(moment: datetime) -> str:
    return moment.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")


def _read_table(path: Path) -> _Table:
    """A platform export's rows by field; raises :class:`ReportFileError` naming the file when it cannot be read."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        header, rows = _csv_rows(path)
    elif suffix == ".xlsx":
        header, rows = _xlsx_rows(path)
    elif suffix == ".json":
        return _json_table(path)
    else:
        raise ReportFileError(f"{path}: cannot import a {suffix or 'extension-less'} file (.csv, .xlsx or .json)")
    columns = _fields(header)
    _require(path, columns)
    labels = {name: str(header[index]).strip() for name, index in columns.items()}
    table = []
    for row_number, cells in rows:
        values = _present({name: _cell(name, cells[index] if index < len(cells) else None)
                           for name, index in columns.items()})
        if values:  # an empty row between or after the data
            table.append((row_number, values))
    return _Table(labels, table, [])


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


def _csv_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    raw = _read_bytes(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")  # what Excel on a Chinese Windows writes (GBK is a subset)
        except UnicodeDecodeError:
            raise ReportFileError(f"{path}: neither UTF-8 nor GB18030/GBK text") from None
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise ReportFileError(f"{path}: not readable as CSV: {exc}") from None
    if not records:
        raise ReportFileError(f"{path}: empty file, no header row")
    return records[0], list(enumerate(records[1:], start=2))


def _xlsx_rows(path: Path) -> tuple[list[object], list[tuple[int, list[object]]]]:
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            rows = list(enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1))
        finally:
            workbook.close()
    except (zipfile.BadZipFile, InvalidFileException, KeyError, IndexError, OSError, ValueError, ParseError) as exc:
        raise ReportFileError(f"{path}: not a readable XLSX workbook: {exc or type(exc).__name__}") from None
    if not rows:
        raise ReportFileError(f"{path}: the first sheet is empty, no header row")
    return list(rows[0][1]), [(number, list(cells)) for number, cells in rows[1:]]


def _json_table(path: Path) -> _Table:
    try:
        data = json.loads(_read_bytes(path).decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReportFileError(f"{path}: not valid JSON: {exc}") from None
    if isinstance(data, dict) and isinstance(data.get("reports"), list):
        data = data["reports"]
    if not isinstance(data, list):
        raise ReportFileError(f'{path}: expected a list of reports, or {{"reports": [...]}}')
    labels: dict[str, str] = {}
    rows: list[tuple[int, dict[str, Any]]] = []
    problems: list[RowProblem] = []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            problems.append(RowProblem(number, f"not a JSON object: {json.dumps(item, ensure_ascii=False)[:100]}"))
            continue
        keys = list(item)
        columns = _fields(keys)
        for name, index in columns.items():
            labels.setdefault(name, keys[index].strip())
        rows.append((number, _present({name: _cell(name, item[keys[index]]) for name, index in columns.items()})))
    if rows:
        _require(path, labels)
    return _Table(labels, rows, problems)
