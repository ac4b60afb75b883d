"""What a rule is: a small unit with a stable ID, a one-line summary, why it
matters, its source, the pack settings it reads, and the function that finds it.

Rule IDs are a public interface (see RULES.md): an ID never changes meaning.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from govmon.checks.context import Context
    from govmon.checks.snapshot import Snapshot

Unit = Callable[["Snapshot", "Context"], list["Draft"]]
_UNITS: dict[str, Unit] = {}  # rule ID → the function that judges it on a crawl snapshot


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
    example: str = ""  # what one finding's detail reads like, Chinese (`govmon rules show`, docs/rules.md)

    @property
    def check(self) -> Unit | None:
        """The unit judging this rule on a crawl snapshot, registered by ``judges``; None for a rule judged
        elsewhere (probes, new-media accounts, citizen reports) or not yet split from its family's check."""
        return _UNITS.get(self.id)


def judges(rule: Rule) -> Callable[[Unit], Unit]:
    """Register the decorated function as ``rule``'s unit: it returns that rule's drafts and no other's."""

    def register(unit: Unit) -> Unit:
        _UNITS[rule.id] = unit
        return unit

    return register


@dataclass
class Draft:
    """A finding before it is stored: the rule, the place, the evidence."""

    rule: str
    target: str
    evidence: dict[str, Any]
    places: list[dict[str, Any]] = field(default_factory=list)
    places_total: int = 0


def drafts_of(rule: Rule, drafts: Iterable[Draft]) -> list[Draft]:
    """One rule's drafts out of work its family shares (one pass that judges several rules at once)."""
    return [draft for draft in drafts if draft.rule == rule.id]
