"""MEDIA-1 … MEDIA-4 on hand-written mirror answers and snapshots: 13 vs 14 days, closed, unknown never a finding."""

from datetime import date

import pytest

from govmon.checks.media import account_drafts, account_verdict, check_listing, post_day
from govmon.checks.pack import load_pack
from govmon.facts.mirrors import MirrorAnswer
from govmon.registry import Account
from tests.snapshots import HOME, context, page, snapshot

PACK = load_pack("national")
TODAY = date(2026, 11, 23)


def account(**values) -> Account:
    return Account(**{"id": "dz-wechat", "platform": "微信公众号", "name": "滇中发布", "sponsor": "滇中市人民政府办公室",
                      "site": "t", "mirrors": ("http://127.0.0.1:1/rsshub/wechat/mp/dzfb",), **values})


def answer(latest: str | None, **values) -> MirrorAnswer:
    return MirrorAnswer("http://127.0.0.1:1/feed", kind="rss", status=200, latest=latest, latest_title="一条推文",
                        posts=3, **values)


@pytest.mark.parametrize(("latest", "verdict"), [
    ("2026-11-10T23:59:00+08:00", "active"),  # 13 days before, China time
    ("2026-11-09T08:30:00+08:00", "dormant"),  # exactly 14 days
    ("2026-11-09T16:30:00+00:00", "active"),  # 10 Nov 00:30 in China
    ("2026-11-08", "dormant"),
])
def test_silence_is_counted_in_china_days_and_14_days_is_dormant(latest: str, verdict: str) -> None:
    assert account_verdict([answer(latest)], TODAY, PACK)[0] == verdict


def test_a_dormant_account_is_media_1_with_its_newest_post() -> None:
    verdict, reason, decided = account_verdict([answer("2026-11-08T10:00:00+08:00")], TODAY, PACK)
    drafts = account_drafts(account(), verdict, reason, decided, TODAY, PACK)
    assert [(d.rule, d.target) for d in drafts] == [("MEDIA-1", "account:dz-wechat")]
    assert (drafts[0].evidence["silent_days"], drafts[0].evidence["latest_title"]) == (15, "一条推文")


def test_failing_mirrors_give_unknown_with_the_reason_and_no_finding() -> None:
    failed = [MirrorAnswer("http://127.0.0.1:1/a", status=503, error="HTTP 503"),
              MirrorAnswer("http://127.0.0.1:1/b", status=200, error="无法解析：not well-formed")]
    verdict, reason, decided = account_verdict(failed, TODAY, PACK)
    assert verdict == "unknown" and "HTTP 503" in reason and "not well-formed" in reason
    assert account_drafts(account(), verdict, reason, decided, TODAY, PACK) == []


def test_one_working_mirror_decides_when_another_fails() -> None:
    answers = [MirrorAnswer("http://127.0.0.1:1/a", status=503, error="HTTP 503"), answer("2026-11-20")]
    assert account_verdict(answers, TODAY, PACK)[0] == "active"


def test_a_mirror_saying_closed_is_media_2() -> None:
    verdict, reason, decided = account_verdict([answer(None, closed="该账号已注销")], TODAY, PACK)
    drafts = account_drafts(account(), verdict, reason, decided, TODAY, PACK)
    assert verdict == "closed" and [d.rule for d in drafts] == ["MEDIA-2"] and "该账号已注销" in drafts[0].evidence["detail"]


def test_no_interaction_in_the_registry_is_media_3_whatever_the_mirrors_say() -> None:
    drafts = account_drafts(account(interaction=False), "unknown", "HTTP 503", None, TODAY, PACK)
    assert [d.rule for d in drafts] == ["MEDIA-3"]


def test_post_day_reads_dates_and_times() -> None:
    assert post_day("2026-11-09") == date(2026, 11, 9)
    assert post_day("2026-11-08T20:00:00-01:00") == date(2026, 11, 9)
    assert post_day("2026-11-09T08:00:00") == date(2026, 11, 9)  # no zone: China time
    assert post_day(None) is None


def listing_page(*entries: tuple[str, str]):
    return page(HOME + "xmt/", title="政务新媒体", media_accounts=[{"platform": p, "name": n, "url": None}
                                                                 for p, n in entries])


def test_listed_but_unregistered_and_registered_but_unlisted_accounts_are_media_4() -> None:
    registered = (account(), account(id="dz-wenlv", name="滇中文旅"))
    ctx = context()
    ctx = type(ctx)(**{**ctx.__dict__, "accounts": registered, "unjudged": {}})
    drafts = check_listing(snapshot(page(HOME, depth=0), listing_page(("微信公众号", "滇中发布"), ("快手", "@滇中融媒"))), ctx)
    assert sorted(d.target for d in drafts) == ["account:dz-wenlv", HOME + "xmt/#快手:@滇中融媒"]


def test_without_a_listing_page_media_4_is_not_judged() -> None:
    ctx = context()
    ctx = type(ctx)(**{**ctx.__dict__, "accounts": (account(),), "unjudged": {}})
    assert check_listing(snapshot(page(HOME, depth=0)), ctx) == []
    assert "政务新媒体" in ctx.unjudged["MEDIA-4"]
