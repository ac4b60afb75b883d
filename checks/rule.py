"""What a rule is: a small unit with a stable ID, a one-line summary, why it
matters, its source, the pack settings it reads, and the function that finds it.

Rule IDs are a public interface (see RULES.md): an ID never changes meaning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Rule:
    id: str
    cls: str  # veto | deduct | advice
    title: str  # Chinese, as in the 检查指标
    summary: str  # one line, English
    why: str
    source: str  # the document it comes from, as reports cite it
    fix: str  # suggested fix, Chinese
    settings: tuple[str, ...] = ()  # pack keys under [rules.<ID>]


@dataclass
class Draft:
    """A finding before it is stored: the rule, the place, the evidence."""

    rule: str
    target: str
    evidence: dict[str, Any]
    places: list[dict[str, Any]] = field(default_factory=list)
    places_total: int = 0
