"""The verdict: any veto is 不合格; else 100 minus capped deductions, 不合格 below the pass score."""

from __future__ import annotations

from collections import Counter
from importlib.resources import files
from pathlib import Path

from govmon.checks.pack import load_pack
from govmon.checks.verdict import verdict, veto_weight

PACK = load_pack("national")


def test_deductions_are_points_per_finding_capped_per_indicator():
    result = verdict(Counter({"LINK-1": 3, "LINK-2": 9, "LINK-3": 2, "IPV6-4": 1, "IPV6-5": 1}), PACK)
    rows = {row["rule"]: row for row in result["rules"]}
    assert (rows["LINK-1"]["deducted"], rows["LINK-2"]["deducted"], rows["LINK-3"]["deducted"]) == (3.0, 0.9, 1.0)
    assert rows["IPV6-5"]["deducted"] == 0.0 and rows["IPV6-5"]["points_each"] is None  # advice: no score effect
    assert (result["score"], result["result"], result["vetoes"], result["provisional"]) == (94.1, "合格", [], False)
    assert rows["LINK-1"]["threshold_status"] == "default"
    capped = verdict(Counter({"IPV6-4": 3}), PACK)
    assert capped["deducted"] == 1.0  # IPV6-4's cap is 1 point


def test_score_below_the_pass_score_fails_and_the_boundary_passes():
    at_line = verdict(Counter({"LINK-1": 40}), PACK)
    assert (at_line["score"], at_line["result"]) == (60.0, "合格")
    below = verdict(Counter({"LINK-1": 41}), PACK)
    assert (below["score"], below["result"]) == (59.0, "不合格")


def test_any_veto_fails_whatever_the_score():
    result = verdict(Counter({"AVAIL-1": 1}), PACK)
    assert (result["score"], result["result"], result["vetoes"]) == (100.0, "不合格", ["AVAIL-1"])
    assert result["rules"][0]["deducted"] == 0.0


def test_a_pass_with_unknowns_is_provisional_a_fail_is_not():
    unknown = {"AVAIL-1": "近7天首页监测数据不足"}
    assert verdict(Counter(), PACK, unknown)["provisional"] is True
    assert verdict(Counter({"AVAIL-1": 1}), PACK, unknown)["provisional"] is False


def test_pass_score_comes_from_the_pack(tmp_path):
    national = Path(str(files("govmon.checks") / "packs" / "national.toml"))
    strict = tmp_path / "strict.toml"
    strict.write_text(national.read_text(encoding="utf-8").replace("pass_score = 60.0", "pass_score = 95.0"))
    assert verdict(Counter({"LINK-1": 6}), load_pack(str(strict)))["result"] == "不合格"


def test_veto_weight_is_one_unless_a_finding_vetoes_alone_or_only_is_listed():
    assert veto_weight("PII-1", {"reason": "personal_data"}, PACK) == 1
    assert veto_weight("SVC-1", {"counts_toward_veto": True}, PACK) == 1
    assert veto_weight("SVC-1", {"counts_toward_veto": False}, PACK) == 0
    assert veto_weight("SVC-1", {"vetoes_alone": True}, PACK) == PACK.rule("SVC-1").veto_at == 5
    assert veto_weight("LINK-1", {"reason": "http_404"}, PACK) == 0  # a deduction, no veto


def test_veto_counts_decide_a_veto_while_the_rows_keep_every_finding():
    listed = verdict(Counter({"SVC-1": 7}), PACK, veto_counts=Counter({"SVC-1": 4}))
    row = listed["rules"][0]
    assert (listed["vetoes"], listed["result"], row["count"], row["vetoed"]) == ([], "合格", 7, False)
    vetoed = verdict(Counter({"SVC-1": 1}), PACK, veto_counts=Counter({"SVC-1": 5}))
    assert (vetoed["vetoes"], vetoed["result"]) == (["SVC-1"], "不合格")
    assert verdict(Counter({"SVC-1": 5}), PACK)["vetoes"] == ["SVC-1"]  # without veto_counts every finding counts
    assert verdict(Counter({"ERR-1": 1}), PACK, veto_counts=Counter())["vetoes"] == []
