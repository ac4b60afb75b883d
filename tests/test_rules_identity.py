"""ID-1 … ID-7 and META-1 on hand-written snapshots: per-section grouping, code shapes, homepage marks."""

import pytest

from govmon.checks.identity import check_identity, section_of
from tests.snapshots import HOME, context, link, page, snapshot

FOOTER = {"site_code": "5301000001", "icp": "滇ICP备05000001号", "police_record": "滇公网安备53010202000001号",
          "sponsor": "某市人民政府办公室", "contact": "0871-12345678"}
META = {"SiteName": "s", "SiteDomain": "d", "SiteIDCode": "5301000001", "ColumnName": "c", "ArticleTitle": "t",
        "PubDate": "2026-11-01", "ContentSource": "x"}


def home_page(**facts):
    return page(HOME, depth=0, **{**FOOTER, **facts})


def marks(home):
    return (link(home, "http://bszs.conac.cn/sitename?id=1", ""), link(home, "http://x.gov.cn/jiucuo", "我为政府网站找错"))


def drafts_of(*pages, links=None, **ctx):
    links = marks(pages[0]) if links is None else links
    return check_identity(snapshot(*pages, links=links), context(**ctx))


def test_a_complete_site_has_no_identity_findings() -> None:
    home = home_page()
    article = page(HOME + "xwzx/t1.html", depth=2, published="2026-11-01", meta=META, **FOOTER)
    assert drafts_of(home, article) == []


@pytest.mark.parametrize(("shown", "meta", "problem"), [
    (None, None, "页面底部未标注网站标识码"),
    ("530100001", None, "格式不正确"),
    ("bm5300001", None, "格式不正确"),
    ("5301000002", None, "与登记的“5301000001”不一致"),
    ("5301000001", "5301000009", "与SiteIDCode元数据“5301000009”不一致"),
])
def test_id_1_site_code_problems(shown, meta, problem) -> None:
    home = home_page(site_code=shown, site_code_meta=meta)
    found = [d for d in drafts_of(home) if d.rule == "ID-1"]
    assert len(found) == 1 and problem in found[0].evidence["detail"]


def test_id_1_bm_codes_of_departments_are_well_formed() -> None:
    home = home_page(site_code="bm53000012")
    assert not [d for d in drafts_of(home, site_code="bm53000012") if d.rule == "ID-1"]


def test_id_3_footer_items_missing_on_one_template_are_one_finding_for_its_section() -> None:
    home = home_page()
    pages = [page(HOME + f"hdjl/zxzx/detail_{n}.html", depth=2, **{**FOOTER, "police_record": None}) for n in range(3)]
    found = [d for d in drafts_of(home, *pages) if d.rule.startswith("ID-")]
    assert [(d.rule, d.target, d.places_total) for d in found] == [("ID-3", HOME + "hdjl/", 3)]


def test_sponsor_and_contact_are_id_4_and_icp_is_id_2() -> None:
    home = home_page(sponsor=None, icp=None)
    found = {d.rule: d for d in drafts_of(home)}
    assert set(found) == {"ID-2", "ID-4"}
    assert found["ID-4"].places[0]["text"] == "页面底部未标注主办单位"


def test_id_5_id_6_id_7_party_mark_error_entry_and_domain_are_judged_on_the_homepage() -> None:
    home = home_page()
    assert {d.rule for d in drafts_of(home, links=())} == {"ID-5", "ID-6"}
    elsewhere = page("http://www.test.com.cn/", depth=0, **FOOTER)
    other = snapshot(elsewhere, links=marks(elsewhere), home="http://www.test.com.cn/")
    assert [(d.rule, d.evidence["host"]) for d in check_identity(other, context())] == [("ID-7", "www.test.com.cn")]


def test_article_pages_lacking_standard_meta_are_meta_1_per_section() -> None:
    home = home_page()
    lacking = {k: v for k, v in META.items() if k != "ContentSource"}
    attachment = [{"title": "申请表.docx"}]  # an article's one attachment link reads as a one-entry list
    articles = [page(HOME + f"bsfw/t{n}.html", depth=2, published="2026-11-01", meta=lacking, items=attachment,
                     **FOOTER) for n in range(2)]
    listing = page(HOME + "xwzx/", published="2026-11-01", meta={}, items=[{"title": "t", "date": "2026-11-01"}] * 2,
                   **FOOTER)
    paged = page(HOME + "tzgg/", published="2026-11-01", meta={}, items=[], pagination=[HOME + "tzgg/index_1.html"],
                 **FOOTER)
    found = [d for d in drafts_of(home, *articles, listing, paged) if d.rule == "META-1"]  # lists are no articles
    assert [(d.target, d.places_total) for d in found] == [(HOME + "bsfw/", 2)]
    assert found[0].places[0]["text"] == "缺少ContentSource"


@pytest.mark.parametrize(("url", "section"), [
    ("http://a.gov.cn/", "http://a.gov.cn/"), ("http://a.gov.cn/wzdt.html", "http://a.gov.cn/"),
    ("http://a.gov.cn:8080/hdjl/zxzx/1.html", "http://a.gov.cn:8080/hdjl/"), ("http://a.gov.cn/x/", "http://a.gov.cn/x/"),
])
def test_sections(url: str, section: str) -> None:
    assert section_of(url) == section
