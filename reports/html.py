"""The rectification list as one self-contained HTML page (inline CSS, no external assets).

URLs and anchor text come from crawled pages, so the template is rendered with autoescape on.
"""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from govmon.reports.document import CLASSES, validate
from govmon.reports.labels import (
    CHINA_TIME_NOTE,
    CLASS_LABELS,
    FIXED_HEADING,
    MEDIA_VERDICT_LABELS,
    NO_FINDINGS,
    NO_FIXED,
    RUN_STATUS_LABELS,
    RUN_STATUS_WARNINGS,
    STATE_COUNT_LABELS,
    THRESHOLD_STATUS_LABELS,
    YES_NO,
    anchor_label,
    basis_lines,
    deadline_label,
    evidence_lines,
    fixed_since_label,
    format_time,
    lists_places,
    location_label,
    more_places_label,
    on_time_label,
    page_label,
    pages_label,
    place_note,
    place_url,
    run_reason_label,
    shown_url,
    state_text,
)

TEMPLATE = "rectification.html.j2"


def template_environment() -> Environment:
    """A Jinja environment over reports/templates: autoescaped (cell text comes from crawled pages), and strict
    about missing keys so a malformed document fails instead of rendering blanks."""
    return Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


_environment = template_environment()


def is_web_url(value: object) -> bool:
    """Only http(s) URLs become links: a crawled 'javascript:' URL is shown as text."""
    return isinstance(value, str) and value.lower().startswith(("http://", "https://"))


_URL_BREAK = re.compile(r"(?<=[/?&=#_.\-])")
_URL_HOST = re.compile(r"^[a-z][a-z0-9+.\-]*://[^/?#]*", re.IGNORECASE)


def breakable_url(url: str) -> Markup:
    """The URL, escaped, with a line-break opportunity after each / ? & = # _ . - of its path, so that a long URL
    wraps where a reader expects it (the scheme and host stay whole) rather than in the middle of a word."""
    host = _URL_HOST.match(url)
    head = host.group(0) if host else ""
    return escape(head) + Markup("<wbr>").join(escape(part) for part in _URL_BREAK.split(url[len(head):]))


_environment.filters.update(
    breakable_url=breakable_url,
    location_label=location_label,
    shown_url=shown_url,
    page_label=page_label,
    place_url=place_url,
    place_note=place_note,
    pages_label=pages_label,
    run_reason_label=run_reason_label,
    class_label=CLASS_LABELS.__getitem__,
    run_status_label=RUN_STATUS_LABELS.__getitem__,
    evidence_lines=evidence_lines,
    basis_lines=basis_lines,
    anchor_label=anchor_label,
    more_places_label=more_places_label,
    time=format_time,
    threshold_label=lambda status: THRESHOLD_STATUS_LABELS[status] or "",
    media_verdict_label=MEDIA_VERDICT_LABELS.__getitem__,
    state_text=state_text,
    yes_no=YES_NO.__getitem__,
    deadline_label=deadline_label,
    on_time_label=on_time_label,
    fixed_since_label=fixed_since_label,
)
_environment.tests["web_url"] = is_web_url
_environment.tests["listing_places"] = lists_places
_environment.globals.update(classes=CLASSES, run_status_warnings=RUN_STATUS_WARNINGS, no_findings=NO_FINDINGS,
                            state_count_labels=STATE_COUNT_LABELS, fixed_heading=FIXED_HEADING, no_fixed=NO_FIXED,
                            china_time_note=CHINA_TIME_NOTE)


def rule_groups(findings: list[dict]) -> list[dict]:
    """The findings by rule, in the document's order (vetoes first), each numbered as in the whole list: the
    contents block links to each group."""
    groups: dict[str, dict] = {}
    for number, finding in enumerate(findings, start=1):
        group = groups.setdefault(finding["rule"], {"rule": finding["rule"], "title": finding["title"],
                                                    "class": finding["class"], "rows": []})
        group["rows"].append((number, finding))
    return list(groups.values())


def render_html(doc: dict) -> str:
    """The rectification list page as a string."""
    validate(doc)
    return _environment.get_template(TEMPLATE).render(doc=doc, groups=rule_groups(doc["findings"]))


def write_html(doc: dict, path: Path) -> Path:
    """Write the rectification list page as UTF-8."""
    html = render_html(doc)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path
