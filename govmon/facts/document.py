"""One parsed page shared by every extractor, so each document is parsed once."""

from __future__ import annotations

import html as html_entities
import re
from dataclasses import dataclass
from functools import cached_property

from lxml import etree


class ExtractError(ValueError):
    """The document cannot be parsed as HTML (empty, binary); the spider records a parse failure."""


class EmptyDocument(ExtractError):
    """The page answered with nothing to show (no body, or only whitespace): blank for its visitors."""


BLOCK_TAGS = frozenset(
    ["address", "article", "aside", "blockquote", "body", "br", "caption", "center", "dd", "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main", "menu", "nav", "ol", "option", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul"]
)
INVISIBLE_TAGS = frozenset(("script", "style", "noscript", "template", "head"))

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
_BINARY_SCAN_CHARS = 4096
# Pages pasted from Word carry a few stray control characters; binary bodies are full of them.
_BINARY_CONTROL_RATIO = 0.01

# Class or id of a footer container: footer, foot, bottom, copyright, ft, bq (版权) …, and the
# Chinese names some CMSs use as ids (页脚宽屏).
_FOOTER_NAME = re.compile(
    r"foot|bottom|copyright|dibu|banquan|页脚|底部|版权|(?<![a-z])(?:ft|bq|bot)(?![a-z])", re.IGNORECASE
)
# A container holding prose (a block this long without footer markers) or more than this share of a
# long page's text is a wrapper ("bg-bottom" around the article), not a footer.
_PROSE_CHARS = 120
_FOOTER_MAX_SHARE = 0.5
_FOOTER_WRAPPER_MIN_CHARS = 1000
# Text only footers carry; the blocks around the last run of them are the page's closing region.
_FOOTER_MARKER = re.compile(
    r"ICP[备证]|公网安备|公安机关备案|网站标识码|网站识别码|版权所有|Copyright|©|技术支持|运行维护", re.IGNORECASE
)
# Marker blocks at most this many blocks apart form one run; the region reaches this far beyond it,
# over lines no longer than a footer's.
_FOOTER_REACH = 4
_FOOTER_LINE_CHARS = 80

_JS_STRING = re.compile(r"""'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\]|\\.)*)`""", re.DOTALL)
_JS_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.DOTALL)
_JS_SIMPLE_ESCAPES = {"n": "\n", "r": "\n", "t": " ", "b": "", "f": "", "v": ""}
_MARKUP_BREAK = re.compile(
    r"<\s*(?:/\s*)?(?:br|p|div|li|ul|ol|tr|td|th|table|h[1-6]|dd|dt|section|footer|header)\b[^>]*>",
    re.IGNORECASE,
)
_MARKUP_TAG = re.compile(r"<[^>]*>")
_WHITESPACE_RUN = re.compile(r"\s+")


def _strip_markup(markup: str) -> str:
    """Block tags become line breaks, other tags vanish. Both patterns end at the next ">", so they run only up to
    the last one: past it no tag closes, and a run of unclosed "<" would be scanned again from each "<"."""
    end = markup.rfind(">") + 1
    return _MARKUP_TAG.sub("", _MARKUP_BREAK.sub("\n", markup[:end])) + markup[end:]


def normalise_space(text: str) -> str:
    """Collapse every run of whitespace (including full-width and no-break spaces) to one space."""
    return " ".join(text.split())


def _gap(match: re.Match[str]) -> str:
    run = match.group(0)
    wide = "\u3000" in run or (len(run) > 1 and "\u00a0" in run)
    return "  " if wide else " "


def keep_wide_gaps(text: str) -> str:
    """Like normalise_space, but a visible wide gap (full-width space, several &nbsp;) becomes two spaces.

    Footers separate fields with such gaps: "主办单位：某县人民政府办公室　　某县大数据中心".
    """
    return _WHITESPACE_RUN.sub(_gap, text).strip()


@dataclass(frozen=True, slots=True)
class Block:
    """Visible text between two block-level boundaries, and the element that holds its first piece.

    text is whitespace-normalised; layout_text keeps wide gaps (see keep_wide_gaps).
    """

    text: str
    layout_text: str
    owner: etree._Element


