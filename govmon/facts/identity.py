"""Site identity from the footer: 网站标识码, ICP备案编号, 公安机关备案号, 主办单位, 联系方式.

Read from the page's footer regions (Document.footer_texts: footer containers, or the blocks
around the last run of footer markers), one line per block so labels never run together. When a
page carries two footers (desktop and mobile), the most complete one is read first and the other
fills what it lacks. The numbers may also be read from the rest of the visible text, then from
the string literals of inline scripts (footers written by document.write); the sponsor only from
footers and scripts, because articles name the 主办 of events ("由市文旅局主办的…活动").
"""

from __future__ import annotations

import re
from collections.abc import Callable

from govmon.facts.document import Document

_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼滇黔蜀陇"
# Full-width digits and Latin letters ("滇ICP备０５０００００２号") read as their ASCII forms.
_HALF_WIDTH = str.maketrans(
    "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ",
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
)
# Digits possibly split by single spaces ("5300 0000 33"), never across a line.
_SPACED_DIGITS = r"\d+(?: \d+)*"
# Between a label and its value: a colon, spaces, or the line break between two table cells.
_LABEL_GAP = r"(?: *[:：] *\n?| *\n| +) *"
_DASHES = "-－‐–—"

_SITE_CODE = re.compile(
    rf"(?:网站标识码|网站识别码|标识码)(?:为|是)?(?:{_LABEL_GAP})?(?P<code>(?:[bB][mM] ?)?{_SPACED_DIGITS})"
)
_SITE_CODE_DIGITS = 10
_BM_CODE_DIGITS = 8

# "京ICP备05070218号-1", "京ICP备案：05070218号", "京ICP备05070218-1号", "京ICP证030173号".
_ICP = re.compile(
    rf"(?P<province>[{_PROVINCES}]) *ICP *(?P<kind>[备证])(?:案号?)? *[:：]? *"
    rf"(?P<number>{_SPACED_DIGITS}(?= *号)|\d+) *(?P<early>[{_DASHES}]\d+)?(?P<hao> *号)?(?P<suffix>[{_DASHES}]\d+)?",
    re.IGNORECASE,
)

# "滇公网安备 53010202000476号", "粤公网安备号44030402003007", "京公网安备：11010202007633".
_POLICE_PROVINCIAL = re.compile(
    rf"(?P<province>[{_PROVINCES}]) *公网安备 *(?P<lead>号)? *[:：]? *(?P<number>{_SPACED_DIGITS}) *(?P<hao>号)?"
)
_POLICE_LABELLED = re.compile(
    rf"(?:公安机关备案号|公安机关备案编号|公安备案号|公网安备案号|联网备案号)(?:{_LABEL_GAP})?(?P<number>{_SPACED_DIGITS})"
)
_POLICE_DIGITS = 14

_STOP_LABELS = (
    r"运行维护|运维|技术维护|网站维护|承办|协办|主管|技术支持|联系电话|电话|联系方式|联系我们|联系地址|地址|"
    r"邮编|邮箱|[Ee]-?mail|传真|网站标识码|网站识别码|标识码|公安机关备案|备案|"
    rf"[{_PROVINCES}]?ICP|[{_PROVINCES}]?公网安备|版权|Copyright|©|建议使用|网站地图"
)
_CJK = "\u4e00-\u9fff"
# "主办单位：X", "主办：X", "主办方：X", "网站主办：X": the label starts a name run (so "X主办 Y承办" is not
# read as a label), and the value ends at the next label (a known one, or any "备案序号：" after a
# space), a separator (| or a line break) or a wide gap.
_SPONSOR_LABELLED = re.compile(
    rf"(?<![{_CJK}])(?:(?:本|政府)?网站)?主办(?:单位|方)?{_LABEL_GAP}(?P<value>[^\n|｜]+?)"
    rf"(?= {{2,}}| *[|｜\n]| *(?:{_STOP_LABELS})| +[{_CJK}]{{2,8}}[:：]|$)"
)
# "云南省人民政府办公厅主办", "X主办 Y承办", "X主办Y承办": a whole name run (bracketed parts allowed)
# right before 主办, which ends the line or is followed by a separator or the 承办 unit.
# "由X主办" and "X主办2023年…" are sentences, not footers; "网站主办 X" is a label.
_NAME_CHARS = rf"{_CJK}（）()·"
_SPONSOR_BEFORE = re.compile(
    rf"(?<![{_NAME_CHARS}])(?!由|(?:本|政府)?网站主办|本站主办)(?P<value>[{_CJK}][{_NAME_CHARS}]{{1,40}}?)主办"
    rf"(?=$|[\s|｜/,，;；。、]|[{_NAME_CHARS}]{{2,40}}?承办)",
    re.MULTILINE,
)
_SPONSOR_STRIP = " ,，;；。、.:："

