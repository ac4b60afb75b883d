"""govmon's broken/working verdict per link equals LinkChecker's own expected output, on LinkChecker's test pages.

tests/pages/linkchecker/ holds pages of LinkChecker's test suite with their expected output (``*.result``,
see PROVENANCE.md). A local server answers as LinkChecker's test HTTP server does (tests/checker/httpserver.py
there: the data directory under /tests/checker/data/, dummy directory listings, /status/N, its redirects), the
pages are crawled once with govmon, and every link whose verdict is defined over HTTP on this machine is
compared: LinkChecker's ``valid`` must be govmon working, its ``error`` govmon broken (a LINK-1/2/3 finding).
Links that need the internet (www.example.com), or are not HTTP (dns:, clsid:, mailto:), are not scored.
Where govmon deliberately differs it is listed in KNOWN_DISAGREEMENTS with the reason.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest_twisted
from sqlalchemy import select

from govmon.checks.engine import check_run
from govmon.checks.pack import load_pack
from govmon.crawler.run import schedule_crawl
from govmon.demo.dns import LocalDNS, Zone
from govmon.facts import canonical_url
from govmon.store import Link, Page
from tests.servers import Reply, SiteServer, closed_port

DATA = Path(__file__).parent / "pages" / "linkchecker"
DATADIR = "tests/checker/data"
# Files LinkChecker's data directory holds (its results mark them valid) whose bytes are not copied here:
# only their existence decides a verdict.
STAND_INS = ("file.html", "file.css", "file.asc", "file.txt", "favicon.ico", "test.swf", "base/test.txt",
             "newurl.html")
DIRECTORIES = ("/", "/tests/", "/tests/checker/", f"/{DATADIR}/", f"/{DATADIR}/base/")
# Each expected-output file and the pages of the test that produced it (LinkChecker follows their links).
TESTS = {
    "http.html.result": ("http.html",),
    "http_slash.html.result": ("http_slash.html",),
    "http_quotes.html.result": ("http_quotes.html",),
    "http_file.html.result": ("http_file.html",),
    "http_invalid_host.html.result": ("http_invalid_host.html",),
    "http_url_quote.html.result": ("http_url_quote.html",),
    "http_anchor.html.result": ("http_anchor.html",),
    "urlencoding_anchor.html.result": ("urlencoding_anchor.html",),
    "allrefs1.html.result": ("allrefs1.html", "allrefs2.html", "allrefs3.html"),
    "anchor1.html.result": ("anchor1.html", "anchor2.html", "anchor3.html"),
    "base1.html.result": ("base1.html",),
    "base2.html.result": ("base2.html",),
    "html5.html.result": ("html5.html",),
    "misc.html.result": ("misc.html",),
    "archive.html.result": ("archive.html",),
}
# Expected verdicts LinkChecker states in its test code rather than a .result file:
# tests/checker/test_http_redirect.py (redirect1, redirect2, redirect4, redirect5) and
# tests/checker/test_http.py (_test_status: error iff the status is below 200 or 400 and above).
REDIRECT_TESTS = {
    "/redirect1": "error",  # to /newurl1, which does not exist
    f"/{DATADIR}/redirect.html": "valid",  # to newurl.html
    "/redirect_newscheme_ftp": "error",  # "don't allow ftp redirects"
    "/redirect_newscheme_file": "error",  # "don't allow file redirects"
}
# 1xx are no final answers over HTTP/1.1; govmon does not judge 429 (a server pushing back is not a dead link).
STATUSES = tuple(status for status in BaseHTTPRequestHandler.responses if 200 <= status < 600 and status != 429)
# Targets off the test server whose verdict needs no internet, and why.
OFFLINE = {
    "http://www.garantiertnixgutt.bla/": "no such top-level domain: the name resolves nowhere",
    "http://.example.org/": "an empty DNS label: no resolver can look it up",
    "http://localhost]": "a malformed host",
    "http://": "no host",
}
# Where govmon's verdict deliberately differs from LinkChecker's: (expected-output file, URL as written) → why.
KNOWN_DISAGREEMENTS = {
    ("http_slash.html.result", "http:"): "on an http: page a browser resolves it to the page itself, which works",
    ("http_slash.html.result", "http:/"): "on an http: page a browser resolves it to the site's root, which works",
    ("http.html.result", "file.html"): "<applet archive>: browsers dropped applets, govmon does not check them",
    ("http.html.result", "file.css"): "<applet src>: browsers dropped applets, govmon does not check them",
    ("archive.html.result", "file.html"): "<object archive>: an applet-era attribute browsers do not load",
    ("misc.html.result", "favicon.ico"): "<meta rel=icon href>: browsers take icons from <link>, not <meta>",
}


@dataclass(frozen=True)
class Expected:
    test: str  # the expected-output file
    written: str  # the URL as the result file names it
    target: str  # the URL on this machine
    verdict: str  # valid | error


def parse_result(text: str, values: dict[str, object]) -> list[tuple[str, str | None, str]]:
    """(URL as written, the <base href> it resolves against or None, valid|error) per entry of a
    LinkChecker expected-output file."""
    entries = []
    for block in text.split("\n\n"):
        lines = [line % values for line in block.splitlines() if line and not line.startswith("#")]
        if lines and lines[0].startswith("url ") and lines[-1] in ("valid", "error"):
            base = next((line[8:] for line in lines if line.startswith("baseurl ")), None)
            entries.append((lines[0][4:].removesuffix(" (cached)"), base, lines[-1]))
    return entries


def expected_verdicts(origin: str, refused: int) -> list[Expected]:
    """Every entry whose verdict is defined over HTTP on this machine, one per distinct target of a test."""
    values = {"port": int(origin.rsplit(":", 1)[1]), "datadir": DATADIR, "curdir": "."}
    expected: dict[tuple[str, str], Expected] = {}
    for test, pages in TESTS.items():
        page_url = f"{origin}/{DATADIR}/{pages[0]}"
        for written, base, verdict in parse_result((DATA / test).read_text(encoding="utf-8"), values):
            served = written.replace("localhost:8001", f"localhost:{refused}")
            scheme = served.partition(":")[0].lower() if ":" in served.partition("/")[0] else ""
            if scheme not in ("", "http", "https", "file") or served in (page_url, f"file://./{DATADIR}/{pages[0]}"):
                continue  # not HTTP (dns:, clsid:, mailto:), or the test's own page
            try:
                target = urljoin(base.replace("file://.", origin) if base else page_url, served)
                host = urlsplit(target).hostname
            except ValueError:  # govmon records a URL urlsplit rejects with its unbalanced brackets escaped
                target, host = served.replace("[", "%5B").replace("]", "%5D"), None
            if host != "localhost" and served not in OFFLINE and scheme != "file":
                continue  # needs the internet
            expected.setdefault((test, canonical_url(target)), Expected(test, written, target, verdict))
    for path, verdict in REDIRECT_TESTS.items():
        expected[("test_http_redirect.py", path)] = Expected("test_http_redirect.py", path, origin + path, verdict)
    for status in STATUSES:
        path = f"/status/{status}"
        expected[("test_http.py", path)] = Expected("test_http.py", path, origin + path,
                                                    "error" if status >= 400 else "valid")
    return list(expected.values())


def answer(refused: int):
    """LinkChecker's test server (NoQueryHttpRequestHandler + CookieRedirectHttpRequestHandler), cookies aside."""

    def reply(handler) -> Reply:
        path = handler.path.partition("?")[0]
        if "status/" in path:
            status = int(path.rsplit("/", 1)[1])
            return Reply(status if status in BaseHTTPRequestHandler.responses else 500,
                         b"testcontent" if status not in (204, 304) else b"")
        if "redirect_newscheme" in path:
            return Reply(302, b"", {"Location": "file:README.md" if "file" in path else "ftp://example.com/"})
        if "redirect_newhost" in path:
            return Reply(302, b"", {"Location": "http://www.example.com/"})
        if "redirect" in path:
            return Reply(302, b"", {"Location": path.replace("redirect", "newurl")})
        if path in DIRECTORIES:
            return Reply(200, "<html><title>Dummy directory listing</title><body><ul><li><a href=\"example1.txt\">"
                              "example1.txt</a></ul></body></html>", {"Content-Type": "text/html; charset=utf-8"})
        name = path.removeprefix(f"/{DATADIR}/")
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        file = (DATA / name).resolve()
        if name != path and file.is_relative_to(DATA.resolve()) and file.is_file() and not name.endswith(".result"):
            body = file.read_bytes().replace(b"localhost:8001", f"localhost:{refused}".encode())
            return Reply(200, body, {"Content-Type": content_type})
        if name in STAND_INS:
            return Reply(200, f"stand-in for LinkChecker's {name}", {"Content-Type": content_type})
        return Reply(404, "<html><body>Not Found</body></html>", {"Content-Type": "text/html"})

    return reply