def parse_html(html: str) -> etree._Element:
    """Parse a page into an lxml tree, raising ExtractError when it is empty or binary."""
    if not html or not html.strip():
        raise EmptyDocument("empty document")
    head = html[:_BINARY_SCAN_CHARS]
    if len(_CONTROL_CHARACTERS.findall(head)) > len(head) * _BINARY_CONTROL_RATIO:
        raise ExtractError("binary content")
    html = _XML_DECLARATION.sub("", html, count=1)
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(html, parser)
    except (etree.LxmlError, ValueError) as error:
        raise ExtractError(str(error)) from error
    if root is None:
        raise ExtractError("no HTML content")
    _fold_stray_content_into_body(root)
    return root


def _append_text(parent: etree._Element, text: str | None) -> None:
    if not text:
        return
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _append_content(body: etree._Element, container: etree._Element) -> None:
    """Move container's text and children to the end of body, unwrapping a <body> among them."""
    _append_text(body, container.text)
    for child in list(container):
        if child.tag == "body":
            _append_content(body, child)
            _append_text(body, child.tail)
        else:
            body.append(child)


def _fold_stray_content_into_body(root: etree._Element) -> None:
    """Move what follows a stray </body> or </html> into <body>, where browsers render it.

    CMS includes often close the document early and go on with the footer. lxml keeps what
    follows </body> beside <body>, and (libxml2 2.14) puts what follows </html> in a second
    <html> after the root, which every walk from the root would miss.
    """
    body = root.find("body")
    if body is None:
        return
    _append_text(body, body.tail)
    body.tail = None
    for sibling in list(body.itersiblings()):
        body.append(sibling)
    for later_root in list(root.itersiblings()):
        if later_root.tag.__class__ is str:
            _append_content(body, later_root)


def _walk_blocks(root: etree._Element) -> list[Block]:
    start = root.find("body")
    if start is None:
        start = root
    blocks: list[Block] = []
    pieces: list[str] = []
    owner: etree._Element | None = None

    def flush() -> None:
        if owner is None:  # whitespace only
            return
        raw = "".join(pieces)
        text = normalise_space(raw)
        wide = "\u3000" in raw or "\u00a0" in raw
        blocks.append(Block(text, keep_wide_gaps(raw) if wide else text, owner))

    walker = etree.iterwalk(start, events=("start", "end"))
    for event, element in walker:
        tag = element.tag
        if tag.__class__ is not str:
            continue
        if event == "start":
            if tag in INVISIBLE_TAGS:
                walker.skip_subtree()
                continue
            if tag in BLOCK_TAGS and pieces:
                flush()
                pieces, owner = [], None
            text, holder = element.text, element
        else:
            if tag in BLOCK_TAGS and pieces:
                flush()
                pieces, owner = [], None
            if element is start:
                continue
            text, holder = element.tail, element.getparent()
        if text:
            if owner is None and not text.isspace():
                owner = holder
            pieces.append(text)
    if pieces:
        flush()
    return blocks


def _is_footer_container(element: etree._Element) -> bool:
    if element.tag == "footer":
        return True
    names = f"{element.get('class') or ''} {element.get('id') or ''}"
    return bool(_FOOTER_NAME.search(names))


def _is_prose(text: str) -> bool:
    return len(text) > _PROSE_CHARS and not _FOOTER_MARKER.search(text)


def _footer_containers(root: etree._Element, blocks: list[Block]) -> list[list[int]]:
    """Indices of the blocks in each outermost footer container, in document order.

    A footer-named element that is a wrapper (it holds prose, or most of a long page) is looked into instead.
    """
    owned: dict[etree._Element, list[int]] = {}
    for index, block in enumerate(blocks):
        owned.setdefault(block.owner, []).append(index)
    total = sum(len(block.text) for block in blocks)
    containers: list[list[int]] = []
    start = root.find("body")
    walker = etree.iterwalk(root if start is None else start, events=("start",))
    for _, element in walker:
        if element.tag.__class__ is not str or element.tag in ("body", "html") or not _is_footer_container(element):
            continue
        indices = sorted(i for descendant in element.iter() for i in owned.get(descendant, ()))
        share = sum(len(blocks[i].text) for i in indices)
        if (total >= _FOOTER_WRAPPER_MIN_CHARS and share > total * _FOOTER_MAX_SHARE) or any(
            _is_prose(blocks[i].text) for i in indices
        ):
            continue
        walker.skip_subtree()
        if indices:
            containers.append(indices)
    return containers


