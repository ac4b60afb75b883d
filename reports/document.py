"""The documents govmon writes as JSON, checked against their models before anyone reads them.

A document is a plain dict built by its writer (the key order is the file's order); every writer checks it
against its pydantic model in reports.models first, so a malformed document fails with the name of the missing
or wrong key instead of a half-written file. The rectification list is documented field by field in
docs/report-json.md, its JSON Schema is docs/schemas/rectification-list.schema.json.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import get_args

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from govmon.reports.models import DOCUMENTS, RuleClass

SCHEMA = "govmon.rectification-list/2"

CLASSES: tuple[str, ...] = get_args(RuleClass)

# What an error message calls each document of reports.models.DOCUMENTS.
_NAMES = {
    "rectification-list": "rectification list",
    "supervisor-report": "supervisor report",
    "period-reports": "period reports index",
    "probe-availability": "availability probe output",
    "probe-ipv6": "IPv6 probe output",
}


def validate(doc: dict) -> None:
    """Raise ValueError naming the first missing key or bad value of a rectification list."""
    _check(_json(doc, "rectification-list", indent=None), "rectification-list")


def document_json(doc: dict, kind: str) -> str:
    """The document of ``kind`` (a name in reports.models.DOCUMENTS) as indented UTF-8 JSON text (Chinese kept
    readable) ending in a newline, once it matches its model; ValueError naming the first wrong key otherwise."""
    text = _json(doc, kind, indent=2)
    _check(text, kind)
    return text + "\n"


def write_json(doc: dict, path: Path) -> Path:
    """Write the rectification list unchanged as indented UTF-8 JSON (Chinese kept readable)."""
    text = document_json(doc, "rectification-list")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _json(doc: object, kind: str, indent: int | None) -> str:
    try:
        return json.dumps(doc, ensure_ascii=False, indent=indent)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{_NAMES[kind]}: not a JSON document: {exc}") from None


def _check(text: str, kind: str) -> None:
    """Check a document as the JSON text it is written as: tuples are lists by then, values are JSON types."""
    try:
        DOCUMENTS[kind].model_validate_json(text)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise ValueError(f"{_NAMES[kind]}: {_problem(errors[0])}{more}") from None


def _problem(error: ErrorDetails) -> str:
    name = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error["loc"]).lstrip(".") or "document"
    kind, value = error["type"], error["input"]
    if kind == "missing":
        return f"missing key {name!r}"
    if kind == "extra_forbidden":
        return f"unexpected key {name!r}"
    if kind in ("model_type", "dict_type"):
        return f"{name} must be an object"
    if kind == "list_type":
        return f"{name} must be a list"
    if kind == "literal_error":
        return f"{name} is {value!r}, expected {error.get('ctx', {}).get('expected')}"
    return f"{name} is {value!r}: {error['msg']}"
