"""The text of an attachment (表格, 文档, PDF) with where each piece sits, for finding personal data in it (PII-1).

Each format is read from its content (magic bytes); the link's extension is only a hint, since sites serve .xls
files that are really xlsx, HTML or CSV. Whatever a file does to its reader ends as UnreadableAttachment with a
short Chinese reason for the report, never another exception. The work is bounded: MAX_TEXT_CHARS of text, at
most MAX_PDF_PAGES pages, MAX_UNZIPPED_BYTES inside a zip, SUBPROCESS_TIMEOUT for the Word readers.

Segments are not masked here: they stay in memory, and personal_data_in masks whatever it keeps.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import subprocess
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from govmon.facts.encoding import decode_html

MAX_TEXT_CHARS = 2_000_000
MAX_PDF_PAGES = 300
MAX_UNZIPPED_BYTES = 200_000_000  # what an xlsx/docx may inflate to: a zip bomb is refused, not inflated
SUBPROCESS_TIMEOUT = 20  # seconds for antiword / catdoc on one file
TITLE_MAX_CHARS = 60  # a short first line or cell is the document's title (its section), a longer one is text
HEADER_CELL_MAX_CHARS = 30

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"
BIFF_BOF = (b"\x09\x08", b"\x09\x04", b"\x09\x02", b"\x09\x00")  # a bare BIFF stream, no OLE container
# The extensions each format also goes by: a WPS 表格 .et is an xls or an xlsx, a WPS 文字 .wps a doc.
ALIASES = {"xls": ("xls", "et"), "xlsx": ("xlsx", "et"), "doc": ("doc", "wps"), "rtf": ("rtf", "doc", "wps"),
           "csv": ("csv",), "txt": ("txt",), "docx": ("docx",), "pdf": ("pdf",)}
FORMAT_NAMES = {"xls": "Excel（xls）", "xlsx": "Excel（xlsx）", "csv": "CSV", "docx": "Word（docx）",
                "doc": "Word（doc）", "rtf": "RTF", "pdf": "PDF", "txt": "文本"}
SPREADSHEET_HINTS = ("xls", "xlsx", "et", "csv")
DEFAULT_SHEET_NAME = re.compile(r"^(sheet|工作表)\s*\d*$", re.IGNORECASE)
LONG_DIGITS = re.compile(r"\d{6}")
HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|title)\b",
                        re.IGNORECASE | re.DOTALL)


class Segment(NamedTuple):
    """One piece of an attachment's text: where it is, the text, its column header, the list it is in."""

    where: dict[str, Any]
    text: str
    label: str | None
    section: str | None


@dataclass(frozen=True)
class Reading:
    """An attachment read: its format (the detected one, named by the extension when that is one of its names),
    its segments in document order, and whether text was left unread (MAX_TEXT_CHARS or MAX_PDF_PAGES)."""

    format: str
    segments: list[Segment]
    truncated: bool


A_WEB_PAGE = "附件实为网页"  # the reason for an "attachment" that is an HTML page: an error page, LINK-3's


class UnreadableAttachment(Exception):
    """An attachment whose text cannot be read; the message is the reason, in Chinese, for the report."""


class _Truncated:
    """Yielded by a reader that stops before the end of its file (the page cap)."""


TRUNCATED = _Truncated()

Piece = Segment | _Truncated
Place = Callable[[int, int], dict[str, Any]]


def read_attachment(data: bytes, extension: str) -> Reading:
    """Read an attachment's text. Raises UnreadableAttachment("附件实为网页" | "文件已加密" | "无法解析：…")."""
    hint = extension.lower().lstrip(".")
    family = _family(data, hint)
    try:
        segments, truncated = _collect(READERS[family](data))
    except UnreadableAttachment:
        raise
    except Exception as exc:  # a corrupt or hostile file: its reader's own message is not for the report
        reason = f"无法解析：{FORMAT_NAMES[family]}文件已损坏或格式不符（{type(exc).__name__}）"
        raise UnreadableAttachment(reason) from exc
    return Reading(hint if hint in ALIASES[family] else family, segments, truncated)