def _closing_run(blocks: list[Block], outside: list[int]) -> list[int]:
    """Of the blocks outside footer containers, those around the last run of footer markers (ICP, 版权所有 …).

    Footers in anonymous markup are found this way. The run reaches a few blocks beyond its markers
    (the 主办单位 line often stands beside them) but never into prose: an article's own text carries
    no markers, so its mentions of 主办 stay outside.
    """
    marked = [position for position, index in enumerate(outside) if _FOOTER_MARKER.search(blocks[index].text)]
    if not marked:
        return []
    first = last = marked[-1]
    for position in reversed(marked[:-1]):
        if first - position > _FOOTER_REACH:
            break
        first = position

    def short(position: int) -> bool:
        return len(blocks[outside[position]].text) <= _FOOTER_LINE_CHARS

    start, end = first, last
    while start > 0 and first - start < _FOOTER_REACH and short(start - 1):
        start -= 1
    while end + 1 < len(outside) and end - last < _FOOTER_REACH and short(end + 1):
        end += 1
    return [outside[position] for position in range(start, end + 1)]


def unescape_js(literal: str) -> str:
    def replace(match: re.Match[str]) -> str:
        escape = match.group(1)
        if escape[0] in "ux" and len(escape) > 1:
            return chr(int(escape[1:], 16))
        return _JS_SIMPLE_ESCAPES.get(escape, escape)

    unescaped = _JS_ESCAPE.sub(replace, literal)
    # Join \uD83D\uDE00-style surrogate pairs; a lone surrogate becomes U+FFFD.
    return unescaped.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


class Document:
    """A parsed page with the derived views extractors share, each computed at most once."""

    def __init__(self, html: str, url: str) -> None:
        self.root = parse_html(html)
        self.url = url
        self.memo: dict[object, object] = {}  # results of costly extractor passes, shared by the extractors

    @cached_property
    def blocks(self) -> list[Block]:
        """Visible body text split at block-level elements, scripts and styles removed."""
        return _walk_blocks(self.root)

    @cached_property
    def visible_text(self) -> str:
        """The visible blocks with wide gaps kept, one per line, so labels of different blocks never run together."""
        return "\n".join(block.layout_text for block in self.blocks)

    @cached_property
    def footer_texts(self) -> list[str]:
        """The text of each footer region (one line per block), in document order.

        A region is a footer container (footer, .foot, #bottom, .copyright …) or, for footers in
        anonymous markup, the blocks around the page's last run of footer markers. A page with a
        desktop and a mobile footer has a region for each; none holds the article.
        """
        regions = _footer_containers(self.root, self.blocks)
        covered = {index for region in regions for index in region}
        closing = _closing_run(self.blocks, [index for index in range(len(self.blocks)) if index not in covered])
        if closing:
            regions.append(closing)
        regions.sort(key=lambda region: region[0])
        return ["\n".join(self.blocks[index].layout_text for index in region) for region in regions]

    @cached_property
    def inline_scripts(self) -> list[str]:
        """Source text of every <script> without src."""
        return [
            script.text
            for script in self.root.iter("script")
            if script.text and not script.get("src")
        ]

    @cached_property
    def script_text(self) -> str:
        """Text of the string literals in inline scripts, markup stripped, one line per block.

        Footers written by document.write exist only here in the static HTML.
        """
        literals = []
        for source in self.inline_scripts:
            for match in _JS_STRING.finditer(source):
                literal = next(group for group in match.groups() if group is not None)
                literals.append(unescape_js(literal))
        text = _strip_markup("".join(literals))
        lines = (keep_wide_gaps(line) for line in html_entities.unescape(text).split("\n"))
        return "\n".join(line for line in lines if line)

    @cached_property
    def meta(self) -> dict[str, str]:
        """<meta name|property|http-equiv=... content=...> by lowercase name; the first one wins."""
        found: dict[str, str] = {}
        for element in self.root.iter("meta"):
            name = element.get("name") or element.get("property") or element.get("http-equiv")
            content = element.get("content")
            if name and content is not None:
                found.setdefault(name.strip().lower(), content.strip())
        return found
