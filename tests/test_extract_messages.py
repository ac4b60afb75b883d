"""Messages (留言) of consultation columns: tables, labelled blocks, detail pages, status lists."""

from datetime import date
from pathlib import Path

import pytest

from govmon.facts.encoding import decode_html
from govmon.facts.messages import Message, extract_messages

LISTS = Path(__file__).parent / "pages" / "lists"
BASE = "http://www.example.gov.cn/hdjl/zxzx/"
DEMO = "http://www.dianzhong.gov.cn"
AS_OF = date(2026, 11, 23)


def fixture(name: str) -> str:
    return decode_html((LISTS / name).read_bytes(), None)[0]


def page(body: str) -> str:
    return f"<html><head><meta charset='utf-8'><title>咨询投诉_某市人民政府</title></head><body>{body}</body></html>"


def messages(body: str, as_of: date | None = AS_OF) -> list[Message]:
    return extract_messages(page(body), BASE, as_of)


def test_demo_message_table() -> None:
    found = extract_messages(fixture("demo_zxzx_messages.html"), f"{DEMO}/hdjl/zxzx/", AS_OF)

    assert len(found) == 15
    assert found[0] == Message("个体工商户营业执照变更需要哪些材料", f"{DEMO}/hdjl/zxzx/detail_3806.html",
                               "2026-11-20", "2026-11-21", "已答复", True)
    assert all(message.replied and message.asked <= message.answered for message in found)


def test_demo_detail_page() -> None:
    found = extract_messages(fixture("demo_zxzx_detail.html"), f"{DEMO}/hdjl/zxzx/detail_3806.html", AS_OF)

    assert found == [Message("个体工商户营业执照变更需要哪些材料", f"{DEMO}/hdjl/zxzx/detail_3806.html",
                             "2026-11-20", "2026-11-21", None, True)]


ROWS = [
    ("关于小区供暖问题的咨询", "2026-10-01", "2026-10-03", "已回复"),
    ("农村公路养护问题", "2026-09-15", "", "未回复"),
    ("学区划分咨询", "2026-08-20", "", "办理中"),
    ("营业执照变更材料", "2026-07-02", "2026-07-10", "已办结"),
    ("公积金贷款额度", "2026-06-11", "", ""),
]
EXPECTED = [
    ("关于小区供暖问题的咨询", "2026-10-01", "2026-10-03", "已回复", True),
    ("农村公路养护问题", "2026-09-15", None, "未回复", False),
    ("学区划分咨询", "2026-08-20", None, "办理中", False),
    ("营业执照变更材料", "2026-07-02", "2026-07-10", "已办结", True),
    ("公积金贷款额度", "2026-06-11", None, None, None),
]


def summary(found: list[Message]) -> list[tuple]:
    return [(m.title, m.asked, m.answered, m.status, m.replied) for m in found]


@pytest.mark.parametrize(
    ("header", "order", "cell"),
    [
        (["留言标题", "留言时间", "答复时间", "状态"], (0, 1, 2, 3), "th"),
        (["状态", "答复时间", "标题", "留言时间"], (2, 3, 1, 0), "th"),
        (["信件主题", "办理状态", "来信日期", "回复日期"], (0, 2, 3, 1), "td"),
        (["序号", "咨询标题", "提问时间", "处理状态", "办结时间"], (1, 2, 4, 3), "td"),
    ],
)
def test_message_tables_with_headers_in_any_order(header: list[str], order: tuple[int, ...], cell: str) -> None:
    """order: the columns of title, 留言时间, 答复时间 and 状态."""
    head = "<tr>" + "".join(f"<{cell}>{name}</{cell}>" for name in header) + "</tr>"
    rows = ""
    for number, (title, asked, answered, status) in enumerate(ROWS):
        cells = [str(number + 1)] * len(header)  # 序号
        for value, column in zip((f'<a href="detail_{number}.html">{title}</a>', asked, answered, status), order):
            cells[column] = value
        rows += "<tr>" + "".join(f"<td>{value}</td>" for value in cells) + "</tr>"

    found = messages(f"<table>{head}{rows}</table>")

    assert summary(found) == EXPECTED
    assert found[1].url == BASE + "detail_1.html"


def test_message_table_in_thead_and_tbody_with_times_and_year_less_dates() -> None:
    found = messages(
        "<table><thead><tr><th>主题</th><th>留言日期</th><th>回复日期</th></tr></thead><tbody>"
        '<tr><td><a href="d1.html">冬季供暖</a></td><td>12-30 10:20</td><td>01-02 09:00</td></tr>'
        '<tr><td><a href="d2.html">道路积水</a></td><td>2025/12/28</td><td></td></tr></tbody></table>',
        as_of=date(2026, 1, 5),
    )

    assert summary(found) == [("冬季供暖", "2025-12-30", "2026-01-02", None, True), ("道路积水", "2025-12-28", None, None, None)]


def test_rows_without_title_are_skipped() -> None:
    found = messages("<table><tr><th>标题</th><th>留言时间</th><th>状态</th></tr>"
                     '<tr><td colspan="3"></td></tr>'
                     '<tr><td><a href="d.html">噪音扰民</a></td><td>2026-10-02</td><td>已答复</td></tr></table>')

    assert summary(found) == [("噪音扰民", "2026-10-02", None, "已答复", True)]


def test_table_without_message_headers_is_no_message_list() -> None:
    assert messages("<table><tr><th>名称</th><th>发布日期</th></tr><tr><td><a href='a.html'>关于某事的通知</a></td>"
                    "<td>2026-10-02</td></tr></table>") == []


