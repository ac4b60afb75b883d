"""PII-1, ERR-1, SEC-1 and SVC-1 on hand-written snapshots: the content vetoes' boundaries, their exemptions, and
evidence that never repeats a full personal number.

The facts are written out as the extractors store them (personal numbers already masked: the extractors have their
own tests); every page here is synthetic except the constitution excerpt, whose provenance is given beside it."""

from __future__ import annotations

import json
import re
from collections import Counter
from importlib.resources import files
from pathlib import Path

import pytest

from govmon.checks.catalogue import RULES
from govmon.checks.pack import load_pack
from govmon.checks.personal_data import check_pii_1
from govmon.checks.security import check_sec_1
from govmon.checks.services import check_svc_1
from govmon.checks.verdict import verdict, veto_weight
from govmon.checks.wording import check_err_1, folded, sentence_at, wrong_terms
from govmon.reports.models import Evidence, Place
from tests.snapshots import HOME, context, link, page, snapshot

NATIONAL = load_pack("national")
FULL_NUMBER = re.compile(r"\d{11,}")  # an ID (15/18), mobile (11) or bank card (16-19) number written out


def overlay(tmp_path: Path, text: str) -> str:
    path = tmp_path / "local.toml"
    path.write_text('extends = "national"\nid = "local"\nname = "本地"\n' + text, encoding="utf-8")
    return str(path)


def assert_report_shapes(drafts) -> None:
    """The drafts fit the report documents: evidence with reason/status/detail, places as the reports list them."""
    for draft in drafts:
        Evidence(**draft.evidence)
        for place in draft.places:
            Place(**place)


# ----- PII-1

def number(kind: str, masked: str, where: dict, label: str | None = None, section: str | None = None) -> dict:
    return {"kind": kind, "masked": masked, "where": where, "label": label, "section": section}


ID_A = number("id_card", "530102********1234", {"table": 1, "row": 3, "column": 3}, "身份证号码", "2026年低保对象公示")
MOBILE_A = number("mobile", "138****1234", {"table": 1, "row": 3, "column": 4}, "联系电话", "2026年低保对象公示")
MOBILE_B = number("mobile", "139****5678", {"table": 1, "row": 4, "column": 4}, "联系电话", "2026年低保对象公示")
BANK = number("bank_card", "6222********1234", {"block": 5}, "银行卡号", None)


def test_pii_1_an_unmasked_number_on_a_page_is_a_finding_whose_evidence_is_masked() -> None:
    notice = page(HOME + "gsgg/t1.html", title="2026年低保对象名单公示", personal_data=[ID_A, BANK])
    drafts = check_pii_1(snapshot(page(HOME, depth=0), notice), context())
    assert [(d.rule, d.target) for d in drafts] == [("PII-1", notice.url)]
    evidence = drafts[0].evidence
    assert (evidence["numbers"], evidence["kinds"]) == (2, {"id_card": 1, "bank_card": 1})
    assert evidence["masked"] == ["530102********1234", "6222********1234"]
    assert evidence["section"] == "2026年低保对象公示" and evidence["page_title"] == "2026年低保对象名单公示"
    assert [(p["tag"], p["attr"], p["text"]) for p in drafts[0].places] == [
        ("id_card", "表1第3行第3列", "身份证号码：530102********1234"), ("bank_card", "第5个文本块", "银行卡号：6222********1234")]
    assert "身份证号码1个、银行卡号1个" in evidence["detail"]
    assert not FULL_NUMBER.search(json.dumps([d.__dict__ for d in drafts], ensure_ascii=False))
    assert_report_shapes(drafts)


def test_pii_1_a_page_without_numbers_or_with_only_masked_ones_is_no_finding() -> None:
    plain = page(HOME + "gsgg/t2.html", title="公示", personal_data=[])  # masked forms are never extracted
    assert check_pii_1(snapshot(page(HOME, depth=0), plain), context()) == []


@pytest.mark.parametrize(("title", "section"), [
    ("失信被执行人名单（第三批）", None),       # the page title names an exempt list
    ("公告", "重大税收违法失信主体名单"),      # the number's section does
    ("悬赏通告", None),
])
def test_pii_1_numbers_in_a_list_the_law_publishes_are_not_findings(title, section) -> None:
    entry = {**ID_A, "section": section}
    listed = page(HOME + "gsgg/t3.html", title=title, personal_data=[entry])
    assert check_pii_1(snapshot(page(HOME, depth=0), listed), context()) == []


