"""Fetch one page and extract its facts: what `govmon inspect` prints.

Users debug the extractor with it, so it runs the very functions the crawl
runs on the same bytes. The JSON keys are stable (see README).
"""

from __future__ import annotations

import urllib.error
from concurrent.futures import ThreadPoolExecutor
import urllib.request

from crawler.encoding import decode_html
from crawler.extract import extract_page
from crawler.settings import ATTACHMENT_EXTENSIONS, CHROMIUM_ARGS, chromium_path

USER_AGENT = "govmon/0.1 (inspect)"
KEYS = ("url", "final_url", "status", "encoding", "title", "published", "published_meta", "column", "site_name",
        "site_code", "icp", "police_record", "sponsor", "links")


class InspectError(RuntimeError):
    """The page could not be fetched or rendered at all."""


def inspect_url(url: str, render: bool = False, timeout: float = 15.0) -> dict:
    if render:
        html, final_url, status, encoding = _render(url, timeout)
    else:
        html, final_url, status, encoding = _fetch(url, timeout)
    facts, links = extract_page(html, final_url, frozenset(ATTACHMENT_EXTENSIONS))
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
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        response = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as error:  # an error page still has facts worth seeing
        response = error
    except (urllib.error.URLError, OSError) as exc:
        raise InspectError(f"cannot fetch {url}: {getattr(exc, 'reason', exc)}") from None
    with response:
        body = response.read()
        text, encoding = decode_html(body, response.headers.get("Content-Type"))
        return text, response.geturl(), response.status, encoding


def _render(url: str, timeout: float) -> tuple[str, str, int, str]:
    # Playwright's sync API refuses to run where an asyncio loop is running (a Scrapy
    # process, the scheduler): a thread of its own works everywhere.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_render_in_thread, url, timeout).result()


def _render_in_thread(url: str, timeout: float) -> tuple[str, str, int, str]:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    if not chromium_path().exists():
        raise InspectError(f"cannot render: Chromium not found at {chromium_path()} (set GOVMON_CHROMIUM)")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(chromium_path()), headless=True, args=list(CHROMIUM_ARGS)
            )
            page = browser.new_page()
            response = page.goto(url, timeout=timeout * 1000, wait_until="load")
            html, final_url = page.content(), page.url
            browser.close()
    except PlaywrightError as exc:
        raise InspectError(f"cannot render {url}: {exc.message.splitlines()[0]}") from None
    return html, final_url, response.status if response else 0, "utf-8"
