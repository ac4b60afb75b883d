"""Every extractor does work linear in its input, on inputs a hostile site can send.

How linearity is measured without a clock: each extractor runs under cProfile at a size n and at 2n, and the
total number of Python function calls (pstats' ``total_calls``, exact and the same on every machine) may grow
at most 2.5 times. That catches Python-level re-scans: loops over entries that search or replace the whole text,
per-element walks of the whole tree. A regular expression that backtracks does its work inside one call, where
no counter sees it, and so does a walk over lxml elements (lxml's methods are not profiled); for those every
extractor also runs once on a 1 MB single-line input, on which a quadratic regular expression costs some 10^12
steps and never ends (the suite would hang, not pass), and a quadratic sibling walk (the site map's, now
remembered per link) ran for minutes. The regular expressions that ran
on crawled text with nested or overlapping quantifiers were rewritten to scan once (fingerprint, links' CSS,
policy names, scripts' comments and location chains, the markup that scripts write); the shapes below are the
ones that made them quadratic.
"""

from __future__ import annotations

import cProfile
import datetime
import pstats
from collections.abc import Callable

import pytest

from govmon.facts import (
    ExtractError,
    breadcrumb,
    extract_facts,
    extract_items,
    extract_links,
    extract_messages,
    extract_page,
    interpreted_name,
    is_empty_list,
    is_navigation_only,
    listed_accounts,
    nav_columns,
    not_found_signal,
    page_count,
    page_fingerprint,
    pagination_links,
    policy_name,
    read_mirror,
    sitemap_columns,
    text_blocks,
)
from govmon.facts.encoding import decode_html
from govmon.facts.mirrors import MirrorError
from govmon.facts.scripts import location_targets

URL = "http://www.example.gov.cn/col/index.html"
AS_OF = datetime.date(2026, 6, 1)
ATTACHMENTS = frozenset({"pdf", "doc", "xls"})
MAX_GROWTH = 2.5  # allowed growth of the call count when the input doubles
MEGABYTE = 1_000_000


def _page(body: str) -> str:
    return f"<html><head><title>通知公告</title></head><body>{body}</body></html>"