def test_pii_1_an_attachment_named_as_an_exempt_list_by_its_link_or_referring_page_is_not_a_finding() -> None:
    read = {"format": "xlsx", "segments": 9, "truncated": False}
    entry = number("id_card", "530102********1234", {"sheet": "Sheet1", "cell": "D5"}, "身份证号码", "名单")
    by_text = page(HOME + "upload/a.xlsx", kind="attachment", read=read, personal_data=[entry], link_text="限制高消费人员名单")
    by_title = page(HOME + "upload/b.xlsx", kind="attachment", read=read, personal_data=[entry])
    by_link = page(HOME + "upload/c.xlsx", kind="attachment", read=read, personal_data=[entry])
    plain = page(HOME + "upload/d.xlsx", kind="attachment", read=read, personal_data=[entry])
    notice = page(HOME + "gsgg/t4.html", title="关于公布失信被执行人名单的公告")
    other = page(HOME + "gsgg/t5.html", title="补贴发放名单公示")
    links = (link(notice, by_title.url, "附件"), link(other, by_link.url, "黑名单.xlsx"), link(other, plain.url, "名单.xlsx"))
    drafts = check_pii_1(snapshot(page(HOME, depth=0), notice, other, by_text, by_title, by_link, plain, links=links),
                         context())
    assert [d.target for d in drafts] == [plain.url]
    assert drafts[0].evidence["page_title"] == "补贴发放名单公示" and drafts[0].places[0]["attr"] == "Sheet1!D5"


def test_pii_1_a_mobile_labelled_as_a_contact_is_not_personal_data_unless_its_row_holds_an_id() -> None:
    contact = number("mobile", "138****1234", {"block": 9}, "联系电话", None)
    office = page(HOME + "bsfw/t1.html", title="办事指南", personal_data=[contact])
    assert check_pii_1(snapshot(page(HOME, depth=0), office), context()) == []
    roster = page(HOME + "gsgg/t6.html", title="低保对象公示", personal_data=[ID_A, MOBILE_A, MOBILE_B])
    drafts = check_pii_1(snapshot(page(HOME, depth=0), roster), context())
    assert drafts[0].evidence["masked"] == ["530102********1234", "138****1234"]  # row 3 holds the ID; row 4 does not
    unlabelled = number("mobile", "137****0000", {"block": 2})
    drafts = check_pii_1(snapshot(page(HOME, depth=0), page(HOME + "x.html", personal_data=[unlabelled])), context())
    assert drafts[0].evidence["kinds"] == {"mobile": 1}


def test_pii_1_a_sheet_row_holding_an_id_makes_its_contact_mobile_personal_data() -> None:
    read = {"format": "xlsx", "segments": 3, "truncated": False}
    sheet_id = number("id_card", "530102********1234", {"sheet": "Sheet1", "cell": "D5"}, "身份证号码")
    sheet_mobile = number("mobile", "138****1234", {"sheet": "Sheet1", "cell": "E5"}, "联系电话")
    other_row = number("mobile", "139****5678", {"sheet": "Sheet1", "cell": "E6"}, "联系电话")
    table = page(HOME + "upload/e.xlsx", kind="attachment", read=read, personal_data=[sheet_id, sheet_mobile, other_row])
    drafts = check_pii_1(snapshot(page(HOME, depth=0), table), context())
    assert drafts[0].evidence["numbers"] == 2 and drafts[0].places[1]["attr"] == "Sheet1!E5"


def test_pii_1_only_the_kinds_the_pack_names_are_judged(tmp_path) -> None:
    pack = overlay(tmp_path, '[rules.PII-1]\nkinds = ["id_card"]\n')
    roster = page(HOME + "gsgg/t7.html", title="名单", personal_data=[BANK, number("mobile", "137****0000", {"block": 2})])
    assert check_pii_1(snapshot(page(HOME, depth=0), roster), context(pack=pack)) == []
    assert check_pii_1(snapshot(page(HOME, depth=0), roster), context()) != []