def _family(data: bytes, hint: str) -> str:
    """The format the bytes are in, whatever the extension says."""
    head = data[:1024]
    if not data:
        raise UnreadableAttachment("无法解析：文件为空")
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(OLE_SIGNATURE):
        return _ole_family(data, hint)
    if data.startswith(ZIP_SIGNATURE):
        return _zip_family(data)
    if data.startswith(b"{\\rtf"):
        return "rtf"
    if hint in ("xls", "et") and data[:2] in BIFF_BOF:
        return "xls"
    if HTML_START.match(head.removeprefix(b"\xef\xbb\xbf")):
        raise UnreadableAttachment(A_WEB_PAGE)
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableAttachment("无法解析：无法识别的文件格式")
    return "csv" if hint in SPREADSHEET_HINTS else "txt"


def _ole_family(data: bytes, hint: str) -> str:
    """xls or doc, from the stream names in an OLE compound file's directory."""
    from xlrd.compdoc import CompDoc

    try:
        names = {entry.name for entry in CompDoc(data, logfile=io.StringIO()).dirlist}
    except Exception as exc:  # a broken header, FAT or directory
        raise UnreadableAttachment("无法解析：OLE 复合文档已损坏") from exc
    if "EncryptedPackage" in names:  # a password-protected xlsx/docx
        raise UnreadableAttachment("文件已加密")
    has_book, has_word = bool(names & {"Workbook", "Book"}), "WordDocument" in names
    if has_book and (not has_word or hint in ("xls", "et")):
        return "xls"
    if has_word:
        return "doc"
    raise UnreadableAttachment("无法解析：不是表格或文档")


def _zip_family(data: bytes) -> str:
    """xlsx or docx, from the parts a zip holds; one that would inflate past MAX_UNZIPPED_BYTES is refused."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except Exception as exc:  # BadZipFile, and whatever else a hostile central directory raises
        raise UnreadableAttachment("无法解析：压缩文件已损坏") from exc
    if sum(entry.file_size for entry in entries) > MAX_UNZIPPED_BYTES:
        raise UnreadableAttachment("无法解析：解压后过大")
    names = {entry.filename for entry in entries}
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "word/document.xml" in names:
        return "docx"
    raise UnreadableAttachment("无法解析：不是表格或文档的压缩文件")


def _collect(pieces: Iterable[Piece]) -> tuple[list[Segment], bool]:
    """Take segments until MAX_TEXT_CHARS of text: the last is cut to fit and reading stops there."""
    segments: list[Segment] = []
    budget = MAX_TEXT_CHARS
    for piece in pieces:
        if isinstance(piece, _Truncated):
            return segments, True
        if len(piece.text) > budget:
            if budget:
                segments.append(piece._replace(text=piece.text[:budget]))
            return segments, True
        budget -= len(piece.text)
        segments.append(piece)
    return segments, False


# Tables (sheets, CSV, Word tables): a single short cell above a wider row is the table's title, a first row of
# short texts is its header, and each header cell is the label of the cells below it.

Row = tuple[int, list[tuple[int, str]]]  # (row number, [(column number, text)]), the empty cells left out


def _grid(rows: Iterable[Row], place: Place, section: str | None) -> Iterator[Segment]:
    """Segments of a table's non-empty cells, placed by place(row, column), labelled by their header cell."""
    rows = iter(rows)
    first = [row for _, row in zip(range(2), rows)]
    title = _title_row(first)
    header_index = 0 if title is None else 1
    labels: dict[int, str] = {}
    if len(first) > header_index and _looks_like_header(first[header_index][1]):
        labels = dict(first[header_index][1])
    unlabelled = set() if title is None else {0}  # the title and header rows are under no header
    if labels:
        unlabelled.add(header_index)
    for index, (row, cells) in enumerate([*first, *rows]):
        for column, text in cells:
            label = None if index in unlabelled else labels.get(column)
            yield Segment(place(row, column), text, label, title or section)


def _title_row(first: list[Row]) -> str | None:
    """The text of a title row: one short cell above a row of several cells."""
    if len(first) == 2 and len(first[0][1]) == 1 and len(first[1][1]) >= 2:
        text = first[0][1][0][1]
        if _is_title(text):
            return text
    return None


