"""The other pages of a list page, and how many pages the list says it has.

A link is a page of the same list when it stays in the list's directory and names a
page of it (index_2.html, page_2.html, list_3.htm, the directory itself), or keeps the
path and changes only a page parameter (?page=2, ?pageIndex=3, &p=2). TRS/WCM sites
write their pager with createPageHTML(total, current, "index", "html"); those pages are
generated.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urljoin, urlsplit

from govmon.facts.document import Document
from govmon.facts.list_items import class_words, document_base, resolve_href, visible_text_of

_PAGE_PARAMETERS = frozenset(
    ["page", "pageindex", "pageno", "page_no", "pagenum", "pagenumber", "pagenow", "pn", "p", "pi", "currentpage", "curpage", "cpage", "cp", "page_index", "page_num", "pg", "paged"]
)
_PAGE_FILE = re.compile(r"^(?P<stem>[a-z]+)(?:[_-]?(?P<number>\d+))?\.(?:s?html?|jsp|php|aspx?|do)$", re.IGNORECASE)
_LIST_STEMS = frozenset(("index", "default", "list", "page", "more"))
# detail_3805.html beside detail_3806.html is another article, not another page.
_ARTICLE_STEMS = frozenset(("detail", "details", "content", "show", "view", "article", "art", "post", "doc", "info"))
_CREATE_PAGE = re.compile(r"createPageHTML\s*\(([^()]*)\)")
_JS_ARGUMENT = re.compile(r"""^\s*(?:(?P<number>\d+)|['"](?P<string>[^'"]*)['"]|(?P<name>[A-Za-z_$][\w$]*))\s*$""")
_PAGER_WORDS = frozenset(
    ["page", "pages", "pager", "paging", "pagination", "pagenav", "pagelist", "pagebar", "fenye", "fy", "turnpage", "pg"]
)
_PAGER_LINK = re.compile(r"^(?:下一页|上一页|下页|上页|尾页|末页|首页|最后一页|第一页)$")
_PAGE_TOTALS = (
    re.compile(r"共\s*有?\s*(\d+)\s*页"),
    re.compile(r"总页数\s*[:：]?\s*(\d+)"),
    re.compile(r"(?<!\d)\d+\s*/\s*(\d+)\s*页"),
    re.compile(r"页\s*次?\s*[:：]\s*\d+\s*/\s*(\d+)"),
    re.compile(r"\bpage\s+\d+\s+of\s+(\d+)", re.IGNORECASE),
)
_BARE_RATIO = re.compile(r"(?<![\d/.-])(\d+)\s*/\s*(\d+)(?![\d/.-])")


def _page_number(candidate: str, current: str) -> int | None:
    """The page number of candidate when it is a page of the list current belongs to, else None.

    The first page, written without a number (the directory, index.html, no page parameter), is 0.
    """
    page, here = urlsplit(candidate), urlsplit(current)
    if (page.scheme, page.netloc.lower()) != (here.scheme, here.netloc.lower()):
        return None
    directory, _, name = page.path.rpartition("/")
    here_directory, _, here_name = here.path.rpartition("/")
    if directory != here_directory:
        return None
    query = parse_qsl(page.query, keep_blank_values=True)
    if _other_parameters(query) != _other_parameters(parse_qsl(here.query, keep_blank_values=True)):
        return None
    parameter = next((value for key, value in query if key.lower() in _PAGE_PARAMETERS and value.isdigit()), None)
    if name == here_name:
        return int(parameter) if parameter is not None else _file_number(name)
    here_match = _PAGE_FILE.match(here_name)
    here_stem = here_match["stem"].lower() if here_match else None
    if not name:  # the directory is the first page of a list at index_N.html, not of an article's
        return 0 if here_stem in _LIST_STEMS else None
    match = _PAGE_FILE.match(name)
    if not match:
        return None
    stem = match["stem"].lower()
    if stem in _ARTICLE_STEMS:
        return None
    if stem != here_stem and not (stem in _LIST_STEMS and (here_stem in _LIST_STEMS or not here_name)):
        return None
    return int(parameter) if parameter is not None else int(match["number"] or 0)


def _other_parameters(query: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return sorted((key, value) for key, value in query if key.lower() not in _PAGE_PARAMETERS)


def _file_number(name: str) -> int:
    match = _PAGE_FILE.match(name)
    return int(match["number"]) if match and match["number"] else 0


def _script_pages(document: Document) -> tuple[int, int, str, str] | None:
    """(total, current, name, extension) from a TRS createPageHTML call, resolving `var countPage = 5`."""
    for source in document.inline_scripts:
        for call in _CREATE_PAGE.finditer(source):
            numbers: list[int] = []
            strings: list[str] = []
            for raw in call.group(1).split(","):
                argument = _JS_ARGUMENT.match(raw)
                if not argument:
                    break
                if argument["string"] is not None:
                    if numbers:
                        strings.append(argument["string"])
                    continue
                value = argument["number"]
                if value is None:
                    assigned = re.search(rf"\b{re.escape(argument['name'])}\s*=\s*(\d+)", source)
                    if not assigned:
                        break
                    value = assigned.group(1)
                numbers.append(int(value))
            if numbers:
                current = numbers[1] if len(numbers) > 1 else 0
                name = strings[0] if strings else "index"
                extension = strings[1] if len(strings) > 1 else "html"
                return numbers[0], current, name, extension
    return None


def pages_of(document: Document) -> list[str]:
    """The other pages of the list, absolute, in page order, no duplicates, not the current page."""
    base = document_base(document)
    current = document.url
    own = _page_number(current, current) or 0
    pages: dict[int, str] = {}
    for link in document.root.iter("a"):
        url = resolve_href(link.get("href"), base)
        if url is None:
            continue
        number = _page_number(url, current)
        if number is not None and number != own:
            pages.setdefault(number, url)
    scripted = _script_pages(document)
    if scripted:
        total, script_current, name, extension = scripted
        pages.pop(script_current, None)
        for number in range(total):
            if number != script_current:
                file = f"{name}.{extension}" if number == 0 else f"{name}_{number}.{extension}"
                pages.setdefault(number, urljoin(base, file))
    return [pages[number] for number in sorted(pages)]


def pagination_links(html: str, url: str) -> list[str]:
    """Return the other pages of the same list, absolute, in page order, without duplicates or the current page.

    Raises ExtractError when the document cannot be parsed.
    """
    return pages_of(Document(html, url))


def _pager_texts(document: Document) -> list[str]:
    """Texts of pager containers: class/id words like page/pager/fenye, or the parent of a 下一页 link."""
    texts = []
    for element in document.root.iter():
        if not isinstance(element.tag, str):
            continue
        if _PAGER_WORDS.intersection(class_words(element)):
            texts.append(visible_text_of(element))
        elif element.tag in ("a", "span") and _PAGER_LINK.match(visible_text_of(element)):
            parent = element.getparent()
            if parent is not None:
                texts.append(visible_text_of(parent))
    return texts


def count_of(document: Document) -> int | None:
    """The number of pages the list says it has."""
    text = f"{document.visible_text}\n{document.script_text}"
    for pattern in _PAGE_TOTALS:
        match = pattern.search(text)
        if match and int(match.group(1)) > 0:
            return int(match.group(1))
    scripted = _script_pages(document)
    if scripted and scripted[0] > 0:
        return scripted[0]
    for pager in _pager_texts(document):
        for current, total in _BARE_RATIO.findall(pager):
            if 0 < int(current) <= int(total):
                return int(total)
    return None


def page_count(html: str) -> int | None:
    """Return the page count a list shows ("共5页", "1/5", "第1页 共5页", createPageHTML(5, 0, ...)), else None.

    Raises ExtractError when the document cannot be parsed.
    """
    return count_of(Document(html, "http://localhost/"))