def test_pii_1_attachments_that_could_not_be_read_are_not_judged() -> None:
    unread = [page(HOME + f"upload/u{n}.xlsx", kind="attachment", read_error="文件已加密") for n in range(5)]
    never = page(HOME + "upload/scan.pdf", kind="attachment")  # fetched, but no "read" fact
    broken = page(HOME + "upload/gone.doc", kind="attachment", status=404)  # LINK-3's, not PII-1's
    archive = page(HOME + "upload/all.zip", kind="attachment")  # not a kind that is read
    ctx = context()
    drafts = check_pii_1(snapshot(page(HOME, depth=0), *unread, never, broken, archive), ctx)
    assert drafts == []
    note = ctx.unjudged["PII-1"]
    assert note.startswith("6个附件未能读取，未判断其中的个人信息：") and note.endswith("等")
    assert f"{unread[0].url}（文件已加密）" in note and never.url not in note  # the first five only
    ctx = context()
    check_pii_1(snapshot(page(HOME, depth=0), never, broken, archive), ctx)
    assert ctx.unjudged == {"PII-1": f"1个附件未能读取，未判断其中的个人信息：{never.url}（未读取）"}


# ----- ERR-1

# 《中华人民共和国宪法》(2018), excerpts (the contents and articles naming the state organs, unchanged) from
# DiamonWoo/Laosheng.top, falv/2018-xianfa-gbk.txt, commit 362518e76fcea57788b25637aa3ab44342d95acf.
CONSTITUTION = """第三章　国家机构
　　　　第一节　全国人民代表大会
　　　　第二节　中华人民共和国主席
　　　　第三节　国务院
　　　　第四节　中央军事委员会
　　　　第五节　地方各级人民代表大会和地方各级人民政府
　　　　第六节　民族自治地方的自治机关
　　　　第七节　监察委员会
　　　　第八节　人民法院和人民检察院
　　第三十七条　中华人民共和国公民的人身自由不受侵犯。
　　任何公民，非经人民检察院批准或者决定或者人民法院决定，并由公安机关执行，不受逮捕。
　　第五十七条　中华人民共和国全国人民代表大会是最高国家权力机关。它的常设机关是全国人民代表大会常务委员会。
　　（六）选举中央军事委员会主席；根据中央军事委员会主席的提名，决定中央军事委员会其他组成人员的人选；
　　（七）选举国家监察委员会主任；
　　（八）选举最高人民法院院长；
　　（九）选举最高人民检察院检察长；
　　（六）监督国务院、中央军事委员会、国家监察委员会、最高人民法院和最高人民检察院的工作；
　　第八十五条　中华人民共和国国务院，即中央人民政府，是最高国家权力机关的执行机关，是最高国家行政机关。
　　第九十五条　省、直辖市、县、市、市辖区、乡、民族乡、镇设立人民代表大会和人民政府。
　　县级以上的地方各级人民代表大会选举并且有权罢免本级监察委员会主任、本级人民法院院长和本级人民检察院检察长。选出或者罢免人民检察院检察长，须报上级人民检察院检察长提请该级人民代表大会常务委员会批准。
"""


def err_drafts(text: str, pack: str = "national"):
    article = page(HOME + "xwzx/t1.html", title="新闻")
    return check_err_1(snapshot(page(HOME, depth=0), article, texts={article.id: text}), context(pack=pack))


def test_err_1_every_wrong_form_of_the_dictionary_is_found_with_its_sentence() -> None:
    terms = NATIONAL.errors.terms
    assert 25 <= len(terms) <= 40 and {t.term_class for t in terms} == {"state_organs"}
    text = "".join(f"第{n}句写到{term.wrong}的工作。" for n, term in enumerate(terms))
    drafts = err_drafts(text)
    found = drafts[0].evidence["terms"]
    assert [t["wrong"] for t in found] == [t.wrong for t in terms]
    assert all(t["sentence"] == f"第{n}句写到{t['wrong']}的工作。" and t["count"] == 1 for n, t in enumerate(found))
    assert found[0]["right"] == terms[0].right and found[0]["source"] == terms[0].source
    assert_report_shapes(drafts)


def test_err_1_correct_text_with_every_right_form_is_no_finding() -> None:
    rights = "，".join(dict.fromkeys(t.right for t in NATIONAL.errors.terms))
    synthetic = f"本页列出全部正确名称：{rights}。" + "、".join(word for t in NATIONAL.errors.terms for word in t.except_in)
    assert err_drafts(synthetic + "\n" + CONSTITUTION + "全国人大常委会、国家发改委、市人大常委会。") == []