_CONTACT = re.compile(
    rf"(?:联系电话|电话|联系方式|热线|电子邮箱|邮箱|[Ee]-?mail){_LABEL_GAP}"
    r"(?P<value>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
    r"|[(（]?0\d{2,3}[)）]?[ \-－]?(?:\d{7,8}|\d{3,4} \d{4})(?:[-－转]\d{1,6})?"
    r"|1[3-9]\d{9}"
    r"|400[ -]?\d{3}[ -]?\d{4}"
    r"|\d{5,8})"
)


def _join_digits(spaced: str, expected: int) -> str:
    """Join digit groups until `expected` digits are reached, so a following number is not swallowed."""
    digits = ""
    for group in spaced.split():
        digits += group
        if len(digits) >= expected:
            break
    return digits


def _site_code(code: str) -> str:
    if code[:2].lower() == "bm":
        return "bm" + _join_digits(code[2:], _BM_CODE_DIGITS)
    return _join_digits(code, _SITE_CODE_DIGITS)


def _site_codes(text: str) -> list[str]:
    return [_site_code(match["code"]) for match in _SITE_CODE.finditer(text)]


def _icps(text: str) -> list[str]:
    """ICP numbers as 京ICP备05070218号-1 (号 only when shown; a -1 before 号 moves after it)."""
    found = []
    for match in _ICP.finditer(text):
        number = "".join(match["number"].split())
        suffix = (match["early"] or match["suffix"] or "")[1:]
        hao = "号" if match["hao"] else ""
        found.append(f"{match['province']}ICP{match['kind']}{number}{hao}{'-' + suffix if suffix else ''}")
    return found


def _provincial_record(match: re.Match[str]) -> str:
    hao = "号" if match["lead"] or match["hao"] else ""
    return f"{match['province']}公网安备{_join_digits(match['number'], _POLICE_DIGITS)}{hao}"


def _police_records(text: str) -> list[str]:
    """公安机关备案号 as 滇公网安备53010202000476号 (号 when shown); labelled bare numbers only when no such form is shown."""
    provincial = [_provincial_record(match) for match in _POLICE_PROVINCIAL.finditer(text)]
    return provincial or [_join_digits(match["number"], _POLICE_DIGITS) for match in _POLICE_LABELLED.finditer(text)]


def _sponsors(text: str) -> list[str]:
    """主办 units, labelled ("主办单位：X") or named before the word ("X主办"); never the 承办 unit."""
    matches = sorted(
        (*_SPONSOR_LABELLED.finditer(text), *_SPONSOR_BEFORE.finditer(text)), key=lambda match: match.start()
    )
    return [value for match in matches if (value := match["value"].strip(_SPONSOR_STRIP))]


def _contacts(text: str) -> list[str]:
    """Phone numbers and mailboxes; a space inside a phone number ("0871-6361 2345") is dropped."""
    return [re.sub(r"(?<=\d) (?=\d)", "", match["value"]) for match in _CONTACT.finditer(text)]


# Each finder lists the values a text shows, in order.
_FINDERS: dict[str, Callable[[str], list[str]]] = {
    "site_code": _site_codes,
    "icp": _icps,
    "police_record": _police_records,
    "sponsor": _sponsors,
    "contact": _contacts,
}
# Read only from footers and scripts: elsewhere on a page these labels belong to the article.
_FOOTER_ONLY = frozenset({"sponsor"})


def _from_footers(texts: list[str]) -> dict[str, str | None]:
    """Each field from the most complete footer that shows it (the first on a tie).

    Within a footer the first value wins: a footer that holds both the desktop and the mobile
    lines lists the desktop ones first.
    """
    found = [{key: finder(text) for key, finder in _FINDERS.items()} for text in texts]
    found.sort(key=lambda fields: -sum(bool(values) for values in fields.values()))
    return {key: next((fields[key][0] for fields in found if fields[key]), None) for key in _FINDERS}


def extract_identity(document: Document) -> dict[str, str | None]:
    """Return site_code, icp, police_record, sponsor and contact as shown, normalised, or None.

    Outside the footers the last value shown wins: footers come after the article text that may
    mention the same labels. The site code is returned even when malformed (a rule judges its shape).
    """
    found = _from_footers([text.translate(_HALF_WIDTH) for text in document.footer_texts])
    if None not in found.values():
        return found
    page = document.visible_text.translate(_HALF_WIDTH)
    scripts = document.script_text.translate(_HALF_WIDTH) if document.inline_scripts else ""
    for key, finder in _FINDERS.items():
        fallbacks = ([] if key in _FOOTER_ONLY else [page]) + [scripts]
        for text in fallbacks:
            if found[key] is None and (values := finder(text)):
                found[key] = values[-1]
    return found


def extract_site_meta(document: Document) -> dict[str, str | None]:
    """Return site_name, site_domain and site_code_meta from the SiteName/SiteDomain/SiteIDCode meta."""
    return {
        "site_name": document.meta.get("sitename") or None,
        "site_domain": document.meta.get("sitedomain") or None,
        "site_code_meta": document.meta.get("siteidcode") or None,
    }
