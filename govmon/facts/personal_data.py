"""Personal data a page or attachment publishes unmasked (PII-1): ID numbers, mobile numbers, bank cards.

A number counts only when it is really one: an ID number has a GB/T 2260 province prefix, a real
birth date and (18 digits) a valid GB 11643 check digit; a bank card passes Luhn and stands next to a
card word. Numbers inside longer runs (order numbers, serials, URLs, file names) and starred forms
never count. Everything stored is masked: a found number is never repeated.
"""

from __future__ import annotations

import datetime
import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree

from govmon.facts.document import BLOCK_TAGS, INVISIBLE_TAGS, Document, normalise_space

Segment = tuple[dict, str, str | None, str | None]


@dataclass(frozen=True, slots=True)
class Number:
    """One number found in a text: kind "id_card" | "mobile" | "bank_card"; start/end index the original text."""

    kind: str
    start: int
    end: int
    masked: str


MAX_ENTRIES = 200
LABEL_MAX_CHARS = 20
SECTION_MAX_CHARS = 60

PROVINCES = frozenset(
    [*range(11, 16), *range(21, 24), *range(31, 38), *range(41, 47), *range(50, 55), *range(61, 66), 71, 81, 82]
)
_CHECK_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_LATEST_BIRTH_YEAR = 2100
_EARLIEST_BIRTH_YEAR = 1900

# A number glued to letters, digits, "_", "/", "*" or "=" (or to "." / "-" joined to more of them) is part of
# something longer: an order number, a serial, a URL, a file name (t20261102_1234567.html), a starred form.
_BEFORE = r"(?<![0-9A-Za-z_/*=\\])(?<![0-9A-Za-z][.\-])"
_AFTER = r"(?![0-9A-Za-z_/*\\])(?![.\-][0-9A-Za-z])"
_ID_18 = re.compile(_BEFORE + r"\d{17}[\dXx]" + _AFTER)
_ID_15 = re.compile(_BEFORE + r"\d{15}" + _AFTER)
_BANK = re.compile(_BEFORE + r"(?:\d{16,19}|\d{4}([ \-])\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?)" + _AFTER + r"(?![ \-]\d)")
# An amount ("15000000000元") is not a mobile number.
_MOBILE = re.compile(
    _BEFORE + r"(?<!\d[ \-])(?:1[3-9]\d{9}|1[3-9]\d([ \-])\d{4}\1\d{4})" + _AFTER + r"(?![ \-]\d)(?![元万亿])"
)
# Words that make a 16–19 digit Luhn number a bank card, in its label or just before it.
_CARD_WORDS = ("银行卡", "卡号", "账号", "帐号", "账户", "帐户")
_CARD_WORD_REACH = 12
# Words of a label cell beside a number in a form-like row ("身份证号码 | 5301…").
_NUMBER_FIELD_WORDS = ("身份证", "证件", "号码", "电话", "手机", "联系", "卡号", "账号", "帐号", "账户")
_LABEL_BREAK = re.compile(r"[。；;，,、！!？?（(【\[|｜\n]")
_LABEL_TRIM = " :：\t-—为是"

_DATA_CELL_MAX_CHARS = 200
_SECTION_LINE_MAX_CHARS = 40
_HEADER_LABEL_MAX_CHARS = 20
_HEADING_TAGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6", "caption"])
_BOLD_TAGS = frozenset(["strong", "b"])
_CELL_TAGS = frozenset(["td", "th"])
_MAX_SPAN = 50
_CENTRED_STYLE = re.compile(r"text-align\s*:\s*center", re.IGNORECASE)


# ----- numbers in text


def _fold(text: str) -> str:
    """Full-width ASCII (０-９, Ｘ, －, ＊) and the ideographic space as their ASCII forms, one character each."""
    return "".join(
        unicodedata.normalize("NFKC", char) if "\uff01" <= char <= "\uff5e" or char == "\u3000" else char
        for char in text
    )