def _repeat(unit: str, size: int) -> str:
    return unit * (size // len(unit))


# Each shape makes a page of about ``size`` characters, on one line.
SHAPES: dict[str, Callable[[int], str]] = {
    "letters": lambda size: _page(_repeat("a", size)),
    "digits": lambda size: _page(_repeat("7", size)),
    "cjk": lambda size: _page(_repeat("政", size)),
    "slashes": lambda size: _page(_repeat("/", size)),
    "colons": lambda size: _page(_repeat("：", size)),
    "labels": lambda size: _page(_repeat("联系电话：", size)),
    "dates": lambda size: _page(_repeat("2021-", size)),
    "open_quotes": lambda size: _page(_repeat("《", size)),
    "issued": lambda size: _page(f"<p>{_repeat('关于印发', size)}</p>"),
    "nested_tags": lambda size: _page(_repeat("<div><span>", size)),
    "links": lambda size: _page(_repeat('<a href="/p.html">链接</a>', size)),
    "css": lambda size: _page(f"<style>{_repeat('url(', size)}{_repeat('/*', size)}</style>"),
    "srcset": lambda size: _page(f'<img srcset="{_repeat("a,", size)}">'),
    "script": lambda size: _page(f"<script>location.href='{_repeat('a', size)}</script>"),
    "script_comments": lambda size: _page(f"<script>location = '/a.html'; {_repeat('/* ', size)}</script>"),
    "script_chain": lambda size: _page(f"<script>location {_repeat('window . ', size)}</script>"),
    "written_tags": lambda size: _page(f"<script>document.write('{_repeat('<', size)}')</script>"),
    "written_breaks": lambda size: _page(f"<script>document.write('{_repeat('<br', size)}')</script>"),
}


def _feed(size: int) -> bytes:
    item = "<item><title>《发布》</title><link>http://www.example.gov.cn/a.html</link><pubDate>x</pubDate></item>"
    return f"<?xml version='1.0'?><rss><channel>{_repeat(item, size)}</channel></rss>".encode()


EXTRACTORS: dict[str, Callable[[str], object]] = {
    "extract_page": lambda html: extract_page(html, URL, ATTACHMENTS, AS_OF),
    "extract_facts": lambda html: extract_facts(html, URL, AS_OF),
    "extract_links": lambda html: extract_links(html, URL, ATTACHMENTS),
    "extract_items": lambda html: extract_items(html, URL, AS_OF),
    "is_empty_list": is_empty_list,
    "extract_messages": lambda html: extract_messages(html, URL, AS_OF),
    "listed_accounts": lambda html: listed_accounts(html, URL),
    "nav_columns": lambda html: nav_columns(html, URL),
    "sitemap_columns": lambda html: sitemap_columns(html, URL),
    "breadcrumb": lambda html: breadcrumb(html, URL),
    "is_navigation_only": lambda html: is_navigation_only(html, URL),
    "pagination_links": lambda html: pagination_links(html, URL),
    "page_count": page_count,
    "page_fingerprint": page_fingerprint,
    "not_found_signal": not_found_signal,
    "text_blocks": text_blocks,
    "read_mirror_html": lambda html: read_mirror(html.encode(), "text/html", URL, AS_OF),
    "interpreted_name": interpreted_name,
    "policy_name": policy_name,
    "decode_html": lambda html: decode_html(html.encode("gb18030"), "text/html; charset=gbk"),
}


def _run(extract: Callable[[str], object], text: str) -> None:
    try:
        extract(text)
    except (ExtractError, MirrorError):  # refusing a hostile document is bounded work too
        pass


def _calls(extract: Callable[[str], object], text: str) -> int:
    """Python function calls made by one run: deterministic, unlike its duration."""
    profile = cProfile.Profile()
    profile.runcall(_run, extract, text)
    return pstats.Stats(profile).total_calls


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("name", sorted(EXTRACTORS))
def test_work_grows_linearly_with_the_input(name: str, shape: str) -> None:
    extract, make = EXTRACTORS[name], SHAPES[shape]
    _calls(extract, make(1000))  # imports and caches filled on first use are not the extractor's work
    small, large = _calls(extract, make(50_000)), _calls(extract, make(100_000))
    assert large <= MAX_GROWTH * small, f"{name} on {shape}: {small} calls at 50 kB, {large} at 100 kB"


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_extractor_finishes_on_a_megabyte_line(shape: str) -> None:
    html = SHAPES[shape](MEGABYTE)
    assert "\n" not in html
    for extract in EXTRACTORS.values():
        _run(extract, html)


def test_a_page_of_200000_links_gives_every_link() -> None:
    html = _page("".join(f'<a href="/p{index}.html">第{index}条</a>' for index in range(200_000)))
    _, links = extract_page(html, URL, ATTACHMENTS, AS_OF)
    assert len(links) == 200_000
    assert links[-1].url == "http://www.example.gov.cn/p199999.html"


def test_a_feed_of_many_items_grows_linearly() -> None:
    def read(body: bytes) -> None:
        read_mirror(body, "application/rss+xml", URL, AS_OF)

    profile_small, profile_large = cProfile.Profile(), cProfile.Profile()
    profile_small.runcall(read, _feed(50_000))
    profile_large.runcall(read, _feed(100_000))
    small, large = pstats.Stats(profile_small).total_calls, pstats.Stats(profile_large).total_calls
    assert large <= MAX_GROWTH * small


def test_names_in_hostile_titles_are_still_read() -> None:
    assert interpreted_name("《" * 1000 + "《关于X的意见》政策解读") == "关于X的意见"
    assert policy_name("某市人民政府" + "关于印发" * 1000 + "的通知") == "关于印发" * 999
    assert policy_name("某市人民政府关于印发 的通知") == "关于印发 的通知"  # nothing 印发'd: the issuer is cut


def test_css_references_are_read_as_browsers_read_them() -> None:
    """An unquoted url( cannot hold "(", and a comment left open runs to the end of the style sheet."""
    html = _page("<style>b { background: url(url(a.png) } /* i { background: url(hidden.png) }</style>")
    assert [link.url for link in extract_links(html, URL, ATTACHMENTS)] == ["http://www.example.gov.cn/col/a.png"]


def test_script_redirects_are_read_as_before_where_scripts_are_hostile() -> None:
    assert location_targets("location = '/a.html'; /* location = '/b.html'") == ["/a.html"]  # left open: the rest
    assert location_targets("window . top . location . href = '/c.html'") == ["/c.html"]
    assert location_targets("foo.location = '/d.html'") == []
