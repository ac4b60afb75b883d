"""The verdict (检查结论) per site and run, as 19号 reaches it.

A veto rule vetoes once it has the pack's veto_at findings (5 blank columns; one
for most rules); fewer are listed for rectification without a veto. A finding may weigh
otherwise (veto_weight): listed without counting, or vetoing alone. Otherwise 100 minus the deductions, each indicator's
points per finding capped as the pack says; below the pass score → 不合格.
The verdict is provisional when something it depends on is unknown: a crawl
that did not complete, or a veto rule without enough data to be judged.
"""

from __future__ import annotations

from collections import Counter

from govmon.checks.catalogue import RULES
from govmon.checks.pack import Pack


def veto_weight(rule_id: str, evidence: dict, pack: Pack) -> int:
    """How much one finding counts toward its veto rule's veto_at: the rule's veto_at when it vetoes alone (SVC-1's
    missing 办事服务 entry), 0 when it is listed without counting (a 办事指南 missing few elements), else 1."""
    if RULES[rule_id].cls != "veto":
        return 0
    if evidence.get("vetoes_alone"):
        return pack.rule(rule_id).veto_at
    return 1 if evidence.get("counts_toward_veto", True) else 0


def verdict(rule_counts: Counter, pack: Pack, unjudged: dict[str, str] | None = None,
            veto_counts: Counter | None = None) -> dict:
    """``rule_counts``: findings per rule ID; ``unjudged``: rule ID → why it could not be judged; ``veto_counts``:
    the findings' veto_weight summed per rule (default: every finding counts once)."""
    weights = rule_counts if veto_counts is None else veto_counts
    rows, deducted, vetoes = [], 0.0, []
    for rule_id in sorted(rule_counts, key=lambda r: (RULES[r].cls != "veto", r)):
        rule, settings, count = RULES[rule_id], pack.rule(rule_id), rule_counts[rule_id]
        points, vetoed = 0.0, False
        if rule.cls == "veto" and weights.get(rule_id, 0) >= settings.veto_at:
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