def _real_date(year: int, month: int, day: int) -> bool:
    if not _EARLIEST_BIRTH_YEAR <= year <= _LATEST_BIRTH_YEAR:
        return False
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def is_id_number(text: str) -> bool:
    """True for a resident ID number: 18 characters with a valid check digit (x or X), or a 15-digit legacy
    number; either with a GB/T 2260 province prefix and a real birth date (15 digits: 19YYMMDD)."""
    number = _fold(text).upper()
    if len(number) == 18 and number[:17].isdigit() and (number[17].isdigit() or number[17] == "X"):
        birth = number[6:14]
        total = sum(int(digit) * weight for digit, weight in zip(number[:17], _CHECK_WEIGHTS))
        if _CHECK_CHARS[total % 11] != number[17]:
            return False
    elif len(number) == 15 and number.isdigit():
        birth = "19" + number[6:12]
    else:
        return False
    return int(number[:2]) in PROVINCES and _real_date(int(birth[:4]), int(birth[4:6]), int(birth[6:]))


def luhn_ok(text: str) -> bool:
    """True when the digits pass the Luhn check bank card numbers carry."""
    digits = [int(char) for char in _fold(text) if char.isdigit()]
    if not digits:
        return False
    total = 0
    for position, digit in enumerate(reversed(digits)):
        if position % 2:
            digit *= 2
            digit -= 9 if digit > 9 else 0
        total += digit
    return total % 10 == 0


def mask(kind: str, digits: str) -> str:
    """The published-safe form: ID 530102********1234, mobile 138****1234, bank card 6222********1234."""
    digits = re.sub(r"[^0-9X]", "", _fold(digits).upper())
    if kind == "id_card":
        return digits[:6] + "*" * (len(digits) - 10) + digits[-4:]
    if kind == "mobile":
        return digits[:3] + "****" + digits[-4:]
    return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]


def _names_card(text: str | None) -> bool:
    return text is not None and any(word in text for word in _CARD_WORDS)


def find_numbers(text: str, label: str | None = None) -> list[Number]:
    """Every ID number, mobile number and bank card in text, in order. label (a column header, a cell's
    label) is what names the text: a bank card needs a card word there or within 12 characters before it."""
    folded = _fold(text)
    found: list[Number] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= low or start >= high for low, high in taken)

    def add(kind: str, match: re.Match[str]) -> None:
        found.append(Number(kind, match.start(), match.end(), mask(kind, match.group(0))))
        taken.append((match.start(), match.end()))

    for pattern in (_ID_18, _ID_15):
        for match in pattern.finditer(folded):
            if is_id_number(match.group(0)) and free(match.start(), match.end()):
                add("id_card", match)
    for match in _BANK.finditer(folded):
        before = folded[max(0, match.start() - _CARD_WORD_REACH) : match.start()]
        if free(match.start(), match.end()) and luhn_ok(match.group(0)) and (_names_card(label) or _names_card(before)):
            add("bank_card", match)
    for match in _MOBILE.finditer(folded):
        if free(match.start(), match.end()):
            add("mobile", match)
    return sorted(found, key=lambda number: number.start)


def mask_text(text: str) -> str:
    """text with every number find_numbers finds replaced by its masked form; everything else unchanged."""
    pieces: list[str] = []
    position = 0
    for number in find_numbers(text):
        pieces.append(text[position : number.start])
        pieces.append(number.masked)
        position = number.end
    pieces.append(text[position:])
    return "".join(pieces)


def _clip(text: str | None, limit: int) -> str | None:
    if not text:
        return None
    masked = mask_text(normalise_space(text))[:limit].strip()
    return masked or None


def _label_before(text: str, number: Number, previous_end: int) -> str | None:
    """The words just before the number in its text ("联系电话：138…" → "联系电话"), None when there are none."""
    before = text[previous_end : number.start]
    before = _LABEL_BREAK.split(before)[-1].strip(_LABEL_TRIM)
    return _clip(before[-LABEL_MAX_CHARS:], LABEL_MAX_CHARS)


def _entries(text: str, where: dict, label: str | None, section: str | None) -> list[dict]:
    """The facts for the numbers of one cell, block or segment; label: its column header, if any."""
    entries = []
    previous_end = 0
    for number in find_numbers(text, label):
        entries.append(
            {
                "kind": number.kind,
                "masked": number.masked,
                "where": dict(where),
                "label": _clip(label, LABEL_MAX_CHARS) or _label_before(text, number, previous_end),
                "section": _clip(section, SECTION_MAX_CHARS),
            }
        )
        previous_end = number.end
    return entries


