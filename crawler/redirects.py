"""HTTP redirects as a browser takes them, within the site's scope."""

from __future__ import annotations

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.http import Response

PARSED_KINDS = frozenset({"page", "probe", "spider_view"})  # fetched to be read; resources and external links are only checked


class BrowserRedirectMiddleware(RedirectMiddleware):
    """Scrapy's RedirectMiddleware hands a redirect to a scheme it cannot request (ftp:) to the
    spider unfollowed; one whose Location it cannot even parse (http://[bad, a port past 65535,
    file:x) fails the request with a ValueError instead. Both go to the spider as the redirect
    response, where a browser stops too: the spider names it ``unsupported_redirect``.

    A page's redirect out of the site's scope (the spider's ``in_scope``) is not followed either:
    another origin's page is no page of the site, and the monitor must not be sent to fetch and
    store whatever a server points it at (a service on the monitoring machine, another port). The
    response goes to the spider with the target in ``meta["offsite_redirect"]``, to be checked as
    an external link. Checks of resources and external links follow redirects anywhere, as a
    browser loading them does."""

    def process_response(self, request: Request, response: Response) -> Request | Response:
        try:
            redirected = super().process_response(request, response)
        except ValueError:
            return response
        kind = request.meta.get("govmon", {}).get("kind")
        if isinstance(redirected, Request) and kind in PARSED_KINDS and not self.crawler.spider.in_scope(
                redirected.url):
            request.meta["offsite_redirect"] = redirected.url.partition("#")[0]
            return response
        return redirected
