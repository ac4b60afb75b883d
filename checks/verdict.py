"""The verdict (检查结论) per site and run, as 19号 reaches it.

A veto rule vetoes once it has the pack's veto_at findings (5 blank columns; one
for most rules); fewer are listed for rectification without a veto. Otherwise 100 minus the deductions, each indicator's
points per finding capped as the pack says; below the pass score → 不合格.
The verdict is provisional when something it depends on is unknown: a crawl
that did not complete, or a veto rule without enough data to be judged.
"""

from __future__ import annotations

from collections import Counter

from govmon.checks.catalogue import RULES
from govmon.checks.pack import Pack


def verdict(rule_counts: Counter, pack: Pack, unjudged: dict[str, str] | None = None) -> dict:
    """``rule_counts``: findings per rule ID; ``unjudged``: rule ID → why it could not be judged."""
    rows, deducted, vetoes = [], 0.0, []
    for rule_id in sorted(rule_counts, key=lambda r: (RULES[r].cls != "veto", r)):
        rule, settings, count = RULES[rule_id], pack.rule(rule_id), rule_counts[rule_id]
        points, vetoed = 0.0, False
        if rule.cls == "veto" and count >= settings.veto_at:
            vetoes.append(rule_id)
            vetoed = True
        elif rule.cls == "deduct":
            points = round(min(count * settings.points, settings.cap), 2)
            deducted += points
        rows.append({"rule": rule_id, "title": rule.title, "class": rule.cls, "count": count,
                     "points_each": settings.points if rule.cls == "deduct" else None,
                     "cap": settings.cap if rule.cls == "deduct" else None, "deducted": points,
                     "veto_at": settings.veto_at if rule.cls == "veto" else None, "vetoed": vetoed,
                     "threshold_status": settings.status})
    score = round(max(0.0, 100.0 - deducted), 2)
    passed = not vetoes and score >= pack.verdict.pass_score
    return {
        "result": "合格" if passed else "不合格",
        "score": score,
        "pass_score": pack.verdict.pass_score,
        "vetoes": vetoes,
        "deducted": round(deducted, 2),
        "rules": rows,
        "provisional": passed and bool(unjudged),  # a fail stands; a pass waits for what is unknown
        "unjudged": dict(sorted((unjudged or {}).items())),
    }
