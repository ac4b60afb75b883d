"""The rectification list document: its schema, its validation and its JSON form.

The document is a plain dict built by the core; every writer validates it first so a
malformed document fails with the name of the missing key instead of a half-written file.
The schema is documented field by field in docs/report-json.md.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

SCHEMA = "govmon.rectification-list/2"

CLASSES = ("veto", "deduct", "advice")
STATES = ("new", "open", "reopened")
RUN_STATUSES = ("complete", "partial", "failed")
THRESHOLD_STATUSES = ("confirmed", "seed", "default", "partial")

# Required keys per object; a key must be present, its value may be null where the
# schema says so (docs/report-json.md).
_DOCUMENT_KEYS = ("schema", "generated_at", "as_of", "since", "site", "run", "pack", "summary", "findings", "fixed")
_SITE_KEYS = ("id", "name", "site_code", "home_url", "sponsor", "admin")
_RUN_KEYS = ("id", "started_at", "finished_at", "status", "reason", "pages", "links", "errors")
_PACK_KEYS = ("id", "name")
_SUMMARY_KEYS = ("total", "by_class", "by_rule", "states")
_STATE_COUNT_KEYS = (*STATES, "overdue", "fixed")
_BY_RULE_KEYS = ("rule", "title", "class", "count")
_FINDING_KEYS = (
    "id", "rule", "class", "title", "description", "target", "where", "where_total",
    "evidence", "source", "threshold_status", "fix", "first_seen", "last_seen",
    "state", "reported", "deadline", "deadline_note", "overdue",
)
_FIXED_KEYS = ("rule", "class", "title", "target", "first_seen", "reported", "fixed_at", "deadline", "on_time")
_WHERE_KEYS = ("page", "tag", "attr", "text")
_EVIDENCE_KEYS = ("reason", "status", "detail")


def validate(doc: dict) -> None:
    """Raise ValueError naming the first missing key or bad value of a rectification list."""
    _require(doc, _DOCUMENT_KEYS, "")
    if doc["schema"] != SCHEMA:
        raise ValueError(f"rectification list: schema is {doc['schema']!r}, expected {SCHEMA!r}")
    try:
        date.fromisoformat(doc["as_of"])
    except (TypeError, ValueError):
        raise ValueError(f"rectification list: as_of {doc['as_of']!r} is not an ISO date") from None
    if doc["since"] is not None:
        try:
            datetime.fromisoformat(doc["since"])
        except (TypeError, ValueError):
            raise ValueError(f"rectification list: since {doc['since']!r} is not an ISO time") from None
    _require(doc["site"], _SITE_KEYS, "site.")
    if doc["site"]["admin"] is not None:
        _require(doc["site"]["admin"], ("name", "email"), "site.admin.")
    _require(doc["run"], _RUN_KEYS, "run.")
    _one_of(doc["run"]["status"], RUN_STATUSES, "run.status")
    _require(doc["pack"], _PACK_KEYS, "pack.")
    _require(doc["summary"], _SUMMARY_KEYS, "summary.")
    _require(doc["summary"]["by_class"], CLASSES, "summary.by_class.")
    _require(doc["summary"]["states"], _STATE_COUNT_KEYS, "summary.states.")
    for n, row in enumerate(_list(doc["summary"]["by_rule"], "summary.by_rule")):
        _require(row, _BY_RULE_KEYS, f"summary.by_rule[{n}].")
        _one_of(row["class"], CLASSES, f"summary.by_rule[{n}].class")
    for n, finding in enumerate(_list(doc["findings"], "findings")):
        prefix = f"findings[{n}]."
        _require(finding, _FINDING_KEYS, prefix)
        _one_of(finding["class"], CLASSES, prefix + "class")
        _one_of(finding["threshold_status"], THRESHOLD_STATUSES, prefix + "threshold_status")
        for m, place in enumerate(_list(finding["where"], prefix + "where")):
            _require(place, _WHERE_KEYS, f"{prefix}where[{m}].")
        _require(finding["evidence"], _EVIDENCE_KEYS, prefix + "evidence.")
        _one_of(finding["state"], STATES, prefix + "state")
        _date_or_null(finding["deadline"], prefix + "deadline")
        _boolean(finding["overdue"], prefix + "overdue")
        _boolean(finding.get("rechecked", True), prefix + "rechecked")  # added in list/2: older lists lack it
    for n, fixed in enumerate(_list(doc["fixed"], "fixed")):
        prefix = f"fixed[{n}]."
        _require(fixed, _FIXED_KEYS, prefix)
        _one_of(fixed["class"], CLASSES, prefix + "class")
        _date_or_null(fixed["deadline"], prefix + "deadline")
        if fixed["on_time"] is not None:
            _boolean(fixed["on_time"], prefix + "on_time")


def write_json(doc: dict, path: Path) -> Path:
    """Write the document unchanged as indented UTF-8 JSON (Chinese kept readable)."""
    validate(doc)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def _require(obj: object, keys: tuple[str, ...], prefix: str) -> None:
    if not isinstance(obj, dict):
        raise ValueError(f"rectification list: {prefix.rstrip('.') or 'document'} must be an object")
    for key in keys:
        if key not in obj:
            raise ValueError(f"rectification list: missing key {prefix + key!r}")


def _one_of(value: object, allowed: tuple[str, ...], name: str) -> None:
    if value not in allowed:
        raise ValueError(f"rectification list: {name} is {value!r}, expected one of {', '.join(allowed)}")


def _boolean(value: object, name: str) -> None:
    if not isinstance(value, bool):
        raise ValueError(f"rectification list: {name} is {value!r}, expected true or false")


def _date_or_null(value: object, name: str) -> None:
    if value is None:
        return
    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError(f"rectification list: {name} is {value!r}, expected an ISO date or null") from None


def _list(value: object, name: str) -> list:
    if not isinstance(value, list):
        raise ValueError(f"rectification list: {name} must be a list")
    return value