def test_err_1_whitespace_and_width_inside_a_word_do_not_hide_it(tmp_path) -> None:
    pack = overlay(tmp_path, '[[errors.terms]]\nwrong = "5G网洛"\nright = "5G网络"\nclass = "official_expressions"\n'
                             'source = "synthetic"\n')
    drafts = err_drafts("前文。加快建设５Ｇ网洛；根据中华人民　共合\n国宪法规定。", pack)
    found = {t["wrong"]: t["sentence"] for t in drafts[0].evidence["terms"]}
    assert found == {"5G网洛": "加快建设５Ｇ网洛；", "中华人民共合国": "根据中华人民 共合 国宪法规定。"}  # whitespace shown as one space


def test_err_1_a_wrong_form_inside_a_longer_correct_word_is_not_counted(tmp_path) -> None:
    pack = overlay(tmp_path, '[errors]\nallowed = ["方法完善"]\n[[errors.terms]]\nwrong = "法完"\nright = "法院"\n'
                             'class = "state_organs"\nsource = "synthetic"\nexcept_in = ["做法完全"]\n')
    drafts = err_drafts("改进工作方法完善制度。这种做法完全正确。县人民法院判决。", pack)
    assert drafts == []
    drafts = err_drafts("改进工作方法完善制度。某县人民法完判决。", pack)
    assert [(t["wrong"], t["count"], t["sentence"]) for t in drafts[0].evidence["terms"]] == [("法完", 1, "某县人民法完判决。")]


def test_err_1_the_quoted_sentence_is_at_most_120_characters_around_the_error() -> None:
    text = "甲" * 300 + "人民政付" + "乙" * 300 + "。"
    sentence = err_drafts(text)[0].evidence["terms"][0]["sentence"]
    assert len(sentence) <= 120 and "人民政付" in sentence
    assert sentence_at("第一句。第二句有错；第三句", 7, 9) == "第二句有错；"


def test_err_1_reads_only_parsed_pages_and_folds_as_documented() -> None:
    broken = page(HOME + "gone.html", status=404)
    shot = snapshot(page(HOME, depth=0), broken, texts={broken.id: "中华人民共合国"})
    assert check_err_1(shot, context()) == []
    assert folded("中华　人民 ＡＢ") == "中华人民AB"
    assert wrong_terms("", NATIONAL.errors) == []


# ----- SEC-1

def hidden(url: str, text: str, how: str = "display:none（div.yqlj）") -> dict:
    return {"url": url, "text": text, "how": how}


def test_sec_1_a_hidden_offsite_link_to_a_listed_host_or_with_a_keyword_is_found() -> None:
    home = page(HOME, depth=0, title="某市人民政府", hidden_links=[
        hidden("http://www.bet365.com/zh/", "体育"),                      # listed domain
        hidden("http://abc.example.net/", "澳门威尼斯人"),                 # keyword in the text
        hidden("http://xyz.example.org/%E7%99%BE%E5%AE%B6%E4%B9%90/", ""),  # keyword in the (encoded) URL
        hidden("http://unlisted.example.com/", "友情链接"),              # unlisted host, no keyword: a folded menu
        hidden("http://etax.yunnan.chinatax.gov.cn/", "代开发票"),        # trusted government host
        hidden(HOME + "bocai.html", "棋牌比赛通知"),                       # the site's own
    ])
    links = (link(home, "http://www.qipai.example.com/", "棋牌"),)  # visible: not a hidden link
    drafts = check_sec_1(snapshot(home, links=links), context())
    assert [(d.rule, d.target, d.evidence["reasons"]) for d in drafts] == [("SEC-1", HOME, ["hidden_link"])]
    found = drafts[0].evidence["hidden_links"]
    assert [(h["url"], h["matched"]) for h in found] == [
        ("http://www.bet365.com/zh/", ["bet365.com"]), ("http://abc.example.net/", ["威尼斯人"]),
        ("http://xyz.example.org/%E7%99%BE%E5%AE%B6%E4%B9%90/", ["百家乐"])]
    assert drafts[0].places_total == 3 and drafts[0].places[0]["tag"] == "a"
    assert_report_shapes(drafts)


