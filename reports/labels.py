"""Chinese wording of a rectification list's codes, shared by the HTML and XLSX writers.

The document carries machine codes (reason, class, threshold status); administrators read
Chinese, and both human-facing formats must say the same thing.
"""

from __future__ import annotations

import re
from datetime import datetime

from govmon.config import CHINA_TZ

CLASS_LABELS = {"veto": "单项否决", "deduct": "扣分", "advice": "提示"}

STATE_LABELS = {"new": "新发现", "open": "未整改", "reopened": "再次出现"}

# summary.states, in the order the summaries list them
STATE_COUNT_LABELS = {**STATE_LABELS, "overdue": "已超期", "fixed": "已整改"}
NOT_RECHECKED = "本次未复查：所在页面未能获取或解析"

YES_NO = {True: "是", False: "否"}

# Said once per document, where its times start: every time shown is China time (format_time).
CHINA_TIME_NOTE = "时间均为北京时间"

FIXED_HEADING = "上次报告以来已整改"

RUN_STATUS_LABELS = {"complete": "完整", "partial": "部分完成", "failed": "失败"}

RUN_STATUS_WARNINGS = {
    "partial": "本次采集未全部完成，清单可能遗漏问题",
    "failed": "本次采集失败，清单可能遗漏问题",
}

# None: a confirmed threshold needs no remark.
THRESHOLD_STATUS_LABELS = {
    "confirmed": None,
    "seed": "阈值来自地方检查文件",
    "partial": "阈值部分未经官方文件确认，请以本地区考核细则为准",
    "default": "默认值，请以本地区考核细则为准",
}

REASON_LABELS = {
    "dns_error": "域名解析失败",
    "connection_refused": "连接被拒绝",
    "connection_reset": "连接被重置",
    "timeout": "访问超时",
    "redirect_loop": "重定向循环",
    "soft_404": "页面不存在（软404）",
    "error_page": "附件返回错误页面",
    "invalid_url": "链接地址格式错误",
    "unsupported_scheme": "链接协议无法在网页中打开",
    "unsupported_redirect": "跳转到网页无法打开的地址",
    "empty_page": "页面内容为空",
    "rate_limited": "访问频率受限，未能判断",
    "tls_error": "证书/加密连接错误",
    "render_failed": "页面渲染失败",
    "too_slow": "未在规定时间内完整打开",
    "unavailable": "首页无法访问",
    "offsite_redirect": "跳转到本网站以外的地址",
    "no_aaaa": "域名无AAAA记录",
    "ipv6_homepage": "首页IPv6访问失败",
    "ipv6_differs": "IPv6与IPv4首页不一致",
    "ipv6_pages": "二、三级页面IPv6支持度不足",
    "ipv6_claim": "标注支持IPv6但IPv6不可用",
    "ns_no_aaaa": "域名服务器无IPv6地址",
    "stale_homepage": "首页不更新",
    "stale_column": "栏目不更新",
    "blank_column": "空白栏目",
    "missing_column": "缺少必备栏目",
    "site_code": "网站标识码缺失或错误",
    "footer_item": "页脚标识信息缺失",
    "meta_tags": "文章页元数据不全",
    "no_party_mark": "缺少党政机关网站标识",
    "no_error_entry": "缺少“我为政府网站找错”入口",
    "domain": "域名不在.gov.cn下",
    "no_consultation": "无有效在线咨询渠道",
    "unanswered": "留言超期未答复",
    "answered_late": "留言超期答复",
    "undated_messages": "留言未公开时间",
    "slow_reply": "留言答复不及时",
    "late_interpretation": "政策解读发布不及时",
    "no_interpretation": "政策文件未发布解读",
    "late_publication": "信息公开不及时",
    "annual_report_missing": "年度报告缺失",
    "annual_report_late": "年度报告发布不及时",
    "release_missing": "定期发布信息缺失",
    "release_late": "定期发布信息不及时",
    "late_budget": "预决算公开不及时",
    "no_publicity_label": "未标注公开属性",
    "dormant_account": "账号长期未更新",
    "closed_account": "账号已关停",
    "no_interaction": "无有效互动功能",
    "unregistered_account": "账号未报备",
    "unlisted_account": "账号未在网站公布",
    "too_large": "文件过大，未能完整下载",
    "robots_blocked": "网站robots协议禁止访问",
    "no_answer": "无应答记录",
    "nxdomain": "域名不存在",
    "servfail": "域名服务器解析失败",
    "no_nameservers": "无可用的域名服务器",
    "other": "其他错误",
    "personal_data": "公开了未脱敏的个人信息",
    "wrong_expression": "严重表述错误",
    "hidden_link": "暗链（隐藏的违规外部链接）",
    "stuffing": "标题或关键词被植入违规内容",
    "cloaking": "对搜索引擎显示的内容与普通访问不同（疑似被劫持）",
    "guide_elements": "办事指南要素缺失",
    "no_service_entry": "首页无办事服务入口",
}

