"""Every link and resource of a page, classified as page, resource or attachment.

A link no browser can follow whatever the server does (a malformed URL, a file: path, a
refresh to ftp:) keeps its reason in ``error``: the spider records it broken without a request.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urljoin, urlsplit, urlunsplit

from lxml import etree
from w3lib.url import safe_url_string

from govmon.facts.document import Document, normalise_space
from govmon.facts.scripts import location_targets
from govmon.origins import DEFAULT_PORTS
from govmon.registry import SESSION_PARAMS

LinkKind = Literal["page", "resource", "attachment"]
LinkError = Literal["invalid_url", "unsupported_scheme", "unsupported_redirect"]
_UNREQUESTED_DETAILS = {
    "invalid_url": "malformed URL (host, port or brackets): a browser cannot open it",
    "unsupported_scheme": "a path on the author's computer: visitors' browsers cannot open it",
    "unsupported_redirect": "the page sends the browser to a non-HTTP address, which browsers do not follow",
}
ATTACHMENT_EXTENSIONS = ("doc", "docx", "xls", "xlsx", "pdf", "wps", "ofd", "zip", "rar", "et")
REDIRECT_TAG, REDIRECT_ATTR = "redirect", "Location"  # the link an HTTP redirect out of the scope is stored as

# tag → the attributes holding its URLs: lazy-loading images keep the real one in data-*.
_URL_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "a": ("href",),
    "area": ("href",),
    "iframe": ("src",),
    "frame": ("src",),
    "img": ("src", "data-src", "data-original", "data-lazy-src", "data-echo", "data-lazyload", "srcset",
            "data-srcset"),
    "source": ("src", "srcset", "data-srcset"),
    "script": ("src",),
    "link": ("href",),
    "embed": ("src",),
    "object": ("data",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "input": ("src", "formaction"),
    "button": ("formaction",),
}
_SRCSET_ATTRIBUTES = frozenset(("srcset", "data-srcset"))
_PAGE_TAGS = frozenset(("iframe", "frame"))
_ANCHOR_TAGS = frozenset(("a", "area"))
_NAVIGATING_ATTRIBUTES = frozenset(("formaction", "refresh", "location"))  # go to a page, as an anchor does
_REDIRECT_ATTRIBUTES = frozenset(("refresh", "location"))  # the browser goes there by itself
_RESOURCE_RELS = frozenset(("stylesheet", "icon", "apple-touch-icon"))
_SKIPPED_SCHEMES = ("javascript:", "mailto:", "tel:", "data:", "about:")
_HTTP_SCHEMES = ("http://", "https://")
# Browsers drop tabs and newlines anywhere in a URL and trim control characters and spaces.
_URL_NOISE = re.compile(r"[\t\n\r]")
_URL_TRIM = "".join(chr(code) for code in range(0x21)) + "\u3000\u00a0"
_MAX_TEXT_CHARS = 200
DEFAULT_SESSION_PARAMS = frozenset(SESSION_PARAMS)

# Characters no host name can hold (WHATWG's forbidden host code points, and spaces that map to one).
_FORBIDDEN_HOST = re.compile(r"[\x00-\x20\x7f#/:<>?@\[\\\]^|\u3000\u00a0]")
_AUTHORITY_END = re.compile(r"[/?\\]")
# ASCII that safe_url_string would percent-encode: a URL without any is already in its encoded form.
_NEEDS_ENCODING = re.compile(r"[\x00-\x20\x7f\"'<>\[\\\]^`{|}]")
_LOWERCASE_ESCAPE = re.compile(r"%(?:[0-9a-f][0-9a-fA-F]|[0-9A-F][0-9a-f])")
# An unquoted url( stops at the characters CSS forbids in it, so a run of "url(url(…" is scanned once, not once
# per opening.
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^()\s"']*))\s*\)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"""@import\s+(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|\Z)", re.DOTALL)  # an unclosed comment runs to the end, as in browsers
# One srcset candidate: a URL ending in commas has no descriptors, else descriptors run to the next comma.
_SRCSET_CANDIDATE = re.compile(r"[\s,]*(?:([^\s,]\S*?),+(?=\s|$)|(\S+)[^,]*)")
_WHITESPACE = " \t\n\f\r"
_REFRESH_DELAY = re.compile(r"[ \t\n\f\r]*(?:\d|(?=\.))[\d.]*")
_REFRESH_URL_KEY = re.compile(r"url[ \t\n\f\r]*=[ \t\n\f\r]*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Link:
    """One URL reference on a page, in document order; ``error`` says why no browser can follow it."""

    url: str
    tag: str
    attr: str
    text: str
    kind: LinkKind
    error: LinkError | None = None


def unrequested_detail(kind: str, url: str) -> str:
    """The detail of a link recorded without a request, its LinkError (or another kind) explained."""
    return f"{_UNREQUESTED_DETAILS.get(kind, kind)}: {url}"


def canonical_url(url: str, session_params: frozenset[str] = DEFAULT_SESSION_PARAMS) -> str:
    """Return the URL's identity for deduplication: its percent-encoded form (w3lib's safe_url_string:
    /新闻/ and /%E6%96%B0%E9%97%BB/ are one URL), escapes in upper case, scheme and host lowercased,
    default port and fragment dropped, and the parameters that only carry a visitor's session
    (``session_params``, lowercase names matched in any case: ;jsessionid=… in the path, ?sid=… in the
    query) dropped, so a site that writes a new session id into every link is still crawled once.

    The path (including a trailing slash) and the rest of the query (in its order) are kept; an empty
    path becomes "/". Never raises: a malformed URL is its own identity.
    """
    url = url.strip().partition("#")[0]
    if not url.isascii() or _NEEDS_ENCODING.search(url):
        try:
            url = safe_url_string(url)
        except ValueError:  # a malformed host or port: kept as written
            pass
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    path = parts.path or ("/" if parts.netloc else "")
    userinfo, _, hostport = parts.netloc.rpartition("@")
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        host, port = None, None
    if host:
        hostport = f"[{host}]" if ":" in host else host
        if port is not None and port != DEFAULT_PORTS.get(scheme):
            hostport = f"{hostport}:{port}"
    else:
        hostport = hostport.lower()
    netloc = f"{userinfo}@{hostport}" if userinfo else hostport
    query = parts.query
    if session_params:
        path, query = _without_session(path, query, session_params)
    return urlunsplit((scheme, netloc, _upper_escapes(path), _upper_escapes(query), ""))


def _without_session(path: str, query: str, names: frozenset[str]) -> tuple[str, str]:
    """The path without its ;name=value session parameters and the query without its name=value ones."""
    if ";" in path:
        path = "/".join(
            ";".join([head, *(p for p in params if p.partition("=")[0].lower() not in names)])
            for head, *params in (segment.split(";") for segment in path.split("/"))
        )
    if query:
        query = "&".join(pair for pair in query.split("&") if pair.partition("=")[0].lower() not in names)
    return path, query


def _upper_escapes(part: str) -> str:
    """%e4 and %E4 are one byte: spell every escape in upper case."""
    return _LOWERCASE_ESCAPE.sub(lambda match: match.group(0).upper(), part) if "%" in part else part


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _malformed(url: str) -> bool:
    """Whether an http(s) URL's authority is one no browser can open: no host, a forbidden character or
    an empty label in the host, an unclosed or invalid IPv6 literal, a port that is not 0-65535."""
    start = url.index("//") + 2
    end = _AUTHORITY_END.search(url, start)
    hostport = url[start:end.start() if end else len(url)].rpartition("@")[2]
    if hostport.startswith("["):
        literal, closed, port = hostport[1:].partition("]")
        if not closed or (port and port[0] != ":"):
            return True
        try:
            ipaddress.IPv6Address(literal)
        except ValueError:
            return True
        port = port[1:]
    else:
        host, _, port = hostport.partition(":")
        if not host or host[0] == "." or ".." in host or _FORBIDDEN_HOST.search(host):
            return True
    return bool(port) and not (port.isascii() and port.isdigit() and int(port) <= 65535)


def _unfollowable(value: str, redirect: bool) -> tuple[str, LinkError] | None:
    """A link to a scheme browsers do not open from a web page: a file: path (or a Windows drive path,
    C:\\…) is broken; ftp: is checked by no one here, so only a redirect there (which browsers refuse) is."""
    scheme = value[:7].lower()
    if scheme.startswith("file:") or (value[1:2] == ":" and value[:1].isalpha() and value[2:3] in ("\\", "/")):
        return value.partition("#")[0], "unsupported_redirect" if redirect else "unsupported_scheme"
    if redirect and scheme.startswith("ftp:"):
        return value.partition("#")[0], "unsupported_redirect"
    return None


def _resolve(raw: str, base: str, base_origin: str, redirect: bool = False) -> tuple[str, LinkError | None] | None:
    """(absolute URL, error) for an attribute value; None when it is nothing to check (empty, a fragment,
    javascript:, mailto:, ftp:, another scheme).

    Root-relative URLs skip urljoin and the authority check: they are most links of a page, on the
    page's own host, and urljoin dominates the cost of extraction.
    """
    value = _URL_NOISE.sub("", raw).strip(_URL_TRIM)
    if not value or value[0] == "#" or value[:11].lower().startswith(_SKIPPED_SCHEMES):
        return None
    if value[0] == "/" and value[:2] != "//" and "/." not in value:
        return base_origin + value.partition("#")[0], None
    if value[:8].lower().startswith(_HTTP_SCHEMES):
        absolute = value
    else:
        try:
            absolute = urljoin(base, value)
        except ValueError:  # an unclosed IPv6 bracket
            return _splittable(value.partition("#")[0]), "invalid_url"
        if not absolute[:8].lower().startswith(_HTTP_SCHEMES):
            if absolute.partition(":")[0].lower() in ("http", "https"):  # "http:x" on an https page: no host
                return absolute.partition("#")[0], "invalid_url"
            return _unfollowable(absolute, redirect)
    absolute = absolute.partition("#")[0]
    return (_splittable(absolute), "invalid_url") if _malformed(absolute) else (absolute, None)


def _splittable(url: str) -> str:
    """A malformed URL as written, but with its brackets percent-encoded when they are unbalanced, so that
    everything reading stored URLs (urlsplit raises on an unclosed IPv6 bracket) can take it apart."""
    try:
        urlsplit(url)
    except ValueError:
        return url.replace("[", "%5B").replace("]", "%5D")
    return url


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
    path = url.partition("?")[0].partition(":")[2]
    if path.startswith("//"):
        path = path[2:].partition("/")[2]
    name = path.replace("\\", "/").rpartition("/")[2]
    return "." in name and name.rpartition(".")[2].lower() in extensions


def _srcset_urls(srcset: str) -> list[str]:
    """The candidate URLs of a srcset ("small.jpg 1x, large.jpg 2x"), split as browsers split them."""
    return [match.group(1) or match.group(2) for match in _SRCSET_CANDIDATE.finditer(srcset)
            if match.group(1) or match.group(2)]


def _css_urls(css: str) -> list[str]:
    """The url(…) references of CSS, and its @import "…" ones."""
    if "/*" in css:
        css = _CSS_COMMENT.sub(" ", css)
    found = [next(group for group in match.groups() if group is not None) for match in _CSS_URL.finditer(css)]
    if "@import" in css:
        found += [match.group(1) or match.group(2) or "" for match in _CSS_IMPORT.finditer(css)]
    return found


def _refresh_url(content: str) -> str | None:
    """The URL a <meta http-equiv="refresh"> sends the browser to, read as browsers read its content
    ("0; url='x'", "5;URL=x", "0,x"); None when it only reloads the page, or has no delay (ignored)."""
    delay = _REFRESH_DELAY.match(content)
    if delay is None:
        return None
    rest = content[delay.end():]
    if not rest or rest[0] not in ";," + _WHITESPACE:
        return None
    rest = rest.lstrip(_WHITESPACE)
    rest = rest[1:].lstrip(_WHITESPACE) if rest[:1] in (";", ",") else rest
    key = _REFRESH_URL_KEY.match(rest)
    if key:
        rest = rest[key.end():]
    if rest[:1] in ("'", '"'):
        rest = rest[1:].partition(rest[0])[0]
    return rest or None


def _gets_by_get(element: etree._Element) -> bool:
    """A form button's formaction is a link only when it submits by GET (the default): a POST endpoint
    refusing a plain GET is not broken."""
    method = element.get("formmethod")
    if method is None:
        form = next(element.iterancestors("form"), None)
        method = form.get("method") if form is not None else None
    return (method or "get").strip().lower() == "get"


# Tags whose attributes or text may name a URL; any other element names one only in a style attribute.
_REFERENCING_TAGS = frozenset(_URL_ATTRIBUTES) | {"meta", "style"}


def _references(element: etree._Element, tag: str) -> list[tuple[str, str]]:
    """(attribute, raw URL) of every URL the element makes the browser load or go to, in attribute order;
    an element naming one URL twice (a lazy image's src and data-src) gives it once."""
    found: list[tuple[str, str]] = []
    attrs = _URL_ATTRIBUTES.get(tag)
    if attrs is None:
        if tag == "meta" and (element.get("http-equiv") or "").strip().lower() == "refresh":
            url = _refresh_url(element.get("content") or "")
            found = [("refresh", url)] if url else []
        elif tag == "style" and element.text:
            found = [("css", url) for url in _css_urls(element.text)]
    elif tag == "script":
        src = element.get("src")
        if src is not None:
            found = [("src", src)]
        elif element.text and "location" in element.text:
            found = [("location", url) for url in location_targets(element.text)]
    elif tag == "link":
        if set((element.get("rel") or "").lower().split()) & _RESOURCE_RELS and element.get("href") is not None:
            found = [("href", element.get("href"))]
    else:
        for attr in attrs:
            value = element.get(attr)
            if value is None or (attr == "src" and tag == "input" and (element.get("type") or "").lower() != "image"):
                continue
            if attr == "formaction" and not _gets_by_get(element):
                continue
            urls = _srcset_urls(value) if attr in _SRCSET_ATTRIBUTES else (value,)
            found += [(attr, url) for url in urls if all(url != seen for _, seen in found)]
    style = element.get("style")
    if style and "url(" in style.lower() and tag.isalnum():  # not custom (x-y) or Word (o:p) elements
        found += [("style", url) for url in _css_urls(style)]
    return found


def _base(document: Document) -> str:
    """The URL relative links resolve against: the page's, or its <base href> when that is a valid URL."""
    base_element = document.root.find(".//base[@href]")
    if base_element is None:
        return document.url
    resolved = _resolve(base_element.get("href", ""), document.url, _origin(document.url))
    return resolved[0] if resolved and resolved[1] is None else document.url


def links_of(document: Document, attachment_extensions: frozenset[str]) -> list[Link]:
    """Return the page's links in document order, duplicates kept (the store records each).

    Sources: href/src of anchors, frames, images (lazy data-* and srcset too), scripts, media, embeds
    and objects; stylesheet and icon <link>s; GET formactions; CSS url() in style attributes and
    <style>; <meta http-equiv=refresh> (tag meta, attr refresh) and script assignments to location
    (tag script, attr location), which are pages the browser goes to by itself.
    """
    extensions = frozenset(extension.lower().lstrip(".") for extension in attachment_extensions)
    base = _base(document)
    base_origin = _origin(base)
    links: list[Link] = []
    for element in document.root.iter():
        tag = element.tag
        if tag.__class__ is not str or (tag not in _REFERENCING_TAGS and element.get("style") is None):
            continue  # most elements (div, span, td) name no URL: skip the call
        for attr, raw in _references(element, tag):
            resolved = _resolve(raw, base, base_origin, redirect=attr in _REDIRECT_ATTRIBUTES)
            if resolved is None:
                continue
            url, error = resolved
            if tag in _ANCHOR_TAGS or attr in _NAVIGATING_ATTRIBUTES:
                kind: LinkKind = "attachment" if _is_attachment(url, extensions) else "page"
                text = _anchor_text(element) if tag in _ANCHOR_TAGS or tag == "button" else ""
            else:
                kind = "page" if tag in _PAGE_TAGS else "resource"
                text = _image_text(element) if tag in ("img", "input") else ""
            links.append(Link(url=url, tag=tag, attr=attr, text=text, kind=kind, error=error))
    return links


def extract_links(html: str, base_url: str, attachment_extensions: frozenset[str]) -> list[Link]:
    """Parse html and return its links (see links_of)."""
    return links_of(Document(html, base_url), attachment_extensions)