def test_sec_1_a_visible_link_or_a_hidden_link_to_an_unlisted_host_is_no_finding() -> None:
    menu = {**hidden("http://www.bet365.com/", "百家乐"), "hover_menu": True}  # shown on hover: people see it
    phone = {**hidden("http://casino.example.com/", "娱乐城"), "responsive": True}  # shown on phones
    home = page(HOME, depth=0, title="某市人民政府", hidden_links=[hidden("http://menu.example.com/", "下拉菜单"), menu,
                                                                   phone])
    links = (link(home, "http://www.bet365.com/", "百家乐"),)
    assert check_sec_1(snapshot(home, links=links), context()) == []


def test_sec_1_stuffing_is_judged_on_the_homepage_title_and_meta_not_on_articles() -> None:
    home = page(HOME, depth=0, title="某市人民政府", meta_text={"keywords": "百家乐,六合彩,时时彩", "description": None})
    article = page(HOME + "xwzx/t1.html", title="我市严厉打击六合彩、百家乐等赌博违法犯罪")
    drafts = check_sec_1(snapshot(home, article), context())
    assert [(d.target, d.evidence["stuffing"]) for d in drafts] == [
        (HOME, {"field": "keywords", "matched": ["百家乐", "六合彩", "时时彩"]})]
    one = page(HOME, depth=0, title="某市人民政府棋牌协会")  # one keyword is not stuffing
    assert check_sec_1(snapshot(one), context()) == []


def spider(url: str, status: int = 200, error: str | None = None, **facts):
    view = page(url, depth=0, status=status, kind="spider_view", **facts)
    view.error_kind = error
    return view


UA = "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)"


def test_sec_1_a_spider_shown_another_title_is_cloaking() -> None:
    home = page(HOME, depth=0, title="某市人民政府门户网站")
    view = spider(HOME, title="澳门葡京-某市人民政府门户网站", offsite_links=[], user_agent=UA)
    drafts = check_sec_1(snapshot(home, spider_views=(view,)), context())
    evidence = drafts[0].evidence
    assert evidence["reasons"] == ["stuffing", "cloaking"]  # one keyword suffices in a spider-only title
    assert evidence["stuffing"] == {"field": "spider_title", "matched": ["葡京"]}
    assert (evidence["cloaking"]["browser_title"], evidence["cloaking"]["spider_title"]) == (
        "某市人民政府门户网站", "澳门葡京-某市人民政府门户网站")
    assert evidence["cloaking"]["user_agent"] == UA and "爬虫所见标题“澳门葡京" in evidence["detail"]
    same = spider(HOME, title=" 某市人民政府门户网站 ", offsite_links=[])  # the same title, normalised
    assert check_sec_1(snapshot(home, spider_views=(same,)), context()) == []


def offsite(*hosts: str) -> list[dict]:
    return [{"url": f"http://{host}/", "text": f"链接{n}"} for n, host in enumerate(hosts)]


def test_sec_1_offsite_hosts_only_the_spider_sees_are_cloaking_from_the_packs_count_or_one_listed() -> None:
    home = page(HOME, depth=0, title="首页")
    links = (link(home, "http://www.gov.cn/", "中国政府网"), link(home, "http://a.example.com/", "合作"))
    shown_too = offsite("a.example.com", "www.gov.cn")  # the browser page links these too
    three = spider(HOME, title="首页", offsite_links=offsite("x1.example.com", "x2.example.com", "x3.example.com")
                   + shown_too)
    drafts = check_sec_1(snapshot(home, links=links, spider_views=(three,)), context())
    cloaking = drafts[0].evidence["cloaking"]
    assert [h["host"] for h in cloaking["spider_only_hosts"]] == ["x1.example.com", "x2.example.com", "x3.example.com"]
    assert cloaking["spider_only_hosts"][0]["texts"] == ["链接0"]
    two = spider(HOME, title="首页", offsite_links=offsite("x1.example.com", "x2.example.com") + shown_too)
    assert check_sec_1(snapshot(home, links=links, spider_views=(two,)), context()) == []
    listed = spider(HOME, title="首页", offsite_links=offsite("m.xvideos.com"))
    drafts = check_sec_1(snapshot(home, links=links, spider_views=(listed,)), context())
    assert drafts[0].evidence["cloaking"]["spider_only_hosts"] == [
        {"host": "m.xvideos.com", "texts": ["链接0"], "listed": True}]