# Why a crawl stopped early (Scrapy's finish reasons): the crawler records them in English for the log.
_FINISH_LABELS = {
    "closespider_pagecount": "达到页面数上限",
    "closespider_timeout": "达到采集时长上限",
    "closespider_errorcount": "错误过多",
    "closespider_itemcount": "达到采集条目上限",
}

EVIDENCE_KEY_LABELS = {
    "status": "HTTP状态码",
    "final_url": "最终地址",
    "checked_at": "检查时间",
    "content_type": "内容类型",
    "probe": "对照的随机不存在地址",
    "similarity": "正文相似度",
    "errors": "失败原因",
    "dns_error": "解析结果",
    "address": "IPv6地址",
    "message_status": "办理状态",
    "policy_title": "对应政策文件",
    "policy": "政策文件地址",
    "latest_title": "最新发布内容",
    "newest_item": "最新一条信息",
    "mirror": "核查所用镜像",
    "columns_seen": "已识别栏目数",
    "section": "所在名单或段落",
}
# Evidence values that are reason codes, shown through reason_label.
_CODED_EVIDENCE = frozenset({"errors", "dns_error"})
_CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef]")

TAG_LABELS = {
    "a": "链接",
    "img": "图片",
    "script": "脚本",
    "link": "样式表",
    "iframe": "内嵌框架",
    "embed": "嵌入对象",
    "object": "嵌入对象",
    "source": "媒体",
    "video": "视频",
    "audio": "音频",
    "track": "字幕",
    "area": "热区链接",
    "frame": "框架",
    "style": "样式",
    "button": "按钮",
    "input": "表单按钮",
    "meta": "页面自动跳转",
    "redirect": "页面跳转",
    "ipv6": "IPv6访问",
    "mirror": "新媒体镜像",
    "dns": "域名服务器",
}

# Where the URL sits when that says more than the element: a redirect inside the page, a background image.
ATTR_LABELS = {"refresh": "页面自动跳转", "location": "脚本跳转", "style": "背景图片", "css": "背景图片"}

MEDIA_VERDICT_LABELS = {"active": "正常更新", "dormant": "长期未更新", "closed": "已关停", "unknown": "无法判断（镜像不可用）"}

NO_FINDINGS = "未发现问题"

NO_FIXED = "无已整改问题"


def reason_label(reason: str) -> str:
    """'http_404' → 'HTTP 404'; a known code → its Chinese; Chinese text unchanged; any other code (an exception's
    name, an English message) → 其他错误, since administrators read no English."""
    code = reason.removeprefix("http_")
    if code != reason and code.isdigit():
        return f"HTTP {code}"
    if reason in REASON_LABELS:
        return REASON_LABELS[reason]
    return reason if _CJK.search(reason) else REASON_LABELS["other"]


def run_reason_label(reason: str | None) -> str:
    """Why a crawl is partial or failed, in Chinese (the crawler records it in English for the log)."""
    if not reason:
        return ""
    if reason.startswith("homepage unreachable: "):
        return f"首页无法访问（{reason_label(reason.removeprefix('homepage unreachable: ').split(' ', 1)[0])}）"
    if reason.startswith("stopped early: "):
        return f"采集提前结束（{_FINISH_LABELS.get(reason.removeprefix('stopped early: '), '其他原因')}）"
    if reason.startswith("interrupted"):
        return "采集被中断"
    if reason.startswith("the crawl ended before the homepage"):
        return "未获取到首页，采集已结束"
    if reason.startswith("crawl error: "):
        return "采集程序出错"
    return reason if _CJK.search(reason) else REASON_LABELS["other"]


def state_text(finding: dict) -> str:
    """The finding's state as shown, with the note when the latest crawl could not look at it again."""
    label = STATE_LABELS[finding["state"]]
    return label if finding.get("rechecked", True) else f"{label}（{NOT_RECHECKED}）"


def evidence_lines(finding: dict) -> list[str]:
    """What the evidence adds to the finding's description, as Chinese lines: the detail and the labelled keys,
    each only when the description, the rule's title or the location do not already say it (the reason is in the
    description: a broken link's says it, any other's is the rule). A broken link's HTTP status is shown when its
    reason is not that status (a soft 404 answers 200). Other keys are for machines and stay in the JSON, as does
    a detail in English (an exception's text)."""
    evidence = finding["evidence"]
    lines = []
    status = evidence.get("status")
    if finding["rule"].startswith("LINK-") and status is not None and evidence["reason"] != f"http_{status}":
        lines.append(f"{EVIDENCE_KEY_LABELS['status']}：{status}")
    detail = evidence.get("detail")
    if detail and _CJK.search(str(detail)):
        lines.append(str(detail))
    location = location_label(finding)
    for key, value in evidence.items():
        if key in ("reason", "status", "detail") or key not in EVIDENCE_KEY_LABELS or value in (None, "", []):
            continue
        shown = _evidence_value(key, value)
        if shown != location:
            lines.append(f"{EVIDENCE_KEY_LABELS[key]}：{shown}")
    said = (finding["description"], finding["title"])
    return [line for line in dict.fromkeys(lines) if not any(line in text for text in said)]


