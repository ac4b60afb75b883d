"""What the spider hands to the store: one record per fetched URL, with the links found on it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# The longest text a page's facts keep (link texts, item titles, meta values …): long URLs fit, a hostile page's
# megabyte of one string does not.
MAX_FACT_CHARS = 4000


@dataclass(frozen=True)
class FoundLink:
    target: str
    tag: str
    attr: str
    text: str
    kind: str  # page | resource | attachment
    internal: bool
    error: str | None = None  # invalid_url | unsupported_scheme | unsupported_redirect: never requested


@dataclass
class Fetched:
    url: str
    kind: str  # page | resource | attachment | external | probe | spider_view
    method: str
    depth: int
    referrer: str | None
    fetched_at: datetime
    final_url: str | None = None
    status: int | None = None
    content_type: str | None = None
    size: int | None = None
    elapsed_ms: float | None = None
    error_kind: str | None = None
    error_detail: str | None = None
    content_hash: str | None = None
    encoding: str | None = None
    title: str | None = None
    render: str = "static"  # static | rendered | render_failed
    facts: dict[str, Any] = field(default_factory=dict)
    links: list[FoundLink] = field(default_factory=list)
    text: str | None = None  # a crawled page's visible text, masked (stored apart, as PageText)
