"""AVAIL-1 站点无法访问: the homepage over a rolling window of availability probes.

19号 makes a site that cannot be reached a veto: over one week, with at least 20
probes a day, a probe failing when the homepage has not fully loaded within
15 s, and a failure ratio of 5% or more. Fewer probes than that in any day of
the window means the verdict is "insufficient data", never a pass.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from govmon.checks.pack import Pack
from govmon.checks.rule import Draft, Rule, judges
from govmon.config import with_zone
from govmon.store import AvailabilityProbe, Store
from govmon.store.queries import availability_probes

AVAIL_1 = Rule(
    id="AVAIL-1", cls="veto", title="站点无法访问",
    summary="The homepage failed to load completely within the time limit in too many probes over a week.",
    why="A site citizens cannot reach publishes nothing; 19号 makes it a veto on its own.",
    source="国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》单项否决“站点无法访问”",
    fix="排查服务器、网络、带宽与防护设备，确保首页稳定、完整地在规定时间内打开",
    settings=("window_days", "min_probes_per_day", "load_timeout", "max_failure_ratio"),
)
RULES = (AVAIL_1,)


def probe_failed(probe: AvailabilityProbe, load_timeout: float) -> bool:
    return not probe.ok or probe.load_ms is None or probe.load_ms > load_timeout * 1000


def evaluate_availability(probes: list[AvailabilityProbe], as_of: datetime, pack: Pack) -> dict:
    """The AVAIL-1 verdict at ``as_of``: pass, fail or insufficient_data, with the counts behind it.

    The window is the ``window_days`` × 24 h before ``as_of``; each 24 h slice of it
    must hold ``min_probes_per_day`` probes for the verdict to count.
    """
    settings = pack.rule("AVAIL-1")
    days = int(settings["window_days"])
    end = with_zone(as_of)
    start = end - timedelta(days=days)
    slices = []
    for index in range(days):
        slice_end = end - timedelta(days=index)
        inside = [p for p in probes if slice_end - timedelta(days=1) <= with_zone(p.at) < slice_end]
        failures = sum(probe_failed(p, settings["load_timeout"]) for p in inside)
        slices.append({"from": (slice_end - timedelta(days=1)).isoformat(), "to": slice_end.isoformat(),
                       "probes": len(inside), "failures": failures})
    slices.reverse()
    total = sum(s["probes"] for s in slices)
    failed = sum(s["failures"] for s in slices)
    ratio = failed / total if total else None
    if any(s["probes"] < settings["min_probes_per_day"] for s in slices):
        verdict = "insufficient_data"
    elif ratio >= settings["max_failure_ratio"]:
        verdict = "fail"
    else:
        verdict = "pass"
    return {
        "rule": "AVAIL-1", "verdict": verdict, "window": {"from": start.isoformat(), "to": end.isoformat()},
        "probes": total, "failures": failed, "failure_ratio": round(ratio, 4) if ratio is not None else None,
        "days": slices,
        "thresholds": {key: settings[key] for key in AVAIL_1.settings},
    }


def availability_as_of(store: Store, site_id: str, pack: Pack, as_of: datetime) -> dict:
    """The AVAIL-1 evaluation at ``as_of`` from the site's stored probes in the window."""
    start = as_of - timedelta(days=pack.rule("AVAIL-1")["window_days"])
    with store.session() as session:
        probes = availability_probes(session, site_id, start, as_of)
    return evaluate_availability(probes, as_of, pack)


@judges(AVAIL_1, on="availability")
def check_availability(evaluation: dict, home_url: str) -> list[Draft]:
    """AVAIL-1's unit: a finding on the homepage when the evaluation over the window fails."""
    if evaluation["verdict"] != "fail":
        return []
    detail = (f"{evaluation['probes']} 次首页监测中 {evaluation['failures']} 次未在 "
              f"{evaluation['thresholds']['load_timeout']:g} 秒内完整打开，"
              f"失败率 {evaluation['failure_ratio']:.1%}（≥ {evaluation['thresholds']['max_failure_ratio']:.0%}）")
    evidence = {"reason": "unavailable", "status": None, "detail": detail,
                "window": evaluation["window"], "probes": evaluation["probes"], "failures": evaluation["failures"],
                "failure_ratio": evaluation["failure_ratio"]}
    return [Draft(rule="AVAIL-1", target=home_url, evidence=evidence)]