def _evidence_value(key: str, value: object) -> str:
    values = value if isinstance(value, list) else [value]
    values = [v.get("title") or v.get("url") or "" if isinstance(v, dict) else v for v in values]
    if key in _CODED_EVIDENCE:
        values = [reason_label(str(v)) for v in values]
    elif key.endswith("_at"):
        values = [format_time(str(v)) for v in values]
    return "、".join(str(v) for v in dict.fromkeys(values))


def basis_lines(finding: dict) -> list[str]:
    """The source of the rule, plus a remark when its threshold is not confirmed."""
    remark = THRESHOLD_STATUS_LABELS[finding["threshold_status"]]
    return [finding["source"], remark] if remark else [finding["source"]]


def anchor_label(place: dict) -> str:
    """The anchor text of a place, or what kind of element it is when it has none.
    A probe's place (tag "ipv6") carries the failure's reason code as its text."""
    if place["tag"] == "ipv6":
        return f"IPv6：{reason_label(place['text'])}"
    if place["text"]:
        return str(place["text"])
    return f"（{ATTR_LABELS.get(place.get('attr', '')) or TAG_LABELS.get(place['tag'], place['tag'])}，无文字）"


def place_note(place: dict, finding: dict) -> str:
    """What a listed place adds: its anchor text, unless the description already says it (the same missing
    footer item on each of 51 pages)."""
    label = anchor_label(place)
    return "" if place["tag"] != "ipv6" and label in finding["description"] else label


def page_label(place: dict) -> str:
    """The page a place is on, as a person knows it: its title when the crawl read one."""
    return str(place.get("title") or "")


def place_url(place: dict) -> str:
    """The page of a place, without the fragment a check may add to name what is missing there."""
    page = str(place["page"])
    return page.partition("#")[0] if page.lower().startswith(("http://", "https://")) else page


def shown_url(finding: dict) -> str:
    """The finding's target as an address a person can open or must fix. A broken link's target is shown as it is
    (whatever its scheme: that is what to fix); any other target is a web URL without the fragment a check adds
    to name a thing on the page (``/#重点领域信息公开``), and a target that is no URL (an account's id, a bare
    host) shows as ''."""
    target = finding["target"]
    if finding["rule"].startswith("LINK-"):
        return str(target)
    if not isinstance(target, str) or not target.lower().startswith(("http://", "https://")):
        return ""
    return target.partition("#")[0]


def location_label(finding: dict) -> str:
    """Where the problem is, in words: what the check named (a column, an account, the name servers), else the one
    page's title. Never an internal id: a target that is no URL is only shown through these words."""
    evidence = finding["evidence"]
    if evidence.get("location"):
        return str(evidence["location"])
    if evidence.get("platform") and evidence.get("name"):
        return f"账号“{evidence['name']}”（{evidence['platform']}）"
    if evidence.get("column"):
        return f"栏目“{evidence['column']}”"
    where = finding["where"]
    if len(where) == 1 and where[0]["tag"] == "page" and place_url(where[0]) == shown_url(finding):
        return str(where[0].get("title") or where[0]["text"] or "")
    return ""


def lists_places(finding: dict) -> bool:
    """Whether the places say more than the location: not when the only place is the target's own page or the
    account's mirror."""
    where = finding["where"]
    if not where or (len(where) == 1 and where[0]["tag"] == "mirror"):  # the mirror is in the evidence
        return False
    return not (finding["where_total"] == 1 and place_url(where[0]) == shown_url(finding))


def pages_label(finding: dict) -> str:
    """'N个页面' (or N处 for what is not a page: name servers, accounts' mirrors)."""
    total = finding["where_total"]
    pages = all(place["tag"] not in ("dns", "mirror") for place in finding["where"])
    return f"{total}个页面" if pages else f"{total}处"


def more_places_label(finding: dict) -> str:
    """'等N处' when the where-list was capped, else ''."""
    total = finding["where_total"]
    return f"等{total}处" if total > len(finding["where"]) else ""


def format_time(value: str | None) -> str:
    """An ISO timestamp as 'YYYY-MM-DD HH:MM' in China time (the store keeps UTC; administrators read China's
    clock); a time without a zone as given; dates and odd values unchanged."""
    if not value:
        return ""
    text = str(value)
    if len(text) <= 10:
        return text
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    return (moment.astimezone(CHINA_TZ) if moment.tzinfo else moment).strftime("%Y-%m-%d %H:%M")


def deadline_label(deadline: str | None, note: str | None = None) -> str:
    """The 整改时限 as shown: the date, with its note (暂定, and why) when it rests on an unpublished 调休 arrangement."""
    if not deadline:
        return ""
    return f"{deadline}（{note}）" if note else deadline


def on_time_label(on_time: bool | None) -> str:
    """Whether a fixed finding was fixed by its deadline; without a deadline there is nothing to be on time for."""
    return "无整改时限" if on_time is None else YES_NO[on_time]


def fixed_since_label(since: str | None) -> str:
    """Since when the fixed section counts: the previous crawl's start unless the caller chose a moment."""
    if since is None:
        return "此前无采集记录，列出截至本次的全部已整改问题"
    return f"自 {format_time(since)} 以来已整改的问题"