def test_sec_1_a_failed_spider_view_is_not_compared_nor_a_rendered_pages_title() -> None:
    home = page(HOME, depth=0, title="首页")
    failed = spider(HOME, status=403, title="访问被拒绝", offsite_links=[])
    errored = spider(HOME, status=200, error="timeout", title=None, offsite_links=[])
    for view in (failed, errored):
        assert check_sec_1(snapshot(home, spider_views=(view,)), context()) == []
    rendered = page(HOME, depth=0, title="首页")
    rendered.render = "rendered"  # its title may be written by script
    other = spider(HOME, title="另一个标题", offsite_links=[])
    assert check_sec_1(snapshot(rendered, spider_views=(other,)), context()) == []
    firewall = spider(HOME, title="安全拦截提示", offsite_links=[])  # a WAF's answer to an unverified spider
    assert check_sec_1(snapshot(page(HOME, depth=0, title="首页"), spider_views=(firewall,)), context()) == []
    hijacked = spider(HOME, title="另一个标题", offsite_links=offsite("m.xvideos.com"))  # its hosts still count
    [draft] = check_sec_1(snapshot(rendered, spider_views=(hijacked,)), context())
    assert [entry["host"] for entry in draft.evidence["cloaking"]["spider_only_hosts"]] == ["m.xvideos.com"]


def test_sec_1_one_draft_per_page_with_every_reason() -> None:
    home = page(HOME, depth=0, title="首页", hidden_links=[hidden("http://casino.example.com/", "百家乐")],
                meta_text={"keywords": None, "description": "娱乐城 真人荷官 老虎机"})
    view = spider(HOME, title="被篡改的标题", offsite_links=[])
    drafts = check_sec_1(snapshot(home, spider_views=(view,)), context())
    assert len(drafts) == 1 and drafts[0].evidence["reasons"] == ["hidden_link", "stuffing", "cloaking"]


# ----- SVC-1

def home_with(*nav: str, **facts):
    return page(HOME, depth=0, title="某市人民政府", nav=[{"name": n, "url": HOME + f"c{i}/", "parent": None}
                                                     for i, n in enumerate(nav)], **facts)


def test_svc_1_a_portal_homepage_without_a_service_entry_vetoes_alone() -> None:
    home = home_with("首页", "新闻中心", "信息公开", "互动交流")
    drafts = check_svc_1(snapshot(home), context(site_type="portal"))
    assert [(d.target, d.evidence["reason"], d.evidence["vetoes_alone"]) for d in drafts] == [
        (HOME, "no_service_entry", True)]
    assert veto_weight("SVC-1", drafts[0].evidence, NATIONAL) == NATIONAL.rule("SVC-1").veto_at
    assert_report_shapes(drafts)
    assert check_svc_1(snapshot(home_with("首页", "政务服务")), context()) == []
    by_link = snapshot(home, links=(link(home, "http://zwfw.example.gov.cn/", "网上办事大厅"),))
    assert check_svc_1(by_link, context()) == []


def test_svc_1_the_entry_is_judged_only_on_the_site_types_the_pack_names() -> None:
    home = home_with("首页", "新闻中心")
    assert check_svc_1(snapshot(home), context(site_type="department")) == []
    ctx = context(site_type=None)
    assert check_svc_1(snapshot(home), ctx) == []
    assert ctx.unjudged == {"SVC-1": "网站类型未登记，未判断首页是否提供办事服务入口"}


GUIDE_LABELS = ["事项名称", "设定依据", "申请条件", "申请材料", "办理地点", "实施主体", "是否收费", "办理时间", "咨询电话",
                "办理流程"]


def guide(path: str, title: str, labels: list[str], **facts):
    return page(HOME + path, depth=2, title=title, field_labels=labels, **facts)