def _looks_like_header(cells: list[tuple[int, str]]) -> bool:
    return all(len(text) <= HEADER_CELL_MAX_CHARS and not LONG_DIGITS.search(text) for _, text in cells)


def _is_title(text: str) -> bool:
    return len(text) <= TITLE_MAX_CHARS and not LONG_DIGITS.search(text)


def _cell_text(value: Any) -> str:
    """A cell value as the sheet shows it: integral numbers without ".0", midnight datetimes as dates."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value).strip()


def _column_name(column: int) -> str:
    """1 → A, 27 → AA."""
    name = ""
    while column:
        column, remainder = divmod(column - 1, 26)
        name = chr(65 + remainder) + name
    return name


def _sheet_section(name: str) -> str | None:
    """A sheet's own name says what list it is ("失信名单"); a default "Sheet1" says nothing."""
    name = name.strip()
    return None if not name or DEFAULT_SHEET_NAME.match(name) else name


def _sheet_place(sheet: str) -> Place:
    return lambda row, column: {"sheet": sheet, "cell": f"{_column_name(column)}{row}"}


def _read_xlsx(data: bytes) -> Iterator[Segment]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()  # a wrong <dimension> would hide rows from a read-only sheet
            yield from _grid(_xlsx_rows(sheet), _sheet_place(sheet.title), _sheet_section(sheet.title))
    finally:
        workbook.close()


def _xlsx_rows(sheet) -> Iterator[Row]:
    for cells in sheet.iter_rows():
        placed = [(cell.row, cell.column, _cell_text(cell.value)) for cell in cells if getattr(cell, "row", None)]
        row = [(column, text) for _, column, text in placed if text]
        if row:
            yield placed[0][0], row


def _read_xls(data: bytes) -> Iterator[Segment]:
    import xlrd

    try:
        workbook = xlrd.open_workbook(file_contents=data, on_demand=True)
    except xlrd.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise UnreadableAttachment("文件已加密") from exc
        raise
    try:
        for index in range(workbook.nsheets):
            sheet = workbook.sheet_by_index(index)
            yield from _grid(_xls_rows(sheet), _sheet_place(sheet.name), _sheet_section(sheet.name))
            workbook.unload_sheet(index)
    finally:
        workbook.release_resources()


def _xls_rows(sheet) -> Iterator[Row]:
    for index in range(sheet.nrows):
        row = [(column, text) for column, value in enumerate(sheet.row_values(index), 1) if (text := _cell_text(value))]
        if row:
            yield index + 1, row


def _read_csv(data: bytes) -> Iterator[Segment]:
    text = _decoded(data)
    delimiter = "\t" if "\t" in text[:2000] and "," not in text[:2000] else ","
    rows = (
        (number, [(column, cell.strip()) for column, cell in enumerate(cells, 1) if cell.strip()])
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1)
    )
    yield from _grid((row for row in rows if row[1]), lambda row, column: {"row": row, "column": column}, None)


def _decoded(data: bytes) -> str:
    """Text in UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030, told apart as decode_html does."""
    return decode_html(data, None)[0].lstrip("\ufeff")


def _read_txt(data: bytes) -> Iterator[Segment]:
    lines = _decoded(data).splitlines()
    title = _document_title(lines)
    for number, line in enumerate(lines, 1):
        if line.strip():
            yield Segment({"line": number}, line.strip(), None, title)


def _document_title(texts: Iterable[str]) -> str | None:
    """The first non-empty line when it is short: a notice's title ("关于…的公示") says what list follows."""
    first = next((text.strip() for text in texts if text.strip()), None)
    return first if first is not None and _is_title(first) else None