def personal_data_in(segments: Iterable[Segment]) -> list[dict]:
    """The numbers of an attachment's text segments (where, text, label, section), capped at 200."""
    found: list[dict] = []
    for where, text, label, section in segments:
        found.extend(_entries(text, where, label, section))
        if len(found) >= MAX_ENTRIES:
            break
    return found[:MAX_ENTRIES]


# ----- tables


def _text_of(element: etree._Element) -> str:
    """Visible text of an element without scripts, styles and nested tables, whitespace-normalised."""
    parts: list[str] = []
    walker = etree.iterwalk(element, events=("start", "end"))
    for event, node in walker:
        if not isinstance(node.tag, str):
            continue
        if event == "start":
            if node.tag in INVISIBLE_TAGS or (node.tag == "table" and node is not element):
                walker.skip_subtree()  # its end event still comes, with its tail
                continue
            parts.append(" " if node.tag in BLOCK_TAGS else "")
            parts.append(node.text or "")
        elif node is not element:
            parts.append(" " if node.tag in BLOCK_TAGS else "")
            parts.append(node.tail or "")
    return normalise_space("".join(parts))


def _owning_table(element: etree._Element) -> etree._Element | None:
    return next(element.iterancestors("table"), None)


def _span(cell: etree._Element, name: str) -> int:
    value = (cell.get(name) or "").strip()
    return min(max(int(value), 1), _MAX_SPAN) if value.isdigit() else 1


@dataclass(frozen=True, slots=True)
class _Cell:
    element: etree._Element
    row: int  # 1-based among the table's own rows
    column: int  # 1-based grid column, colspans and rowspans counted
    text: str
    header: str | None  # the column header, None in the header row or without one
    beside: str | None  # the label cell just before it in its row, in form-like rows


def _grid(rows: list[etree._Element]) -> list[list[tuple[etree._Element, int]]]:
    """Each row's cells with their 0-based grid column, rowspans and colspans taken into account."""
    occupied: set[tuple[int, int]] = set()
    grid = []
    for row_index, row in enumerate(rows):
        column = 0
        placed = []
        for cell in row:
            if cell.tag not in _CELL_TAGS:
                continue
            while (row_index, column) in occupied:
                column += 1
            width = _span(cell, "colspan")
            for down in range(_span(cell, "rowspan")):
                occupied.update((row_index + down, column + across) for across in range(width))
            placed.append((cell, column))
            column += width
        grid.append(placed)
    return grid


def _is_label(text: str) -> bool:
    return 0 < len(text) <= _HEADER_LABEL_MAX_CHARS and not find_numbers(text)


def _header_row(grid: list[list[tuple[etree._Element, int]]], texts: dict) -> int | None:
    """The row of column headers: the first row of <th> cells, or of two or more short labels; a single
    title cell above it ("2026年低保对象名单") is passed over."""
    for index, cells in enumerate(grid):
        if not cells or (len(cells) == 1 and _span(cells[0][0], "colspan") > 1):
            continue
        if all(cell.tag == "th" for cell, _ in cells):
            return index
        if len(cells) < 2:
            continue
        return index if all(_is_label(texts[cell]) for cell, _ in cells) else None
    return None


def _table_cells(table: etree._Element) -> list[_Cell]:
    rows = [row for row in table.iter("tr") if _owning_table(row) is table]
    grid = _grid(rows)
    texts = {cell: _text_of(cell) for cells in grid for cell, _ in cells}
    header_index = _header_row(grid, texts)
    headers: dict[int, str] = {}
    if header_index is not None:
        for cell, column in grid[header_index]:
            for across in range(_span(cell, "colspan")):
                headers[column + across] = texts[cell]
    found = []
    for row_index, cells in enumerate(grid):
        previous: str | None = None
        for cell, column in cells:
            text = texts[cell]
            header = headers.get(column) if header_index is not None and row_index > header_index else None
            beside = previous if _names_field(previous) else None
            found.append(_Cell(cell, row_index + 1, column + 1, text, header or None, beside))
            previous = text if _is_label(text) else None
    return found


