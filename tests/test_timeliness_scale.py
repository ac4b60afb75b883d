"""Pairing policies with their interpretations grows with the snapshot, not its square: what the pairing computes
per document is counted on synthetic snapshots of two sizes (no timing), and TIME-1, TIME-2 and TIME-7 share one
pairing."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from govmon.checks import timeliness
from govmon.checks.snapshot import Snapshot
from tests.snapshots import HOME, context, page, snapshot


def policy_url(number: int) -> str:
    return f"{HOME}zcwj/202609/t20260930_{number}.html"


def reading_url(number: int) -> str:
    return f"{HOME}zcjd/202610/t20261012_{number}.html"


def synthetic_site(count: int) -> Snapshot:
    """``count`` policies, each with one late interpretation of its own name; every other one also linked back."""
    pages = [page(HOME, depth=0)]
    for number in range(count):
        name, back = f"滇中市第{number}号专项实施方案", [policy_url(number)] if number % 2 else []
        pages += [page(policy_url(number), depth=2, title=f"滇中市人民政府关于印发{name}的通知", column="政策文件",
                       published="2026-09-30", publicity="此件公开发布"),
                  page(reading_url(number), depth=2, title=f"《{name}》政策解读", column="政策解读",
                       published="2026-10-12", related={"interpretations": [], "policies": back})]
    return snapshot(*pages)


def counted(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[tuple]:
    """The calls to ``owner.name`` from now on, each still answered by the real function."""
    calls: list[tuple] = []
    real: Callable = getattr(owner, name)

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counting)
    return calls


@pytest.mark.parametrize("count", [20, 80])
def test_each_documents_names_and_url_keys_are_computed_a_bounded_number_of_times(
        monkeypatch: pytest.MonkeyPatch, count: int) -> None:
    site = synthetic_site(count)
    normalised, keyed = counted(monkeypatch, timeliness, "_normal"), counted(monkeypatch, Snapshot, "key")
    paired = timeliness.policies(site, context())
    assert [(p.page.url, [r.url for r, _ in p.interpretations]) for p in paired] == [
        (policy_url(number), [reading_url(number)]) for number in range(count)]
    assert len(normalised) <= 2 * count  # one name per policy and per interpretation, never one per pair
    assert len(keyed) <= 3 * count  # each page's URL and each related link once


def test_time_1_time_2_and_time_7_share_one_pairing(monkeypatch: pytest.MonkeyPatch) -> None:
    site, ctx = synthetic_site(10), context(site_type="grassroots")
    named = counted(monkeypatch, timeliness, "policy_name")
    drafts = [d for check in (timeliness.check_time_1, timeliness.check_time_2, timeliness.check_time_7)
              for d in check(site, ctx)]
    assert len(named) == 10
    assert {d.rule for d in drafts} == {"TIME-1"} and len(drafts) == 10
