"""INTER-1 … INTER-4 on hand-written snapshots: channels, 3 months to the day, working days over National Day."""

from datetime import date

import pytest

from govmon.checks.interaction import check_interaction
from tests.snapshots import HOME, context, link, page, snapshot

LIST = HOME + "hdjl/zxzx/"


def message(n: int, asked: str | None, answered: str | None = None, replied: bool | None = True,
            url: bool = True) -> dict:
    return {"title": f"咨询第{n}个问题", "url": f"{LIST}detail_{n}.html" if url else None, "asked": asked,
            "answered": answered, "status": "已答复" if replied else "办理中" if replied is False else None,
            "replied": replied}


def consult(*messages: dict, **facts):
    return page(LIST, messages=list(messages), column="咨询投诉", **facts)


def found(*pages, day=date(2026, 11, 23), links=()) -> list[tuple[str, str]]:
    return sorted((d.rule, d.target) for d in check_interaction(snapshot(*pages, links=links), context(day))
                  if d.rule != "INTER-1")


@pytest.mark.parametrize(("asked", "late"), [("2026-08-23", False), ("2026-08-22", True)])
def test_unanswered_for_more_than_three_months_to_the_day(asked: str, late: bool) -> None:
    home = page(HOME, depth=0)
    result = found(home, consult(message(1, asked, replied=False)))
    assert (("INTER-2", f"{LIST}detail_1.html") in result) is late


def test_three_months_from_the_31st_ends_on_the_months_last_day() -> None:
    home = page(HOME, depth=0)
    pending = consult(message(1, "2026-05-31", replied=False))
    assert found(home, pending, day=date(2026, 8, 31)) == []
    assert found(home, pending, day=date(2026, 9, 1)) == [("INTER-2", f"{LIST}detail_1.html")]


def test_only_messages_of_the_last_year_count_and_unknown_status_is_not_judged() -> None:
    home = page(HOME, depth=0)
    old = message(1, "2025-11-22", replied=False)
    unknown = message(2, "2026-01-05", replied=None)
    assert found(home, consult(old, unknown)) == []


def test_an_answer_after_more_than_three_months_is_inter_2() -> None:
    home = page(HOME, depth=0)
    assert found(home, consult(message(1, "2026-03-02", "2026-06-03"))) == [("INTER-2", f"{LIST}detail_1.html")]


@pytest.mark.parametrize(("answered", "slow"), [("2026-10-13", False), ("2026-10-14", True)])
def test_reply_time_counts_chinese_working_days_over_national_day(answered: str, slow: bool) -> None:
    # after 30 Sep: 8, 9, 10 (make-up Saturday), 12, 13 Oct are working days 1 to 5; 1-7 Oct are holidays
    home = page(HOME, depth=0)
    drafts = check_interaction(snapshot(home, consult(message(1, "2026-09-30", answered))), context())
    slow_ones = [d for d in drafts if d.rule == "INTER-4"]
    assert bool(slow_ones) is slow
    if slow:
        assert slow_ones[0].evidence["working_days"] == 6 and slow_ones[0].evidence["max_working_days"] == 5


def test_a_reply_in_a_year_without_a_published_arrangement_is_judged_provisionally() -> None:
    home = page(HOME, depth=0)
    ctx = context(date(2027, 1, 20))
    drafts = check_interaction(snapshot(home, consult(message(1, "2027-01-04", "2027-01-19"))), ctx)
    (slow,) = [d for d in drafts if d.rule == "INTER-4"]
    assert slow.evidence["working_days"] == 11 and "INTER-4" not in ctx.unjudged
    assert slow.evidence["calendar"] == "暂定：2027年调休安排未发布，按法定节假日推算"
    assert slow.evidence["detail"].endswith("（暂定：2027年调休安排未发布，按法定节假日推算）")


def test_a_reply_date_on_the_detail_page_counts_as_published() -> None:
    home = page(HOME, depth=0)
    listed = consult(message(1, "2026-11-01", None), message(2, "2026-11-02", None))
    detail = page(f"{LIST}detail_1.html", depth=2, messages=[message(1, "2026-11-01", "2026-11-03")])
    drafts = [d for d in check_interaction(snapshot(home, listed, detail), context()) if d.rule == "INTER-3"]
    assert [(d.target, d.places_total) for d in drafts] == [(LIST, 1)]
    assert drafts[0].places[0]["text"] == "咨询第2个问题（缺答复时间）"


def test_messages_without_dates_are_one_inter_3_per_column() -> None:
    home = page(HOME, depth=0)
    mailbox = page(HOME + "hdjl/szxx/", column="市长信箱",
                   messages=[message(n, None, None, url=False) for n in range(4)])
    page_2 = page(HOME + "hdjl/szxx/index_1.html", column="市长信箱", messages=[message(9, None, None, url=False)])
    drafts = [d for d in check_interaction(snapshot(home, mailbox, page_2), context()) if d.rule == "INTER-3"]
    assert [(d.target, d.places_total) for d in drafts] == [(HOME + "hdjl/szxx/", 5)]


def test_a_working_consultation_link_is_a_channel() -> None:
    home = page(HOME, depth=0)
    target = page(LIST, status=200)
    drafts = check_interaction(snapshot(home, target, links=(link(home, LIST, "咨询投诉"),)), context())
    assert not [d for d in drafts if d.rule == "INTER-1"]


@pytest.mark.parametrize("text", ["网上信访", "纪检举报信箱", "关于白鹭湾县某小区冬季供暖问题的咨询"])
def test_petition_report_channels_and_message_titles_do_not_count(text: str) -> None:
    home = page(HOME, depth=0)
    target = page(HOME + "xf/", status=200)
    drafts = check_interaction(snapshot(home, target, links=(link(home, HOME + "xf/", text),)), context())
    assert [d.rule for d in drafts] == ["INTER-1"]


def test_inter_1_a_broken_consultation_link_is_no_channel_and_the_evidence_says_so() -> None:
    home = page(HOME, depth=0)
    broken = page(LIST, status=500)
    drafts = check_interaction(snapshot(home, broken, links=(link(home, LIST, "在线咨询"),)), context())
    assert [d.rule for d in drafts] == ["INTER-1"]
    assert drafts[0].evidence["links_tried"] == [{"target": LIST, "text": "在线咨询", "status": 500, "error": None}]
