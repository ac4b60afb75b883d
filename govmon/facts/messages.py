"""Messages (留言) of a consultation column with their 留言时间, 答复时间 and status.

Shapes, tried in order: tables with header cells (标题 / 留言时间 / 答复时间 / 状态 in any
order, in <th> or the first row), repeated blocks with labels ("留言时间：2026-10-01 …
答复时间：2026-10-03"), a single message's detail page (留言内容 and 答复内容), and a
plain list whose entries show a status word (已回复, 办理中) beside one date, taken as
the 留言时间.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from lxml import etree

from govmon.facts.document import INVISIBLE_TAGS, Document, normalise_space
from govmon.facts.list_items import (
    document_base,
    find_date,
    full_dates,
    list_entries,
    reference_date,
    resolve_href,
    visible_text_of,
)
from govmon.facts.title import extract_title


@dataclass(frozen=True, slots=True)
class Message:
    """One message: asked / answered are ISO dates; status as shown; replied is None when nothing says."""

    title: str
    url: str | None
    asked: str | None
    answered: str | None
    status: str | None
    replied: bool | None


# Role → label pattern; a label names its role when it ends with the pattern ("您的留言时间").
_ROLES = (
    ("asked", r"(?:留言|提问|来信|咨询|提交|投诉|写信|诉求|来电|反映|发帖)(?:时间|日期)"),
    ("answered", r"(?:答复|回复|办结|处理|反馈|回应)(?:时间|日期)"),
    ("status", r"(?:办理|回复|答复|处理|办结)?状态"),
    ("title", r"(?:留言|信件|来信|咨询|问题|诉求|投诉)?(?:标题|主题)"),
    ("question", r"(?:留言|来信|咨询|问题|诉求|投诉|信件)内容|问题描述"),
    ("reply", r"(?:答复|回复|办理|处理)(?:内容|意见|结果)"),
)
_ROLE_AT_END = tuple((role, re.compile(f"(?:{pattern})$")) for role, pattern in _ROLES)
_ASKED_LABEL = re.compile(_ROLES[0][1])
# A detail page names its question or its reply; most pages name neither and skip reading labels.
_CONTENT_LABEL = re.compile(f"{dict(_ROLES)['question']}|{dict(_ROLES)['reply']}")
_COLON_LABEL = re.compile(r"(?P<name>[\u4e00-\u9fff]{2,8})\s*[:：]")
_LINE_LABEL = re.compile(
    r"^[ \t]*(?P<name>" + "|".join(pattern for _, pattern in _ROLES) + r")[ \t]*[:：]?[ \t]*$", re.MULTILINE
)
_LIST_ROLES = frozenset(("asked", "answered", "status"))
_PENDING = re.compile(
    r"未回复|未答复|待回复|待答复|尚未回复|尚未答复|暂未回复|暂无答复|暂无回复|办理中|处理中|未办结|待处理|未处理|"
    r"受理中|已受理|转办中|正在办理|待办理|审核中|待审核|未反馈"
)
_REPLIED = re.compile(r"已回复|已答复|已办结|已处理|已反馈|已回应|已完成|已解决|已办理|办结")
_HEADER_ROWS = 3


def _role(label: str) -> tuple[str, int] | None:
    """(role, offset of the role's words in label) for a label such as 留言时间 or 您的留言时间."""
    for role, pattern in _ROLE_AT_END:
        match = pattern.search(label)
        if match:
            return role, match.start()
    return None


def _labelled(text: str) -> dict[str, str]:
    """Values of labelled fields in text with one line per block: "留言时间：…" or a label alone on its line.

    A value runs to the next label; an unknown label ("留言人：") ends a value only at a line
    start or after a space, so "标题：咨询：学区划分" keeps its whole title.
    """
    marks: dict[int, tuple[int, str | None]] = {}
    for match in _COLON_LABEL.finditer(text):
        role = _role(match["name"])
        if role:
            marks[match.start() + role[1]] = (match.end(), role[0])
        elif match.start() == 0 or text[match.start() - 1].isspace():
            marks[match.start()] = (match.end(), None)
    for match in _LINE_LABEL.finditer(text):
        role = _role(match["name"])
        marks.setdefault(match.start("name"), (match.end(), role[0] if role else None))
    starts = sorted(marks)
    values: dict[str, str] = {}
    for index, start in enumerate(starts):
        end, role = marks[start]
        if role and role not in values:
            stop = starts[index + 1] if index + 1 < len(starts) else len(text)
            values[role] = text[end:stop].strip()
    return values


def _first_line(value: str | None) -> str | None:
    if not value:
        return None
    line = normalise_space(value.split("\n", 1)[0])
    return line or None


def _replied(answered: str | None, status: str | None) -> bool | None:
    if answered:
        return True
    if status:
        if _PENDING.search(status):
            return False
        if _REPLIED.search(status):
            return True
    return None


class _Reader:
    """Reads the messages of one parsed page."""

    def __init__(self, document: Document, as_of: datetime.date | None) -> None:
        self.document = document
        self.base = document_base(document)
        self.reference = reference_date(document, as_of)

    def iso(self, text: str | None) -> str | None:
        found = find_date(text, self.reference, leading=True) if text else None
        return found.date.isoformat() if found and found.date else None

    def message(self, title: str, url: str | None, asked: str | None, answered: str | None,
                status: str | None) -> Message:
        asked_date, answered_date = self.iso(asked), self.iso(answered)
        return Message(title, url, asked_date, answered_date, status, _replied(answered_date, status))

    def link_url(self, link: etree._Element | None) -> str | None:
        return resolve_href(link.get("href"), self.base) if link is not None else None

    # --- tables

    @staticmethod
    def _cells(row: etree._Element) -> list[etree._Element]:
        return [cell for cell in row if cell.tag in ("td", "th")]

    def _header(self, rows: list[etree._Element]) -> tuple[int, dict[str, int]] | None:
        """(row index, role → column) of a header row naming a time or status column and one more role."""
        for index, row in enumerate(rows[:_HEADER_ROWS]):
            texts = [visible_text_of(cell).strip(":： ") for cell in self._cells(row)]
            if any(full_dates(text) for text in texts):
                continue
            columns: dict[str, int] = {}
            for column, text in enumerate(texts):
                role = _role(text.rstrip("↑↓▲▼ "))
                if role and role[0] not in columns:
                    columns[role[0]] = column
            if len(columns) >= 2 and _LIST_ROLES.intersection(columns):
                return index, columns
        return None

    def from_tables(self) -> list[Message]:
        messages = []
        for table in self.document.root.iter("table"):
            rows = table.xpath("./tr|./thead/tr|./tbody/tr")
            header = self._header(rows)
            if header is None:
                continue
            start, columns = header
            for row in rows[start + 1:]:
                cells = self._cells(row)
                title_cell = _cell(cells, columns, "title")
                links = (title_cell if title_cell is not None else row).findall(".//a")
                link = max(links, key=lambda a: len(visible_text_of(a)), default=None)
                title = visible_text_of(title_cell) if title_cell is not None else ""
                title = title or (visible_text_of(link) if link is not None else "")
                if not title:
                    continue
                texts = {role: visible_text_of(found) for role in _LIST_ROLES if (found := _cell(cells, columns, role)) is not None}
                messages.append(self.message(
                    title, self.link_url(link), texts.get("asked"), texts.get("answered"), texts.get("status") or None
                ))
        return messages

    # --- labelled blocks

    def _blocks(self) -> list[etree._Element]:
        """The largest group of siblings that each hold exactly one 留言时间-style label."""
        if not _ASKED_LABEL.search(self.document.visible_text):  # the walk below finds no label either
            return []
        counts: dict[etree._Element, int] = {}
        walker = etree.iterwalk(self.document.root, events=("start", "end"))
        for event, element in walker:
            if not isinstance(element.tag, str):
                continue
            if event == "start" and element.tag in INVISIBLE_TAGS:
                walker.skip_subtree()
                continue
            text, holder = (element.text, element) if event == "start" else (element.tail, element.getparent())
            if text and holder is not None and _ASKED_LABEL.search(text):
                for node in (holder, *holder.iterancestors()):
                    counts[node] = counts.get(node, 0) + len(_ASKED_LABEL.findall(text))
        groups: dict[etree._Element, list[etree._Element]] = {}
        for element, count in counts.items():
            parent = element.getparent()
            if count == 1 and parent is not None and counts.get(parent, 0) >= 2:
                groups.setdefault(parent, []).append(element)
        if not groups:
            return []
        best = max(groups.values(), key=len)
        return [child for child in best[0].getparent() if child in best]

    def from_blocks(self) -> list[Message]:
        messages = []
        for block in self._blocks():
            values = _labelled(visible_text_of(block, lines=True))
            links = block.findall(".//a[@href]")
            link = max(links, key=lambda a: len(visible_text_of(a)), default=None)
            title = _first_line(values.get("title")) or (visible_text_of(link) if link is not None else "")
            status = _first_line(values.get("status"))
            if status is None:
                word = _PENDING.search(visible_text_of(block)) or _REPLIED.search(visible_text_of(block))
                status = word.group(0) if word else None
            asked, answered = _first_line(values.get("asked")), _first_line(values.get("answered"))
            messages.append(self.message(title, self.link_url(link), asked, answered, status))
        return messages

    # --- one message's page

    def from_detail(self) -> list[Message]:
        if not _CONTENT_LABEL.search(self.document.visible_text):
            return []
        values = _labelled(self.document.visible_text)
        if not ({"question", "reply"} & values.keys() and {"asked", "title"} & values.keys()):
            return []
        title = _first_line(values.get("title"))
        if title is None:
            heading = self.document.root.find(".//h1")
            title = visible_text_of(heading) if heading is not None else extract_title(self.document) or ""
        status = _first_line(values.get("status"))
        message = self.message(title, self.document.url, _first_line(values.get("asked")),
                               _first_line(values.get("answered")), status)
        reply = normalise_space(values.get("reply", ""))
        if message.replied is None and reply:
            message = Message(message.title, message.url, message.asked, message.answered, status,
                              not _PENDING.search(reply))
        return [message]

    # --- a plain list with status words

    def from_status_list(self) -> list[Message]:
        entries = list_entries(self.document, self.reference)
        statuses = []
        for entry in entries:
            word = _PENDING.search(entry.text.replace(entry.item.title, "")) or _REPLIED.search(
                entry.text.replace(entry.item.title, ""))
            statuses.append(word.group(0) if word else None)
        if not entries or sum(status is not None for status in statuses) * 2 < len(entries):
            return []
        return [
            Message(entry.item.title, entry.item.url, entry.item.date, None, status, _replied(None, status))
            for entry, status in zip(entries, statuses)
        ]


def messages_of(document: Document, as_of: datetime.date | None = None) -> list[Message]:
    """The page's messages, from the first shape that gives any (see the module docstring)."""
    reader = _Reader(document, as_of)
    return reader.from_tables() or reader.from_blocks() or reader.from_detail() or reader.from_status_list()


def extract_messages(html: str, url: str, as_of: datetime.date | None = None) -> list[Message]:
    """Return the messages of a consultation list page, or the one message of a detail page.

    Dates without a year take theirs from as_of (else from the page's other dates).
    Raises ExtractError when the document cannot be parsed.
    """
    return messages_of(Document(html, url), as_of)


def _cell(cells: list, columns: dict[str, int], role: str) -> etree._Element | None:
    """The row's cell for a role (title, asked, answered, status), when the table has that column."""
    column = columns.get(role)
    return cells[column] if column is not None and column < len(cells) else None
