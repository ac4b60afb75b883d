"""Site identity from the footer: 网站标识码, ICP备案编号, 公安机关备案号, 主办单位, 联系方式.

Matched on the visible text (one line per block, so labels never run together),
falling back to the string literals of inline scripts for footers written by
document.write. When a page carries the footer twice (desktop and mobile), the last
occurrence wins: footers come after any article text that mentions the same labels.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from crawler.extract.document import Document

_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼滇黔蜀陇"
# Digits possibly split by single spaces ("5300 0000 33"), never across a line.
_SPACED_DIGITS = r"\d+(?: \d+)*"
# Between a label and its value: a colon, spaces, or the line break between two table cells.
_LABEL_GAP = r"(?: *[:：] *\n?| *\n| +) *"

_SITE_CODE = re.compile(
    rf"(?:网站标识码|网站识别码|标识码)(?:{_LABEL_GAP})?(?P<code>(?:[bB][mM] ?)?{_SPACED_DIGITS})"
)
_SITE_CODE_DIGITS = 10
_BM_CODE_DIGITS = 8

_ICP = re.compile(
    rf"(?P<province>[{_PROVINCES}]) *ICP *(?P<kind>[备证]) *[:：]? *"
    rf"(?P<number>{_SPACED_DIGITS}(?= *号)|\d+) *(?P<hao>号)?(?P<suffix>[-－]\d+)?",
    re.IGNORECASE,
)

_POLICE_PROVINCIAL = re.compile(
    rf"(?P<province>[{_PROVINCES}])公网安备 *[:：]? *(?P<number>{_SPACED_DIGITS}) *(?P<hao>号)?"
)
_POLICE_LABELLED = re.compile(
    rf"(?:公安机关备案号|公安备案号|公网安备案号)(?:{_LABEL_GAP})?(?P<number>{_SPACED_DIGITS})"
)
_POLICE_DIGITS = 14

_STOP_LABELS = (
    r"运行维护|运维|技术维护|网站维护|承办|协办|技术支持|联系电话|电话|联系方式|联系我们|地址|"
    r"邮编|邮箱|[Ee]-?mail|传真|网站标识码|网站识别码|标识码|公安机关备案|"
    rf"[{_PROVINCES}]?ICP|[{_PROVINCES}]?公网安备|版权|Copyright|©|建议使用|网站地图"
)
# The value ends at the next label, a separator (| or a line break) or a wide gap.
_SPONSOR = re.compile(
    rf"(?:主办单位|网站主办|主办){_LABEL_GAP}(?P<value>[^\n|｜]+?)"
    rf"(?= {{2,}}| *[|｜\n]| *(?:{_STOP_LABELS})|$)"
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


def _site_code(text: str) -> str | None:
    matches = list(_SITE_CODE.finditer(text))
    if not matches:
        return None
    code = matches[-1]["code"]
    if code[:2].lower() == "bm":
        return "bm" + _join_digits(code[2:], _BM_CODE_DIGITS)
    return _join_digits(code, _SITE_CODE_DIGITS)


def _icp(text: str) -> str | None:
    matches = list(_ICP.finditer(text))
    if not matches:
        return None
    match = matches[-1]
    number = "".join(match["number"].split())
    suffix = (match["suffix"] or "").replace("－", "-")
    return f"{match['province']}ICP{match['kind']}{number}{match['hao'] or ''}{suffix}"


def _police_record(text: str) -> str | None:
    provincial = list(_POLICE_PROVINCIAL.finditer(text))
    if provincial:
        match = provincial[-1]
        number = _join_digits(match["number"], _POLICE_DIGITS)
        return f"{match['province']}公网安备{number}{match['hao'] or ''}"
    labelled = list(_POLICE_LABELLED.finditer(text))
    if labelled:
        return _join_digits(labelled[-1]["number"], _POLICE_DIGITS)
    return None


def _sponsor(text: str) -> str | None:
    for match in reversed(list(_SPONSOR.finditer(text))):
        value = match["value"].strip(_SPONSOR_STRIP)
        if value:
            return value
    return None


def _contact(text: str) -> str | None:
    """The last contact shown; a space inside a phone number ("0871-6361 2345") is dropped."""
    matches = list(_CONTACT.finditer(text))
    return re.sub(r"(?<=\d) (?=\d)", "", matches[-1]["value"]) if matches else None


_FINDERS: dict[str, Callable[[str], str | None]] = {
    "site_code": _site_code,
    "icp": _icp,
    "police_record": _police_record,
    "sponsor": _sponsor,
    "contact": _contact,
}


def extract_identity(document: Document) -> dict[str, str | None]:
    """Return site_code, icp, police_record, sponsor and contact as shown, normalised, or None.

    The site code is returned even when malformed (a rule judges its shape).
    """
    found: dict[str, str | None] = {}
    for key, finder in _FINDERS.items():
        value = finder(document.visible_text)
        if value is None and document.inline_scripts:
            value = finder(document.script_text)
        found[key] = value
    return found


def extract_site_meta(document: Document) -> dict[str, str | None]:
    """Return site_name, site_domain and site_code_meta from the SiteName/SiteDomain/SiteIDCode meta."""
    return {
        "site_name": document.meta.get("sitename") or None,
        "site_domain": document.meta.get("sitedomain") or None,
        "site_code_meta": document.meta.get("siteidcode") or None,
    }