def index(expected: list[Expected]) -> Reply:
    """The harness's start page: a link to every test page and every directly checked URL."""
    pages = [f"/{DATADIR}/{page}" for pages in TESTS.values() for page in pages]
    direct = [e.target for e in expected if e.test.endswith(".py")]
    body = "".join(f'<a href="{url}">{url}</a>\n' for url in [*pages, *direct])
    return Reply(200, f"<html><body>{body}</body></html>", {"Content-Type": "text/html; charset=utf-8"})


@pytest_twisted.ensureDeferred
async def test_link_verdicts_agree_with_linkcheckers_expected_output(store, db_url, make_site):
    refused = closed_port()
    server = SiteServer({}, fallback=answer(refused))
    origin = f"http://localhost:{server.port}"
    expected = expected_verdicts(origin, refused)
    server.routes["/harness/"] = index(expected)
    with server, LocalDNS(Zone()) as dns:  # no name but localhost resolves: nothing leaves this machine
        run = await schedule_crawl(store, make_site(f"{origin}/harness/", timeout=2), db_url, dns.address)
    findings = check_run(store, run.id, load_pack("national"), datetime.now(UTC))
    broken = {canonical_url(f.target) for f in findings if f.rule.startswith("LINK-")}
    with store.session() as session:
        pages = {p.id: p for p in session.scalars(select(Page).where(Page.run_id == run.id))}
        linked = {(canonical_url(pages[source].url), canonical_url(target))
                  for source, target in session.execute(select(Link.source_id, Link.target)
                                                        .where(Link.run_id == run.id))}
    fetched = {canonical_url(p.url) for p in pages.values()}
    harness = canonical_url(f"{origin}/harness/")

    def verdict(e: Expected) -> str:
        key = canonical_url(e.target)
        sources = ({canonical_url(f"{origin}/{DATADIR}/{page}") for page in TESTS[e.test]}
                   if e.test in TESTS else {harness})
        if key not in fetched or not any((source, key) in linked for source in sources):
            return "not checked"
        return "error" if key in broken else "valid"

    outcomes = {(e.test, e.written): (e.verdict, verdict(e)) for e in expected}
    disagreements = {where: got for where, got in outcomes.items() if got[0] != got[1]}
    agreed = len(outcomes) - len(disagreements)
    both_broken = sum(1 for want, got in outcomes.values() if want == got == "error")
    precision = both_broken / max(1, sum(1 for _, got in outcomes.values() if got == "error"))
    recall = both_broken / max(1, sum(1 for want, _ in outcomes.values() if want == "error"))
    pages_only = [(want, got) for (test, _), (want, got) in outcomes.items() if test in TESTS]
    print(f"\nLinkChecker agreement: {agreed}/{len(outcomes)} = {agreed / len(outcomes):.1%} "
          f"({sum(want == got for want, got in pages_only)}/{len(pages_only)} on the links of its test pages); "
          f"broken links: precision {precision:.2f}, recall {recall:.2f}")
    assert run.status == "complete"
    assert {where: got for where, got in disagreements.items() if where not in KNOWN_DISAGREEMENTS} == {}
    assert set(disagreements) == set(KNOWN_DISAGREEMENTS)  # a known disagreement that went away: update the list
    assert len(outcomes) >= 80