def _read_docx(data: bytes) -> Iterator[Segment]:
    """Paragraphs (non-empty ones counted) and tables in document order. A paragraph's section is the last
    heading, else the document's title; a table's is the short paragraph just above it (its caption), else that."""
    import docx
    from docx.table import Table

    document = docx.Document(io.BytesIO(data))
    paragraphs = tables = 0
    title = heading = caption = None
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            tables += 1
            yield from _grid(_docx_rows(block), _table_place(tables), caption or heading or title)
            caption = None
            continue
        text = block.text.strip()
        if not text:
            continue
        paragraphs += 1
        if paragraphs == 1 and _is_title(text):
            title = text
        if _is_heading(block):
            heading = text
        caption = text if _is_title(text) else None
        yield Segment({"paragraph": paragraphs}, text, None, heading or title)


def _is_heading(paragraph) -> bool:
    style = (paragraph.style.name if paragraph.style is not None else None) or ""
    return style.lower().startswith(("heading", "title")) or style.startswith("标题")


def _table_place(table: int) -> Place:
    return lambda row, column: {"table": table, "row": row, "column": column}


def _docx_rows(table) -> Iterator[Row]:
    """A Word table's rows; a merged cell, repeated by python-docx in every grid column it spans, counts once."""
    for number, row in enumerate(table.rows, 1):
        seen: set[int] = set()
        cells = []
        for column, cell in enumerate(row.cells, 1):
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            if text := cell.text.strip():
                cells.append((column, text))
        if cells:
            yield number, cells


def _read_doc(data: bytes) -> Iterator[Segment]:
    """Word 97–2003, WPS 文字 and RTF: the lines antiword (or catdoc) prints, one paragraph each."""
    paragraphs = [line.strip() for line in _word_text(data).splitlines() if line.strip()]
    title = _document_title(paragraphs)
    for number, text in enumerate(paragraphs, 1):
        yield Segment({"paragraph": number}, text, None, title)


# antiword reads Word 97–2003 best; catdoc also reads RTF, Word 6/95 and files antiword refuses. -w 0 / -w: no
# line wrapping, so a printed line is a paragraph.
WORD_READERS = (("antiword", "-m", "UTF-8.txt", "-w", "0"), ("catdoc", "-d", "utf-8", "-w"))


def _word_text(data: bytes) -> str:
    """The text of a Word file from the first reader that prints some (both take a file, so one is written)."""
    failures = []
    with tempfile.TemporaryDirectory(prefix="govmon-doc-") as folder:
        path = Path(folder) / "attachment.doc"
        path.write_bytes(data)
        for command in WORD_READERS:
            try:
                done = subprocess.run([*command, str(path)], capture_output=True, timeout=SUBPROCESS_TIMEOUT,
                                      check=False, stdin=subprocess.DEVNULL)
            except FileNotFoundError:
                failures.append(f"未安装 {command[0]}")
                continue
            except subprocess.TimeoutExpired as exc:
                raise UnreadableAttachment(f"无法解析：{command[0]} 读取超时") from exc
            text = done.stdout.decode("utf-8", "replace")
            if done.returncode == 0 and text.strip():
                return text
            if b"encrypt" in done.stderr.lower():
                raise UnreadableAttachment("文件已加密")
            failures.append(f"{command[0]} 无法读取")
    raise UnreadableAttachment(f"无法解析：{'，'.join(failures)}")


def _read_pdf(data: bytes) -> Iterator[Piece]:
    """Page by page, a segment per line, up to MAX_PDF_PAGES. A PDF locked only against editing (an empty user
    password, common on government sites) is read; one that needs a password to open is not."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except Exception as exc:  # an unknown or unsupported cipher
            raise UnreadableAttachment("文件已加密") from exc
        if not opened:
            raise UnreadableAttachment("文件已加密")
    title = None
    for number, page in enumerate(reader.pages, 1):
        if number > MAX_PDF_PAGES:
            yield TRUNCATED
            return
        lines = [line.strip() for line in (page.extract_text() or "").splitlines() if line.strip()]
        if number == 1:
            title = _document_title(lines)
        for line in lines:
            yield Segment({"page": number}, line, None, title)


READERS: dict[str, Callable[[bytes], Iterable[Piece]]] = {
    "xlsx": _read_xlsx, "xls": _read_xls, "csv": _read_csv, "docx": _read_docx, "doc": _read_doc,
    "rtf": _read_doc, "pdf": _read_pdf, "txt": _read_txt,
}
