"""PII-1: 泄露个人信息 — a page or attachment publishes an ID, mobile or bank card number unmasked.

Judged on the numbers the extraction found (``facts["personal_data"]``, already masked: no full number is ever
stored or repeated). Not findings: numbers in a list the law requires to be published with them (失信被执行人,
重大税收违法 …: the pack's exempt_sections, named by the list's section, the page title, or an attachment's link
text or the title of the page linking it), and a mobile labelled as a published contact (联系电话 …) unless its
table row also holds an ID number (a person's record, not a contact). An attachment of a kind that is read but
could not be read is not judged: the verdict waits for it rather than pass it unread.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from urllib.parse import urlsplit

from govmon.checks.context import Context
from govmon.checks.rule import Draft, Rule, judges
from govmon.checks.snapshot import FetchedPage, Snapshot, parsed
from govmon.facts.attachment_text import A_WEB_PAGE

SOURCE_19 = "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》"

PII_1 = Rule(
    id="PII-1", cls="veto", title="泄露个人信息",
    summary="A page or attachment publishes a 居民身份证号, mobile or bank card number unmasked.",
    why="Publishing a citizen's ID, phone or bank number exposes them to fraud; 19号 vetoes a site that leaks "
        "personal information, and the law forbids publishing it without need.",
    source=f"{SOURCE_19}“单项否决”（泄露个人信息）；《中华人民共和国政府信息公开条例》第十五条；"
           "《中华人民共和国个人信息保护法》第二十五条",
    fix="立即删除或遮蔽页面及附件中的身份证号码、手机号码、银行卡号等个人信息（如530102********1234），"
        "并清理搜索引擎快照",
    settings=("attachment_max_bytes",),
    example="页面公开了2个未脱敏的个人信息（身份证号码1个、手机号码1个）：530102********1234、138****1234",
)
RULES = (PII_1,)

KIND_NAMES = {"id_card": "身份证号码", "mobile": "手机号码", "bank_card": "银行卡号"}
_SHOWN = 5
_CELL_ROW = re.compile(r"\d+$")


def _row_of(where: dict) -> tuple | None:
    """The table row a number sits in (a page's or document's table, a sheet's row, a csv row), else None."""
    if "table" in where and "row" in where:
        return "table", where["table"], where["row"]
    if "sheet" in where and (row := _CELL_ROW.search(str(where.get("cell", "")))):
        return "sheet", where["sheet"], row.group()
    if "row" in where:
        return "row", where["row"]
    return None


def where_text(where: dict) -> str:
    """Where a number is, in Chinese: 表1第3行第4列, Sheet1!D5, 第3页, 第2段, 第7行, 第4个文本块."""
    if "sheet" in where:
        return f"{where['sheet']}!{where.get('cell', '')}"
    if "table" in where:
        return f"表{where['table']}第{where.get('row')}行第{where.get('column')}列"
    if "row" in where:
        return f"第{where['row']}行第{where.get('column')}列"
    for key, label in (("page", "第{}页"), ("paragraph", "第{}段"), ("line", "第{}行"), ("block", "第{}个文本块")):
        if key in where:
            return label.format(where[key])
    return ""


def _any_word(texts: list[str], words: list[str]) -> bool:
    return any(word in text for text in texts if text for word in words)


def _published(entries: list[dict], names: list[str], settings) -> list[dict]:
    """The entries that are personal data published without cause: of a judged kind, in no exempt list (named by
    the entry's section or by ``names``: the page title, an attachment's link texts), no mobile published as a
    contact."""
    exempt, contacts = settings.words("exempt_sections"), settings.words("contact_labels")
    id_rows = {_row_of(e.get("where") or {}) for e in entries if e.get("kind") == "id_card"} - {None}
    found = []
    for entry in entries:
        if entry.get("kind") not in settings.words("kinds") or _any_word([entry.get("section") or "", *names], exempt):
            continue
        contact = entry["kind"] == "mobile" and _any_word([entry.get("label") or ""], contacts)
        if contact and _row_of(entry.get("where") or {}) not in id_rows:
            continue
        found.append(entry)
    return found


def _draft(target: str, title: str, entries: list[dict], cap: int) -> Draft:
    kinds = Counter(entry["kind"] for entry in entries)
    masked = [entry["masked"] for entry in entries]
    counted = "、".join(f"{KIND_NAMES[kind]}{n}个" for kind, n in kinds.items())
    section = next((entry["section"] for entry in entries if entry.get("section")), None)
    return Draft(rule="PII-1", target=target, evidence={
        "reason": "personal_data", "status": None,
        "detail": f"公开了{len(entries)}个未脱敏的个人信息（{counted}）：{'、'.join(masked[:_SHOWN])}"
                  + ("等" if len(masked) > _SHOWN else ""),
        "numbers": len(entries), "kinds": dict(kinds), "section": section, "page_title": title,
        "masked": masked[:_SHOWN],
        # where they are, in words (表1第3行“身份证号码”列, Sheet1!D5, 第3页): a report's 问题位置
        "location": "、".join(dict.fromkeys(where_text(entry.get("where") or {}) for entry in entries[:_SHOWN]))
                    + ("等" if len(entries) > _SHOWN else "")},
        places=[{"page": target, "title": title, "tag": entry["kind"], "attr": where_text(entry.get("where") or {}),
                 "text": (f"{entry['label']}：" if entry.get("label") else "") + entry["masked"]}
                for entry in entries[:cap]],
        places_total=len(entries))


def _referrers(snapshot: Snapshot) -> dict[str, tuple[list[str], list[str]]]:
    """Attachment URL key → (the texts of the links to it, the titles of the pages linking it)."""
    found: dict[str, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for source_id, target, _tag, _attr, text, _kind, _internal in snapshot.links:
        texts, titles = found[snapshot.key(target)]
        texts.append(text or "")
        source = snapshot.by_id.get(source_id)
        titles.append((source.title or "") if source else "")
    return found


def _unread(page: FetchedPage, extensions: list[str]) -> str | None:
    """Why an attachment of a read kind, fetched fine, was not read; None when it was read or is not judged."""
    extension = urlsplit(page.url).path.rsplit("/", 1)[-1].rpartition(".")[2].lower()
    fetched = page.status is not None and page.status < 400 and not page.error_kind
    if extension not in extensions or not fetched or "read" in page.facts:
        return None
    if page.facts.get("read_error") == A_WEB_PAGE or "html" in (page.content_type or "").lower():
        return None  # an error page where the file should be: a broken link (LINK-3), no file to read
    return page.facts.get("read_error") or "未读取"


@judges(PII_1)
def check_pii_1(snapshot: Snapshot, context: Context) -> list[Draft]:
    """One draft per page or attachment publishing personal numbers; unread attachments noted as not judged."""
    settings, cap = context.pack.rule("PII-1"), context.pack.report.places_cap
    referrers = _referrers(snapshot)
    drafts, unread = [], []
    for page in snapshot.pages:
        if page.kind == "attachment":
            if (why := _unread(page, settings.words("attachment_kinds"))) is not None:
                unread.append(f"{page.url}（{why}）")
                continue
            texts, titles = referrers.get(snapshot.key(page.url), ([], []))
            title, names = next(iter(titles), ""), [page.facts.get("link_text") or "", *texts, *titles]
        elif parsed(page):
            title = page.title or page.facts.get("title") or ""
            names = [title]
        else:
            continue
        entries = _published(list(page.facts.get("personal_data") or []), names, settings)
        if entries:
            drafts.append(_draft(page.url, title, entries, cap))
    if unread:
        context.cannot_judge("PII-1", f"{len(unread)}个附件未能读取，未判断其中的个人信息："
                                      f"{'、'.join(unread[:_SHOWN])}" + ("等" if len(unread) > _SHOWN else ""))
    return drafts
