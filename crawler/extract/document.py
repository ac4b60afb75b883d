"""One parsed page shared by every extractor, so each document is parsed once."""

from __future__ import annotations

import html as html_entities
import re
from dataclasses import dataclass
from functools import cached_property

from lxml import etree


class ExtractError(ValueError):
    """The document cannot be parsed as HTML (empty, binary); the spider records a parse failure."""


BLOCK_TAGS = frozenset(
    "address article aside blockquote body br caption center dd details dialog dir div dl dt "
    "fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li "
    "main menu nav ol option p pre section summary table tbody td tfoot th thead title tr ul".split()
)
INVISIBLE_TAGS = frozenset(("script", "style", "noscript", "template", "head"))

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
_BINARY_SCAN_CHARS = 4096
# Pages pasted from Word carry a few stray control characters; binary bodies are full of them.
_BINARY_CONTROL_RATIO = 0.01

_JS_STRING = re.compile(r"""'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\]|\\.)*)`""", re.DOTALL)
_JS_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.DOTALL)
_JS_SIMPLE_ESCAPES = {"n": "\n", "r": "\n", "t": " ", "b": "", "f": "", "v": ""}
_MARKUP_BREAK = re.compile(
    r"<\s*/?\s*(?:br|p|div|li|ul|ol|tr|td|th|table|h[1-6]|dd|dt|section|footer|header)\b[^>]*>",
    re.IGNORECASE,
)
_MARKUP_TAG = re.compile(r"<[^>]*>")
_WHITESPACE_RUN = re.compile(r"\s+")


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
        raise ExtractError("empty document")
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
    return root


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


def _unescape_js(literal: str) -> str:
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
                literals.append(_unescape_js(literal))
        markup = "".join(literals)
        text = _MARKUP_TAG.sub("", _MARKUP_BREAK.sub("\n", markup))
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
