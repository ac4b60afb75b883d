"""A site's origins: the (scheme, host, port) it is served from, the one scope of everything fetched for it.

The crawler's scope and the citizen-report checks read the same set, so a report can never make govmon fetch
what a crawl of the site would not.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from govmon.registry import Site

DEFAULT_PORTS = {"http": 80, "https": 443}

Origin = tuple[str, str, int]


def origin_of(url: str) -> Origin | None:
    """(scheme, host, port) of an http(s) URL, the port defaulted; None for anything else or a malformed URL."""
    try:
        parts = urlsplit(url.strip())
        scheme, host, port = parts.scheme.lower(), parts.hostname, parts.port
    except ValueError:  # a port out of range or not a number, a broken bracket
        return None
    if scheme not in DEFAULT_PORTS or not host:
        return None
    return scheme, host, port or DEFAULT_PORTS[scheme]


def site_origins(site: Site) -> frozenset[Origin]:
    """The home's origin and each allowed host's. A host on its scheme's default port is the site under http and
    https alike (sites move to https and keep http links); on another port it is that one origin only. An allowed
    host without a port takes the home's port, with ":PORT" its own, under the home's scheme."""
    home = origin_of(site.home)
    if home is None:  # the registry refuses such a home; nothing is in scope
        return frozenset()
    scheme, home_host, home_port = home

    def origins(host: str, port: int) -> set[Origin]:
        if port == DEFAULT_PORTS[scheme]:
            return {("http", host, 80), ("https", host, 443)}
        return {(scheme, host, port)}

    scope = origins(home_host, home_port)
    for entry in site.allowed_hosts:
        parts = urlsplit(f"//{entry}")
        scope |= origins(parts.hostname or entry, parts.port or home_port)
    return frozenset(scope)


def on_site(site: Site, url: str) -> bool:
    """Whether url is on one of the site's origins (a malformed URL is on no site)."""
    return origin_of(url) in site_origins(site)


def origin_text(origin: Origin) -> str:
    """An origin as a person writes it: http://host, https://host:8443, http://[::1]:8080."""
    scheme, host, port = origin
    host = f"[{host}]" if ":" in host else host
    return f"{scheme}://{host}" if port == DEFAULT_PORTS[scheme] else f"{scheme}://{host}:{port}"