def test_label_value_rows_are_not_a_header() -> None:
    found = messages(
        "<table><tr><td>留言标题</td><td>咨询学区划分</td></tr>"
        "<tr><td>留言时间</td><td>2026-10-02</td><td>答复时间</td><td>2026-10-05</td></tr>"
        "<tr><td>留言内容</td><td>请问今年学区如何划分？</td></tr><tr><td>答复内容</td><td>详见教育局公告。</td></tr></table>"
    )

    assert summary(found) == [("咨询学区划分", "2026-10-02", "2026-10-05", None, True)]


BLOCK = ('<div class="msg"><h4><a href="detail_{n}.html">{title}</a></h4><p>留言人：张**　留言时间：{asked}</p>'
         "<p>{reply}</p></div>")


def test_repeated_labelled_blocks() -> None:
    body = '<div class="msglist">' + "".join([
        BLOCK.format(n=1, title="关于小区供暖问题的咨询", asked="2026-10-01 09:12", reply="答复时间：2026-10-03　状态：已回复"),
        BLOCK.format(n=2, title="农村公路养护问题", asked="2026-09-15", reply="状态：办理中"),
        BLOCK.format(n=3, title="学区划分咨询", asked="[09-02]", reply="回复时间：09-05 已回复"),
        BLOCK.format(n=4, title="公积金贷款额度", asked="2026年8月3日", reply="尚未答复"),
    ]) + "</div>"

    found = messages(body)

    assert summary(found) == [
        ("关于小区供暖问题的咨询", "2026-10-01", "2026-10-03", "已回复", True),
        ("农村公路养护问题", "2026-09-15", None, "办理中", False),
        ("学区划分咨询", "2026-09-02", "2026-09-05", "已回复", True),
        ("公积金贷款额度", "2026-08-03", None, "尚未答复", False),
    ]
    assert [m.url for m in found] == [f"{BASE}detail_{n}.html" for n in range(1, 5)]


def test_labelled_blocks_without_links_take_the_title_label() -> None:
    body = "".join(
        f"<li>标题：{title}<br>来信时间：{asked}<br>回复时间：{answered}</li>"
        for title, asked, answered in (("咨询：学区划分问题", "2026-10-01", "2026-10-02"), ("道路积水问题", "2026-09-01", "无"))
    )

    assert summary(messages(f"<ul>{body}</ul>")) == [
        ("咨询：学区划分问题", "2026-10-01", "2026-10-02", None, True),
        ("道路积水问题", "2026-09-01", None, None, None),
    ]
    assert messages(f"<ul>{body}</ul>")[0].url is None


def test_detail_page_with_text_labels_not_yet_answered() -> None:
    body = ('<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/hdjl/">互动交流</a></div>'
            "<h1>关于某路段夜间施工噪音扰民的投诉</h1>"
            "<p>编号：20261002001　来信时间：2026-10-02 21:05　办理状态：办理中</p>"
            "<p>来信内容：某路段夜间施工噪音很大，请相关部门处理。</p>"
            "<p>答复内容：</p>")

    found = extract_messages(page(body), BASE + "detail_9.html", AS_OF)

    assert found == [Message("关于某路段夜间施工噪音扰民的投诉", BASE + "detail_9.html", "2026-10-02", None, "办理中", False)]


def test_detail_page_with_a_reply_but_no_reply_time() -> None:
    body = ("<dl><dt>留言主题</dt><dd>咨询高龄津贴申领条件</dd><dt>留言时间</dt><dd>2026-09-19</dd>"
            "<dt>留言内容</dt><dd>请问高龄津贴如何申领？</dd><dt>回复内容</dt><dd>请携带身份证到社区办理。</dd></dl>")

    assert summary(messages(body)) == [("咨询高龄津贴申领条件", "2026-09-19", None, None, True)]


def test_detail_page_saying_no_reply_yet() -> None:
    body = ("<table><tr><th>标题</th><td>咨询高龄津贴</td></tr><tr><th>提问时间</th><td>2026-09-19</td></tr>"
            "<tr><th>问题描述</th><td>如何申领？</td></tr><tr><th>答复意见</th><td>暂无答复</td></tr></table>")

    assert summary(messages(body)) == [("咨询高龄津贴", "2026-09-19", None, None, False)]


def test_plain_list_with_status_words() -> None:
    body = ("<ul class='list'>"
            '<li><a href="d1.html">关于小区供暖问题的咨询</a><span class="zt">已回复</span><span>2026-10-01</span></li>'
            '<li><a href="d2.html">农村公路养护问题的反映</a><span class="zt">待回复</span><span>2026-09-15</span></li>'
            '<li><a href="d3.html">学区划分问题咨询一下</a><span class="zt">已办结</span><span>2026-09-02</span></li></ul>')

    assert summary(messages(body)) == [
        ("关于小区供暖问题的咨询", "2026-10-01", None, "已回复", True),
        ("农村公路养护问题的反映", "2026-09-15", None, "待回复", False),
        ("学区划分问题咨询一下", "2026-09-02", None, "已办结", True),
    ]


def test_news_list_is_no_message_list() -> None:
    assert extract_messages(fixture("demo_tzgg_first.html"), f"{DEMO}/tzgg/", AS_OF) == []


def test_title_words_are_not_statuses() -> None:
    body = ("<ul class='list'><li><a href='a.html'>某县已办结信访事项情况通报</a><span>2026-10-01</span></li>"
            "<li><a href='b.html'>关于办理中的建议提案情况说明</a><span>2026-09-01</span></li></ul>")

    assert messages(body) == []
