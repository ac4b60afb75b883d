"""Fetch one page and extract its facts: what `govmon inspect` prints.

Users debug the extractor with it, so it runs the very functions the crawl
runs on the same bytes. The JSON keys are stable (see README). With a DNS
server (the registry's ``resolver``) the page is fetched from the address that
server gives, as the crawl would fetch it.
"""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urljoin, urlsplit

from govmon.crawler.resolver import addresses_of
from govmon.crawler.settings import CHROMIUM_ARGS, chromium_path
from govmon.dns import make_resolver
from govmon.facts import EmptyDocument, ExtractError, extract_page
from govmon.facts.encoding import decode_html
from govmon.facts.links import ATTACHMENT_EXTENSIONS
from govmon.probes.http import fetch

USER_AGENT = "govmon/0.1 (inspect)"
KEYS = ("url", "final_url", "status", "encoding", "title", "published", "published_meta", "column", "site_name",
        "site_code", "icp", "police_record", "sponsor", "links")
MAX_REDIRECTS = 5
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


class InspectError(RuntimeError):
    """The page could not be fetched or rendered at all."""


def inspect_url(url: str, render: bool = False, timeout: float = 15.0, resolver: str | None = None) -> dict:
    """The facts of the page at ``url`` (``http://`` when it has no scheme, as a browser's address bar does)."""
    url = url.strip()
    if "://" not in url:
        url = f"http://{url}"
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError as exc:  # e.g. an unclosed [IPv6 address
        raise InspectError(f"cannot fetch {url}: {exc}") from None
    if scheme not in ("http", "https"):
        raise InspectError(f"cannot fetch {url}: only http:// and https:// pages can be inspected")
    if render:
        html, final_url, status, encoding = _render(url, timeout, _host_rules(url, resolver, timeout))
    elif resolver:
        html, final_url, status, encoding = _fetch_resolved(url, timeout, resolver)
    else:
        html, final_url, status, encoding = _fetch(url, timeout)
    try:
        facts, links = extract_page(html, final_url, frozenset(ATTACHMENT_EXTENSIONS))
    except EmptyDocument:
        raise InspectError(f"cannot read {final_url}: the page is empty (HTTP {status})") from None
    except ExtractError as exc:  # an image, a PDF, a download served where a page was expected
        raise InspectError(f"cannot read {final_url}: not an HTML page ({exc}, HTTP {status})") from None
    return {"url": url, "final_url": final_url, "status": status, "encoding": encoding, **shown_facts(facts),
            "links": len(links)}


def shown_facts(facts: dict) -> dict:
    """The page facts `govmon inspect` shows, by their stable keys (the real-page corpus scores these)."""
    return {
        "title": facts["title"],
        "published": facts["published"],
        "published_meta": facts["published_meta"],
        "column": facts["column"],
        "site_name": facts["site_name"],
        "site_code": facts["site_code"] or facts["site_code_meta"],
        "icp": facts["icp"],
        "police_record": facts["police_record"],
        "sponsor": facts["sponsor"],
    }


def _fetch(url: str, timeout: float) -> tuple[str, str, int, str]:
    try:
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
        response = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as error:  # an error page still has facts worth seeing
        response = error
    except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as exc:
        raise InspectError(f"cannot fetch {url}: {getattr(exc, 'reason', exc)}") from None
    with response:
        try:
            body = response.read()
        except (OSError, http.client.HTTPException) as exc:
            raise InspectError(f"cannot fetch {url}: {exc}") from None
        text, encoding = decode_html(body, response.headers.get("Content-Type"))
        return text, response.geturl(), response.status, encoding


def _fetch_resolved(url: str, timeout: float, resolver: str) -> tuple[str, str, int, str]:
    """Fetch with the host names looked up on ``resolver``, following redirects to other hosts too."""
    dns = make_resolver(resolver, timeout)
    for _ in range(MAX_REDIRECTS + 1):
        try:
            got = fetch(url, dns, timeout, keep_body=True, user_agent=USER_AGENT)
            target = got.final_url or url
            elsewhere = urlsplit(target).hostname != urlsplit(url).hostname
        except ValueError as exc:  # a malformed redirect target
            raise InspectError(f"cannot fetch {url}: {exc}") from None
        if got.error_kind:
            raise InspectError(f"cannot fetch {url}: {got.error_kind} ({got.error_detail})")
        if got.status in _REDIRECTS and elsewhere:
            url = urljoin(url, target)
            continue
        text, encoding = decode_html(got.body or b"", got.content_type)
        return text, target, got.status, encoding
    raise InspectError(f"cannot fetch {url}: more than {MAX_REDIRECTS} redirects")


def _host_rules(url: str, resolver: str | None, timeout: float) -> list[str]:
    """Chromium resolves names itself: as the crawl does, give it the page's address from ``resolver`` and no other
    names (they would go to the system's DNS); nothing without a resolver."""
    host = urlsplit(url).hostname
    if not resolver or not host:
        return []
    addresses = addresses_of(make_resolver(resolver, timeout), host)
    if not addresses:
        raise InspectError(f"cannot render {url}: {host} has no address on the DNS server {resolver}")
    return [f"--host-resolver-rules=MAP {host} {addresses[0]}, MAP * ~NOTFOUND, EXCLUDE localhost"]


def _render(url: str, timeout: float, extra_args: list[str]) -> tuple[str, str, int, str]:
    # Playwright's sync API refuses to run where an asyncio loop is running (a Scrapy
    # process, the scheduler): a thread of its own works everywhere.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_render_in_thread, url, timeout, extra_args).result()


def _render_in_thread(url: str, timeout: float, extra_args: list[str]) -> tuple[str, str, int, str]:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    if not chromium_path().exists():
        raise InspectError(f"cannot render: Chromium not found at {chromium_path()} (set GOVMON_CHROMIUM)")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(chromium_path()), headless=True, args=[*CHROMIUM_ARGS, *extra_args]
            )
            page = browser.new_page()
            response = page.goto(url, timeout=timeout * 1000, wait_until="load")
            html, final_url = page.content(), page.url
            browser.close()
    except PlaywrightError as exc:
        raise InspectError(f"cannot render {url}: {exc.message.splitlines()[0]}") from None
    return html, final_url, response.status if response else 0, "utf-8"