def test_svc_1_a_complete_guide_is_no_finding_and_one_missing_elements_is_listed() -> None:
    complete = guide("bsfw/g1.html", "个体工商户注册登记办事指南", GUIDE_LABELS)
    partial = guide("bsfw/g2.html", "个体工商户注销登记办事指南", ["申请条件", "申请材料", "办理地点", "实施主体", "办理时间",
                                                         "咨询电话", "办理流程"])  # 事项名称 from the title
    poor = guide("bsfw/g3.html", "残疾人证办理办事指南", ["申请条件", "办理材料", "办理地点"])
    site_named = guide("bsfw/g4.html", "某市人民政府-服务指南", GUIDE_LABELS[2:])  # the site's name, not the matter's
    one_short = guide("bsfw/g5.html", "某市人民政府-服务指南", GUIDE_LABELS[1:])
    drafts = check_svc_1(snapshot(home_with("办事服务"), complete, partial, poor, site_named, one_short), context())
    found = {d.target: d.evidence for d in drafts}
    assert set(found) == {partial.url, poor.url, site_named.url}  # one missing element (事项名称) is not listed
    assert found[site_named.url]["missing"] == ["事项名称", "设定依据"]
    assert (found[partial.url]["missing"], found[partial.url]["counts_toward_veto"]) == (["设定依据", "收费标准"], False)
    assert found[poor.url]["missing"] == ["设定依据", "办理机构", "收费标准", "办理时间", "联系电话", "办理流程"]
    assert found[poor.url]["counts_toward_veto"] is True and "事项名称" in found[poor.url]["present"]
    assert [veto_weight("SVC-1", found[url], NATIONAL) for url in (partial.url, poor.url)] == [0, 1]
    assert_report_shapes(drafts)


def test_svc_1_a_guide_list_page_is_not_a_guide() -> None:
    listing = guide("bsfw/index.html", "办事指南", ["事项名称", "办理流程"], pagination=[HOME + "bsfw/index_1.html"])
    assert check_svc_1(snapshot(home_with("办事服务"), listing), context()) == []


def test_svc_1_labels_in_the_text_count_when_the_page_has_no_field_labels() -> None:
    text = "居民身份证申领办事指南\n申请条件：年满十六周岁\n所需材料 ：户口簿\n办理地点：县政务服务中心\n办理时限：当场"
    found = guide("bsfw/g5.html", "居民身份证申领办事指南", [])
    drafts = check_svc_1(snapshot(home_with("办事服务"), found, texts={found.id: text}), context())
    assert drafts[0].evidence["present"] == ["事项名称", "申请条件", "办理材料", "办理地点"]


def test_svc_1_categories_of_the_site_footer_do_not_make_an_article_a_guide() -> None:
    footer = "联系电话：0871-1234567　办公时间：工作日　办公地点：某市人民路1号"
    home = home_with("办事服务", field_labels=["联系电话", "办公时间", "办公地点"])
    article = guide("xwzx/t1.html", "我市召开工作会议", ["联系电话", "办公时间", "办公地点"])
    untitled = guide("bsfw/t2.html", "残疾人证申领", ["申请条件", "办理材料", "受理机构", "联系电话"])
    shot = snapshot(home, article, untitled, texts={home.id: footer, article.id: footer})
    drafts = check_svc_1(shot, context())
    assert [d.target for d in drafts] == [untitled.url]  # three categories beside the footer's: a guide


def test_svc_1_five_guides_counting_toward_the_veto_veto() -> None:
    poor = [guide(f"bsfw/p{n}.html", f"事项{n}办事指南", ["申请条件", "办理地点"]) for n in range(5)]
    drafts = check_svc_1(snapshot(home_with("办事服务"), *poor), context())
    counts = Counter(d.rule for d in drafts)
    weights = Counter({"SVC-1": sum(veto_weight(d.rule, d.evidence, NATIONAL) for d in drafts)})
    assert verdict(counts, NATIONAL, veto_counts=weights)["vetoes"] == ["SVC-1"]
    weights = Counter({"SVC-1": sum(veto_weight(d.rule, d.evidence, NATIONAL) for d in drafts[:4])})
    assert verdict(Counter({"SVC-1": 4}), NATIONAL, veto_counts=weights)["vetoes"] == []


# ----- the four together

def test_the_content_vetoes_are_catalogued_with_their_pack_settings() -> None:
    assert {rule: RULES[rule].cls for rule in ("PII-1", "ERR-1", "SEC-1", "SVC-1")} == dict.fromkeys(
        ("PII-1", "ERR-1", "SEC-1", "SVC-1"), "veto")
    assert [NATIONAL.rule(rule).veto_at for rule in ("PII-1", "ERR-1", "SEC-1", "SVC-1")] == [1, 1, 1, 5]
    assert all(NATIONAL.rule(rule).status == "default" for rule in ("PII-1", "ERR-1", "SEC-1", "SVC-1"))
    national = (Path(str(files("govmon.checks") / "packs" / "national.toml"))).read_text(encoding="utf-8")
    assert "《中华人民共和国宪法》第三章 国家机构" in national and "《中国共产党章程》" in national
