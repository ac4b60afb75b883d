"""HTTP redirects as a browser takes them."""

from __future__ import annotations

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.http import Response


class BrowserRedirectMiddleware(RedirectMiddleware):
    """Scrapy's RedirectMiddleware hands a redirect to a scheme it cannot request (ftp:) to the
    spider unfollowed; one whose Location it cannot even parse (http://[bad, a port past 65535,
    file:x) fails the request with a ValueError instead. Both go to the spider as the redirect
    response, where a browser stops too: the spider names it ``unsupported_redirect``."""

    def process_response(self, request: Request, response: Response) -> Request | Response:
        try:
            return super().process_response(request, response)
        except ValueError:
            return response
