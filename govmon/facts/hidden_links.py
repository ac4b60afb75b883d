"""Links a person cannot see (暗链, SEC-1): what an intruder plants for search engines' spiders.

A link is hidden when it or an ancestor is hidden by its inline style or a simple <style> rule (display:none,
visibility:hidden, a 0/1px box that clips, font-size 0, far off-screen, opacity 0), by the hidden attribute, by a
1px <marquee>, by a script setting its display to none, or when its text colour equals its background. Blocks
written hidden by document.write count too: a written block holding links, or a written opening tag that hides the
page's own markup up to the script that closes it. Only simple selectors are read (tag, .class, #id, tag.class,
tag#id and lists of them). A block hidden by a rule that a :hover rule shows again is marked hover_menu, one that
an @media rule shows again (a phone-only footer) responsive, so the rule can tell them from a planted block.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin

from lxml import etree, html

from govmon.facts.document import _JS_STRING, Document, normalise_space, unescape_js

MAX_HIDDEN_LINKS = 100
MAX_TEXT_CHARS = 80
OFFSCREEN_PX = -500  # absolute/fixed left/top/right, or text-indent, at or beyond this
MARGIN_OFFSCREEN_PX = -2000
TINY_PX = 1

_SKIPPED_SCHEMES = ("javascript:", "mailto:", "tel:", "data:", "about:")
_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|\Z)", re.DOTALL)
_SIMPLE_SELECTOR = re.compile(r"^(?P<tag>[a-zA-Z][\w-]*|\*)?(?P<rest>(?:[.#][\w-]+)*)$")
_SELECTOR_PART = re.compile(r"([.#])([\w-]+)")
_SHOWN_MEDIA = re.compile(r"^@media\s+(?:only\s+)?(?:screen|all)\s*$", re.IGNORECASE)
_LENGTH = re.compile(r"^(-?\d*\.?\d+)(px|pt|em|rem|%)?$")
# Old IE: left:expression(1-900)
_EXPRESSION = re.compile(r"^expression\w*\(\s*(-?\d+)\s*([-+])\s*(\d+)\s*\)$")
_HEX = re.compile(r"^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$")
_RGB = re.compile(r"^rgba?\(\s*(\d+)\s*[, ]\s*(\d+)\s*[, ]\s*(\d+)\s*(?:[,/]\s*[\d.]+%?\s*)?\)$")
_COLOUR_TOKEN = re.compile(r"#[0-9a-f]{3,8}\b|rgba?\([^)]*\)|[a-z]+")
_NAMED_COLOURS = {
    "white": (255, 255, 255), "black": (0, 0, 0), "red": (255, 0, 0), "green": (0, 128, 0), "blue": (0, 0, 255),
    "yellow": (255, 255, 0), "gray": (128, 128, 128), "grey": (128, 128, 128), "silver": (192, 192, 192),
    "navy": (0, 0, 128), "maroon": (128, 0, 0), "purple": (128, 0, 128), "teal": (0, 128, 128),
    "olive": (128, 128, 0), "lime": (0, 255, 0), "aqua": (0, 255, 255), "fuchsia": (255, 0, 255),
    "orange": (255, 165, 0),
}
_SHOWING_DISPLAY = frozenset(("block", "inline", "inline-block", "flex", "grid", "table", "list-item", "inherit"))
_SCRIPT_HIDES = re.compile(
    r"""getElementById\(\s*["']([\w-]+)["']\s*\)\s*\.\s*style\s*\.\s*(display|visibility)\s*=\s*["'](none|hidden)["']"""
)
# Attributes stop at the next "<" as well, so a run of unclosed "<a<a<a" is scanned once, not once per "<".
_WRITTEN_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][\w-]*)([^<>]*)>")
_ATTRIBUTE = re.compile(r"""([a-zA-Z][\w-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
# Hiders a position:fixed descendant on screen escapes: offsets and clips of its ancestors.
_ESCAPABLE = ("position:", "margin-left:", "height:", "width:", "line-height:")
_VOID_TAGS = frozenset(("br", "img", "hr", "input", "meta", "link", "area", "base", "col", "wbr", "source", "param"))

Declarations = dict[str, str]


@dataclass(frozen=True, slots=True)
class _Rule:
    tag: str | None
    ids: tuple[str, ...]
    classes: tuple[str, ...]
    declarations: Declarations
    order: int

    @property
    def specificity(self) -> tuple[int, int, int, int]:
        return (len(self.ids), len(self.classes), int(self.tag is not None), self.order)

    def matches(self, element: etree._Element) -> bool:
        if self.tag is not None and element.tag != self.tag:
            return False
        if self.ids and element.get("id") not in self.ids:
            return False
        classes = (element.get("class") or "").split()
        return all(name in classes for name in self.classes)


@dataclass
class _StyleSheet:
    """The simple rules of a page's <style> elements, indexed by what they select, and the :hover rules that
    show something again (their last simple selector)."""

    by_key: dict[str, list[_Rule]] = field(default_factory=dict)
    hover_shown: list[_Rule] = field(default_factory=list)
    media_shown: list[_Rule] = field(default_factory=list)  # rules of other @media blocks that show something

    def add(self, rule: _Rule) -> None:
        key = f"#{rule.ids[0]}" if rule.ids else f".{rule.classes[0]}" if rule.classes else rule.tag or "*"
        self.by_key.setdefault(key, []).append(rule)

    def rules_for(self, element: etree._Element) -> list[_Rule]:
        keys = [element.tag, "*", f"#{element.get('id')}"] + [f".{name}" for name in (element.get("class") or "").split()]
        found = {id(rule): rule for key in keys for rule in self.by_key.get(key, ()) if rule.matches(element)}
        return sorted(found.values(), key=lambda rule: rule.specificity)

    def shown_on_hover(self, element: etree._Element) -> bool:
        return any(rule.matches(element) for rule in self.hover_shown)

    def shown_by_media(self, element: etree._Element) -> bool:
        return any(rule.matches(element) for rule in self.media_shown)


def parse_declarations(text: str) -> Declarations:
    """CSS declarations ("display: none; COLOR:#FFF !important") as lowercase property → lowercase value."""
    found: Declarations = {}
    for part in text.split(";"):
        name, colon, value = part.partition(":")
        if colon and name.strip():
            found[name.strip().lower()] = value.replace("!important", "").strip().lower()
    return found


def _simple_rule(selector: str, declarations: Declarations, order: int) -> _Rule | None:
    match = _SIMPLE_SELECTOR.match(selector.strip())
    if not match or not selector.strip():
        return None
    parts = _SELECTOR_PART.findall(match.group("rest") or "")
    tag = match.group("tag")
    return _Rule(
        tag=None if tag in (None, "*") else tag.lower(),
        ids=tuple(name for kind, name in parts if kind == "#"),
        classes=tuple(name for kind, name in parts if kind == "."),
        declarations=declarations,
        order=order,
    )


def _shows(declarations: Declarations) -> bool:
    return declarations.get("display") in _SHOWING_DISPLAY or declarations.get("visibility") == "visible"


def _add_rule(sheet: _StyleSheet, selectors: str, body: str, order: int) -> None:
    declarations = parse_declarations(body)
    for selector in selectors.split(","):
        selector = selector.strip()
        if ":hover" in selector and _shows(declarations):
            last = re.split(r"[\s>+~]+", selector.replace(":hover", " "))[-1] or ""
            rule = _simple_rule(last.split(":")[0], declarations, order)
            if rule is not None:
                sheet.hover_shown.append(rule)
            continue
        rule = _simple_rule(selector, declarations, order)
        if rule is not None:
            sheet.add(rule)


def _blocks(css: str) -> Iterator[tuple[str, str]]:
    """(prelude, body) of each top-level block of a stylesheet; a body holds nested blocks for at-rules."""
    position = 0
    while (start := css.find("{", position)) != -1:
        depth, end = 1, start + 1
        while end < len(css) and depth:
            depth += {"{": 1, "}": -1}.get(css[end], 0)
            end += 1
        prelude = css[position:start]
        yield prelude[prelude.rfind(";") + 1:].strip(), css[start + 1:end - 1]
        position = end


def _read_media(sheet: _StyleSheet, css: str) -> None:
    """Keep the simple rules of an @media block (print, a narrow screen) that show an element again."""
    for prelude, body in _blocks(css):
        declarations = parse_declarations(body)
        if prelude.startswith("@") or not _shows(declarations):
            continue
        for selector in prelude.split(","):
            rule = _simple_rule(selector, declarations, 0)
            if rule is not None:
                sheet.media_shown.append(rule)


def _read_css(sheet: _StyleSheet, css: str, order: int) -> int:
    for prelude, body in _blocks(css):
        if prelude.startswith("@"):
            if _SHOWN_MEDIA.match(prelude):
                order = _read_css(sheet, body, order)
            elif prelude.lower().startswith("@media"):
                _read_media(sheet, body)
            continue
        order += 1
        _add_rule(sheet, prelude, body, order)
    return order


def style_sheet(document: Document) -> _StyleSheet:
    """The simple rules of every <style> of the page, in source order."""
    sheet = _StyleSheet()
    order = 0
    for element in document.root.iter("style"):
        css = _CSS_COMMENT.sub(" ", element.text or "").replace("<!--", " ").replace("-->", " ")
        order = _read_css(sheet, css, order)
    return sheet


def _px(value: str | None) -> float | None:
    """A length in px (pt counted as px; em/rem/% only when zero); None when it is no plain length."""
    if not value:
        return None
    value = value.split()[0] if " " in value and not value.startswith("expression") else value
    if expression := _EXPRESSION.match(value):
        left, sign, right = expression.groups()
        return int(left) - int(right) if sign == "-" else int(left) + int(right)
    match = _LENGTH.match(value)
    if not match:
        return None
    number = float(match.group(1))
    if match.group(2) in ("em", "rem", "%") and number != 0:
        return None
    return number


def _colour(value: str | None) -> tuple[int, int, int] | None:
    """A colour as (r, g, b); None for none, transparent, an image or what cannot be read."""
    if not value:
        return None
    value = value.strip().lower()
    if hexadecimal := _HEX.match(value):
        digits = hexadecimal.group(1)
        if len(digits) in (3, 4):
            digits = "".join(character * 2 for character in digits[:3])
        return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)
    if rgb := _RGB.match(value):
        return int(rgb.group(1)), int(rgb.group(2)), int(rgb.group(3))
    return _NAMED_COLOURS.get(value)


def _background(declarations: Declarations, element: etree._Element) -> tuple[bool, tuple[int, int, int] | None]:
    """(declared, colour) of an element's background: an image or gradient is declared but has no colour."""
    shorthand = declarations.get("background")
    if shorthand is not None:
        if "url(" in shorthand or "gradient" in shorthand:
            return True, None
        for token in _COLOUR_TOKEN.findall(shorthand):
            if (colour := _colour(token)) is not None:
                return True, colour
    if "background-color" in declarations:
        return True, _colour(declarations["background-color"])
    if element.get("bgcolor"):
        return True, _colour(element.get("bgcolor"))
    if element.get("background"):
        return True, None
    return False, None


def _name(element: etree._Element) -> str:
    """How a report names an element: div#hide, div.link, a."""
    if element.get("id"):
        return f"{element.tag}#{element.get('id')}"
    classes = (element.get("class") or "").split()
    return f"{element.tag}.{classes[0]}" if classes else str(element.tag)


def _clips(declarations: Declarations) -> bool:
    return any(declarations.get(name) in ("hidden", "clip") for name in ("overflow", "overflow-x", "overflow-y"))


# margin: shorthand with this many values → the index of its left margin
_MARGIN_LEFT_INDEX = {1: 0, 2: 1, 3: 1, 4: 3}


def _margin_left(declarations: Declarations) -> str | None:
    if "margin-left" in declarations:
        return declarations["margin-left"]
    parts = declarations.get("margin", "").split()
    index = _MARGIN_LEFT_INDEX.get(len(parts))
    return None if index is None else parts[index]


def _offscreen(declarations: Declarations) -> str | None:
    position = declarations.get("position")
    if position in ("absolute", "fixed"):
        for side in ("left", "top", "right"):
            offset = _px(declarations.get(side))
            if offset is not None and offset <= OFFSCREEN_PX:
                return f"position:{position};{side}:{declarations[side]}"
    margin = _margin_left(declarations)
    offset = _px(margin)
    if offset is not None and offset <= MARGIN_OFFSCREEN_PX:
        return f"margin-left:{margin}"
    return None


def _tiny(element: etree._Element, declarations: Declarations) -> str | None:
    if element.tag == "marquee":
        for side in ("height", "width"):
            size = _px(declarations.get(side)) if side in declarations else _px(element.get(side))
            if size is not None and size <= TINY_PX:
                return f"marquee {side}={element.get(side) or declarations.get(side)}"
    if not _clips(declarations):
        return None
    for side in ("height", "width", "line-height"):
        size = _px(declarations.get(side))
        if size is not None and size <= (0 if side == "line-height" else TINY_PX):
            return f"{side}:{declarations[side]};overflow:hidden"
    return None


def _box_hider(element: etree._Element, declarations: Declarations, script_hidden: dict[str, str]) -> str | None:
    """The rule by which the element hides its whole box (what no descendant can undo), or None."""
    if element.get("hidden") is not None:
        return "hidden 属性"
    if declarations.get("display") == "none":
        return "display:none"
    if element.get("id") in script_hidden:
        return f"脚本设置 {script_hidden[element.get('id')]}"
    opacity = declarations.get("opacity")
    if opacity is not None and _px(opacity) == 0:
        return "opacity:0"
    return _tiny(element, declarations) or _offscreen(declarations)


@dataclass
class _Reader:
    """Computes, once per element, the declarations that apply to it: matched rules by specificity, then style=""."""

    sheet: _StyleSheet
    script_hidden: dict[str, str]
    cache: dict[etree._Element, Declarations] = field(default_factory=dict)

    def declarations(self, element: etree._Element) -> Declarations:
        if element not in self.cache:
            merged: Declarations = {}
            for rule in self.sheet.rules_for(element):
                merged.update(rule.declarations)
            merged.update(parse_declarations(element.get("style") or ""))
            if element.tag == "font" and element.get("color"):
                merged.setdefault("color", element.get("color", ""))
            self.cache[element] = merged
        return self.cache[element]

    def shown_again(self, element: etree._Element) -> tuple[bool, bool]:
        """(hover_menu, responsive): the element is hidden by a rule of the style sheet (not its own style="")
        that a :hover rule undoes (a drop-down menu), or that an @media rule undoes (a mobile-only block)."""
        inline = parse_declarations(element.get("style") or "")
        if inline.get("display") == "none" or inline.get("visibility") == "hidden":
            return False, False
        return self.sheet.shown_on_hover(element), self.sheet.shown_by_media(element)

    def why_hidden(self, chain: list[etree._Element]) -> tuple[str, etree._Element] | None:
        """(how, element) for the nearest reason the first element of chain (a link, then its ancestors) is unseen."""
        inherited: dict[str, tuple[str, etree._Element]] = {}
        background: tuple[bool, tuple[int, int, int] | None] = (False, None)
        escaped = False  # a position:fixed element on screen takes its content out of an ancestor's clip or offset
        colour_from_link = True  # a link shows the browser's link colour unless it declares one (or inherit)
        for element in chain:
            declarations = self.declarations(element)
            hider = _box_hider(element, declarations, self.script_hidden)
            if hider and not (escaped and hider.startswith(_ESCAPABLE)):
                return hider, element
            if declarations.get("position") == "fixed" and not _offscreen(declarations):
                escaped = True
            for name in ("visibility", "font-size", "text-indent"):
                if name in declarations and name not in inherited:
                    if name == "font-size" and _px(declarations[name]) is None:
                        continue  # relative sizes scale the parent's
                    inherited[name] = (declarations[name], element)
            if colour_from_link and "color" not in inherited:
                colour = declarations.get("color")
                if colour and colour != "inherit":
                    inherited["color"] = (colour, element)
                colour_from_link = element is not chain[0] or colour == "inherit"
            if not background[0]:
                background = _background(declarations, element)
        return _inherited_hider(inherited, background)


def _inherited_hider(
    inherited: dict[str, tuple[str, etree._Element]], background: tuple[bool, tuple[int, int, int] | None]
) -> tuple[str, etree._Element] | None:
    if "visibility" in inherited and inherited["visibility"][0] in ("hidden", "collapse"):
        return f"visibility:{inherited['visibility'][0]}", inherited["visibility"][1]
    if "font-size" in inherited:
        size = _px(inherited["font-size"][0])
        if size is not None and size <= TINY_PX:
            return f"font-size:{inherited['font-size'][0]}", inherited["font-size"][1]
    if "text-indent" in inherited:
        indent = _px(inherited["text-indent"][0])
        if indent is not None and indent <= OFFSCREEN_PX:
            return f"text-indent:{inherited['text-indent'][0]}", inherited["text-indent"][1]
    if "color" in inherited and background[1] is not None:
        if _colour(inherited["color"][0]) == background[1]:
            return "文字颜色与背景相同", inherited["color"][1]
    return None


def _chain(element: etree._Element) -> list[etree._Element]:
    chain = [element]
    chain.extend(element.iterancestors())
    return chain


def _base(document: Document) -> str:
    base = document.root.find(".//base[@href]")
    if base is None:
        return document.url
    try:
        return urljoin(document.url, base.get("href", "").strip())
    except ValueError:
        return document.url


def _absolute(href: str, base: str) -> str | None:
    value = "".join(href.split("\n")).strip()
    if not value or value.startswith("#") or value[:11].lower().startswith(_SKIPPED_SCHEMES):
        return None
    try:
        return urljoin(base, value).partition("#")[0]
    except ValueError:
        return None


def _link_text(anchor: etree._Element) -> str:
    text = normalise_space("".join(anchor.itertext())) or normalise_space(anchor.get("title") or "")
    return text[:MAX_TEXT_CHARS]


def _written_markup(source: str) -> str:
    """The markup an inline script's string literals make up (what its document.write calls write)."""
    return "".join(unescape_js(next(g for g in match.groups() if g is not None)) for match in _JS_STRING.finditer(source))


def _written_hider(tag: str, attributes: str, reader: _Reader) -> str | None:
    """The how of a written opening tag that hides what follows it, or None."""
    try:
        element = etree.Element(tag)
        for name, *values in _ATTRIBUTE.findall(attributes):
            element.set(name.lower(), next((value for value in values if value), ""))
    except ValueError:  # a name lxml refuses (s:property, "a<b")
        return None
    hider = _box_hider(element, reader.declarations(element), {})
    return f"{hider}（{_name(element)}）" if hider else None


def _opened_hidden(markup: str, reader: _Reader) -> tuple[str, str] | None:
    """(tag, how) of a hidden element the markup opens and leaves open, or None."""
    stack: list[tuple[str, str | None]] = []
    for closing, tag, attributes in _WRITTEN_TAG.findall(markup):
        tag = tag.lower()
        if closing:
            while stack and stack.pop()[0] != tag:
                pass
        elif tag not in _VOID_TAGS and not attributes.rstrip().endswith("/"):
            stack.append((tag, _written_hider(tag, attributes, reader)))
    opened = [(tag, how) for tag, how in stack if how]
    return opened[0] if opened else None


def _closes(markup: str, tag: str) -> bool:
    """The markup closes more elements named tag than it opens: it ends a block an earlier script opened."""
    balance = 0
    for closing, name, _ in _WRITTEN_TAG.findall(markup):
        if name.lower() == tag:
            balance += -1 if closing else 1
    return balance < 0


@dataclass
class _Finder:
    reader: _Reader
    base: str
    found: list[dict] = field(default_factory=list)

    def add(self, anchor: etree._Element, how: str, shown_again: tuple[bool, bool] = (False, False)) -> None:
        url = _absolute(anchor.get("href", ""), self.base)
        if url is not None and len(self.found) < MAX_HIDDEN_LINKS:
            hover_menu, responsive = shown_again
            self.found.append({"url": url, "text": _link_text(anchor), "how": how, "hover_menu": hover_menu,
                               "responsive": responsive})

    def check(self, anchor: etree._Element, prefix: str = "") -> None:
        reason = self.reader.why_hidden(_chain(anchor))
        if reason is not None:
            how, element = reason
            self.add(anchor, f"{prefix}{how}（{_name(element)}）", self.reader.shown_again(element))

    def written(self, markup: str) -> tuple[str, str] | None:
        """Check the links a script writes; return (tag, how) of a hidden block it leaves open."""
        if "<" not in markup:
            return None
        if "href" in markup.lower():
            try:
                fragment = html.fragment_fromstring(markup, create_parent="div")
            except (etree.LxmlError, ValueError):
                fragment = None
            for anchor in fragment.iter("a") if fragment is not None else ():
                if anchor.get("href") is not None:
                    self.check(anchor, "document.write ")
        return _opened_hidden(markup, self.reader)


def _script_hidden_ids(document: Document) -> dict[str, str]:
    """Ids a script hides by assigning style.display = "none" (or visibility hidden) at load."""
    return {
        match.group(1): f"{match.group(2)}:{match.group(3)}"
        for source in document.inline_scripts
        for match in _SCRIPT_HIDES.finditer(source)
    }


def hidden_links_of(document: Document) -> list[dict]:
    """Every <a href> a person cannot see, in document order: {"url", "text", "how", "hover_menu", "responsive"},
    capped.

    how names the rule and the element it sits on: "display:none（div#hide）", "文字颜色与背景相同（a）",
    "document.write display:none（div）"; hover_menu / responsive are true when the style-sheet rule hiding it is
    undone by a :hover rule (a drop-down menu) / by an @media rule (a block shown on phones only).
    """
    finder = _Finder(_Reader(style_sheet(document), _script_hidden_ids(document)), _base(document))
    written_open: tuple[str, str] | None = None  # (tag, how) of a hidden block a script opened
    for element in document.root.iter("a", "script"):
        if len(finder.found) >= MAX_HIDDEN_LINKS:
            break
        if element.tag == "script":
            if element.get("src") is None:
                markup = _written_markup(element.text or "")
                if written_open and _closes(markup, written_open[0]):
                    written_open = None
                written_open = finder.written(markup) or written_open
            continue
        if element.get("href") is None:
            continue
        if written_open:
            finder.add(element, f"document.write 写入的隐藏块 {written_open[1]}")
        else:
            finder.check(element)
    return finder.found