def _names_field(text: str | None) -> bool:
    return text is not None and any(word in text for word in _NUMBER_FIELD_WORDS)


def _cell_label(cell: _Cell) -> str | None:
    """The column header; in a form-like row whose "header" is data (姓名 | 张某 | …), the label cell beside it."""
    if _names_field(cell.header):
        return cell.header
    return cell.beside or cell.header


def _is_data_cell(cell: _Cell) -> bool:
    """A cell read as one unit: no nested table and short; a layout cell holding an article is read by blocks."""
    return len(cell.text) <= _DATA_CELL_MAX_CHARS and next(cell.element.iter("table"), None) is None


# ----- sections and blocks


def _block_container(element: etree._Element) -> etree._Element:
    for node in (element, *element.iterancestors()):
        if node.tag in BLOCK_TAGS:
            return node
    return element


def _in_multi_cell_row(element: etree._Element) -> bool:
    cell = next((node for node in (element, *element.iterancestors()) if node.tag in _CELL_TAGS), None)
    if cell is None:
        return False
    row = cell.getparent()
    return row is not None and sum(1 for sibling in row if sibling.tag in _CELL_TAGS) >= 2


def _is_title_cell(cell: etree._Element) -> bool:
    """The only cell of a table's first row, above other rows: the table's title ("2026年度高龄津贴发放名单")."""
    row = cell.getparent()
    table = _owning_table(cell)
    if row is None or table is None or sum(1 for sibling in row if sibling.tag in _CELL_TAGS) != 1:
        return False
    first_rows = list(itertools.islice((other for other in table.iter("tr") if _owning_table(other) is table), 2))
    return len(first_rows) == 2 and first_rows[0] is row


def _is_section_line(owner: etree._Element, text: str) -> bool:
    """A heading, a caption, or a short bold or centred line without a field label: what list follows."""
    if not text:
        return False
    container = _block_container(owner)
    if container.tag in _HEADING_TAGS or any(node.tag in _HEADING_TAGS for node in owner.iterancestors()):
        return True
    if len(text) > _SECTION_LINE_MAX_CHARS or ":" in text or "：" in text or _in_multi_cell_row(owner):
        return False
    if find_numbers(text):
        return False
    if container.tag in _CELL_TAGS and _is_title_cell(container):
        return True
    bold = next((node for node in (owner, *owner.iterancestors()) if node.tag in _BOLD_TAGS), None)
    if bold is not None and normalise_space("".join(bold.itertext())) == text:
        return True
    return container.tag == "center" or container.get("align", "").lower() == "center" or bool(
        _CENTRED_STYLE.search(container.get("style", ""))
    )


def _page_title(document: Document) -> str | None:
    title = document.root.find(".//title")
    return normalise_space("".join(title.itertext())) if title is not None else None


def personal_data_of(document: Document) -> list[dict]:
    """The numbers a page shows: table cells with their column header, row and column, and the other visible
    blocks, each with the list it is in (section); capped at 200, masked."""
    blocks = document.blocks
    block_of: dict[etree._Element, int] = {}
    for index, block in enumerate(blocks):
        block_of.setdefault(block.owner, index)
    sections: list[str | None] = []
    current = _page_title(document)
    for block in blocks:
        sections.append(current)  # the section in force before the block
        if _is_section_line(block.owner, block.text):
            current = block.text
    body = document.root.find("body")
    tables = list((body if body is not None else document.root).iter("table"))
    units: list[tuple[int, list[dict]]] = []
    covered: set[etree._Element] = set()
    for table_number, table in enumerate(tables, start=1):
        for cell in _table_cells(table):
            if not _is_data_cell(cell):
                continue
            inside = [block_of[node] for node in cell.element.iter() if node in block_of]
            covered.update(cell.element.iter())
            if not inside:
                continue
            first = min(inside)
            where = {"table": table_number, "row": cell.row, "column": cell.column}
            units.append((first, _entries(cell.text, where, _cell_label(cell), sections[first])))
    for index, block in enumerate(blocks):
        if block.owner not in covered:
            units.append((index, _entries(block.text, {"block": index + 1}, None, sections[index])))
    units.sort(key=lambda unit: unit[0])
    return [entry for _, entries in units for entry in entries][:MAX_ENTRIES]
