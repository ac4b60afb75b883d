"""The rectification list as one self-contained HTML page (inline CSS, no external assets).

URLs and anchor text come from crawled pages, so the template is rendered with autoescape on.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from reports.document import CLASSES, validate
from reports.labels import (
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
    more_places_label,
    on_time_label,
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


_environment.filters.update(
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
_environment.globals.update(classes=CLASSES, run_status_warnings=RUN_STATUS_WARNINGS, no_findings=NO_FINDINGS,
                            state_count_labels=STATE_COUNT_LABELS, fixed_heading=FIXED_HEADING, no_fixed=NO_FIXED)


def render_html(doc: dict) -> str:
    """The rectification list page as a string."""
    validate(doc)
    return _environment.get_template(TEMPLATE).render(doc=doc)


def write_html(doc: dict, path: Path) -> Path:
    """Write the rectification list page as UTF-8."""
    html = render_html(doc)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path
