"""Every link and resource of a page, classified as page, resource or attachment."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urljoin, urlsplit, urlunsplit

from lxml import etree

from crawler.extract.document import Document, normalise_space

LinkKind = Literal["page", "resource", "attachment"]

# tag → attribute holding the URL.
_URL_ATTRIBUTES = {
    "a": "href",
    "area": "href",
    "iframe": "src",
    "frame": "src",
    "img": "src",
    "script": "src",
    "link": "href",
    "embed": "src",
    "object": "data",
    "source": "src",
    "video": "src",
    "audio": "src",
}
_PAGE_TAGS = frozenset(("iframe", "frame"))
_ANCHOR_TAGS = frozenset(("a", "area"))
_RESOURCE_RELS = frozenset(("stylesheet", "icon", "apple-touch-icon"))
_SKIPPED_SCHEMES = ("javascript:", "mailto:", "tel:", "data:", "about:")
_HTTP_SCHEMES = ("http://", "https://")
# Browsers drop tabs and newlines anywhere in a URL and trim control characters and spaces.
_URL_NOISE = re.compile(r"[\t\n\r]")
_URL_TRIM = "".join(chr(code) for code in range(0x21)) + "\u3000\u00a0"
_MAX_TEXT_CHARS = 200
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True, slots=True)
class Link:
    """One URL reference on a page, in document order."""

    url: str
    tag: str
    attr: str
    text: str
    kind: LinkKind


def canonical_url(url: str) -> str:
    """Return the URL for deduplication: scheme and host lowercased, default port and fragment dropped.

    The path (including a trailing slash) and the query (in its order) are kept; an empty
    path becomes "/".
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    path = parts.path or ("/" if parts.netloc else "")
    userinfo, _, hostport = parts.netloc.rpartition("@")
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        host, port = None, None
    if host:
        hostport = f"[{host}]" if ":" in host else host
        if port is not None and port != _DEFAULT_PORTS.get(scheme):
            hostport = f"{hostport}:{port}"
    else:
        hostport = hostport.lower()
    netloc = f"{userinfo}@{hostport}" if userinfo else hostport
    return urlunsplit((scheme, netloc, path, parts.query, ""))


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _absolute(raw: str, base: str, base_origin: str) -> str | None:
    """Resolve an attribute value against the base URL; None unless it is an http(s) URL with a host.

    Absolute and root-relative URLs skip urljoin: they are most links of a page and
    urljoin dominates the cost of extraction.
    """
    value = _URL_NOISE.sub("", raw).strip(_URL_TRIM)
    if not value or value[0] == "#" or value[:11].lower().startswith(_SKIPPED_SCHEMES):
        return None
    if value[:8].lower().startswith(_HTTP_SCHEMES):
        absolute = value
    elif value[0] == "/" and value[:2] != "//" and "/." not in value:
        absolute = base_origin + value
    else:
        try:
            absolute = urljoin(base, value)
        except ValueError:
            return None
        if not absolute[:8].lower().startswith(_HTTP_SCHEMES):
            return None
    absolute = absolute.partition("#")[0]
    if "[" in absolute or "]" in absolute:
        try:
            urlsplit(absolute)  # rejects a malformed IPv6 host
        except ValueError:
            return None
    host_start = absolute.index("//") + 2
    if host_start == len(absolute) or absolute[host_start] in "/?":
        return None
    return absolute


def _image_text(element: etree._Element) -> str:
    """An image's alt, else its title: what a report can show for a broken image."""
    return normalise_space(element.get("alt") or element.get("title") or "")[:_MAX_TEXT_CHARS]


def _anchor_text(element: etree._Element) -> str:
    """The anchor's text, else the alt/title of an image inside it, else its own title/alt."""
    text = normalise_space("".join(element.itertext()))
    if not text:
        for image in element.iter("img"):
            text = _image_text(image)
            if text:
                break
    if not text:
        text = normalise_space(element.get("title") or element.get("alt") or "")
    return text[:_MAX_TEXT_CHARS]


def _is_attachment(url: str, extensions: frozenset[str]) -> bool:
    path = url.partition("?")[0]
    name = path[path.index("//") + 2:].partition("/")[2].rpartition("/")[2]
    return "." in name and name.rpartition(".")[2].lower() in extensions


def links_of(document: Document, attachment_extensions: frozenset[str]) -> list[Link]:
    """Return the page's links in document order, duplicates kept (the store records each)."""
    extensions = frozenset(extension.lower().lstrip(".") for extension in attachment_extensions)
    base = document.url
    base_element = document.root.find(".//base[@href]")
    if base_element is not None:
        base = _absolute(base_element.get("href", ""), base, _origin(base)) or base
    base_origin = _origin(base)

    links: list[Link] = []
    for element in document.root.iter(*_URL_ATTRIBUTES):
        tag = element.tag
        attr = _URL_ATTRIBUTES[tag]
        raw = element.get(attr)
        if raw is None:
            continue
        if tag == "link":
            rels = set((element.get("rel") or "").lower().split())
            if not rels & _RESOURCE_RELS:
                continue
        url = _absolute(raw, base, base_origin)
        if url is None:
            continue
        if tag in _ANCHOR_TAGS:
            kind: LinkKind = "attachment" if _is_attachment(url, extensions) else "page"
            text = _anchor_text(element)
        else:
            kind = "page" if tag in _PAGE_TAGS else "resource"
            text = _image_text(element) if tag == "img" else ""
        links.append(Link(url=url, tag=tag, attr=attr, text=text, kind=kind))
    return links


def extract_links(html: str, base_url: str, attachment_extensions: frozenset[str]) -> list[Link]:
    """Parse html and return its links (see links_of)."""
    return links_of(Document(html, base_url), attachment_extensions)
