"""What a rule is: a small unit with a stable ID, a one-line summary, why it
matters, its source, the pack settings it reads, and the function that finds it.

Rule IDs are a public interface (see RULES.md): an ID never changes meaning.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from govmon.checks.context import Context
    from govmon.checks.snapshot import Snapshot

Unit = Callable[["Snapshot", "Context"], list["Draft"]]
# What a unit judges: a crawl snapshot (Unit), an availability evaluation, an IPv6 probe's measurements,
# a new-media account's mirror verdict, a citizen report. Only snapshot units share one signature.
JUDGED_ON = ("snapshot", "availability", "ipv6_probe", "account", "citizen_report")
_UNITS: dict[str, tuple[str, Callable[..., Any]]] = {}  # rule ID → (what it judges, the function judging it)


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
        elsewhere (probes, new-media accounts, citizen reports)."""
        judged_on, unit = _UNITS.get(self.id, (None, None))
        return unit if judged_on == "snapshot" else None

    @property
    def judged_on(self) -> str | None:
        """What this rule's unit judges (one of JUDGED_ON); None while the rule has no unit."""
        return _UNITS[self.id][0] if self.id in _UNITS else None

    @property
    def unit(self) -> Callable[..., Any] | None:
        """The function judging this rule, whatever it judges (see ``judged_on``)."""
        return _UNITS[self.id][1] if self.id in _UNITS else None


F = TypeVar("F", bound=Callable[..., Any])


def judges(rule: Rule, on: str = "snapshot") -> Callable[[F], F]:
    """Register the decorated function as ``rule``'s unit, judging ``on`` (one of JUDGED_ON): it returns that
    rule's drafts and no other's (ZC-1's unit, judging a citizen report, returns where it stands against it)."""
    if on not in JUDGED_ON:
        raise ValueError(f"rule {rule.id}: unknown kind of unit {on!r} (one of {', '.join(JUDGED_ON)})")

    def register(unit: F) -> F:
        _UNITS[rule.id] = (on, unit)
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
