"""Serve the generated demo portal and a stand-in external site on real local sockets, and the site's DNS names.

Each server listens on 127.0.0.1 and on [::1] with the same port. The portal server also serves the sub-site, as
a virtual host: requests whose Host is the sub-site's name get its files, or a real 404. The portal answers like a
typical government CMS behind nginx: unknown pages get a 200 "page does not exist" page in the site template (a
soft 404), unknown static files and unknown pages of the 互动交流 application a real 404, unknown attachments a 200
HTML error page. Like a hacked site, it gives a search-engine spider (a User-Agent naming Baiduspider) another
homepage, with a gambling title and links. Like a site whose IPv6 front end was only half configured, its [::1] socket resets connections to
互动交流 and answers 503 for 办事服务; the DNS server gives the site's host an AAAA record but its name servers none,
and the sub-site's host an A record only. The external server also answers the new-media accounts' mirrors the
generator wrote (a local "RSSHub" and an HTML archive, one feed answering 503).
"""

import json
import re
import socket
import socketserver
import struct
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .dns import LocalDNS, Zone
from .portal import generate
from .routes import (
    APPLICATION_PREFIX,
    ATTACHMENT_EXTENSIONS,
    CLOSED,
    DOMAIN,
    EXTERNAL,
    EXTERNAL_DIR,
    EXTERNAL_HEAD_STATUS,
    EXTERNAL_PAGES,
    EXTERNAL_ROUTES_FILE,
    GAMBLING,
    HOST,
    IPV6_RESET_PREFIX,
    IPV6_UNAVAILABLE_PREFIX,
    MANIFEST_FILE,
    NAME_SERVERS,
    REDIRECT_LOOP,
    SERVER_ERROR_PREFIX,
    SITE_DIR,
    SOFT_404_FILE,
    SPIDER_HOME_FILE,
    SPIDER_MARK,
    STATIC_PREFIXES,
    SUBSITE_DIR,
    SUBSITE_HOST,
)

# The demo's whole API in one place: generate (re-exported from portal), serve, load_manifest, site_zone.
__all__ = ["DemoServers", "generate", "load_manifest", "serve", "site_zone"]


@dataclass(frozen=True)
class DemoServers:
    portal: str  # "http://127.0.0.1:PORT" (no trailing slash)
    portal_v6: str  # "http://[::1]:PORT"
    external: str  # "http://localhost:PORT2"
    closed: str  # "http://localhost:PORT3", nothing listens there
    dns: str  # "127.0.0.1:PORT4", the DNS server that answers the site's names
    host: str  # "www.dianzhong.gov.cn", resolving to 127.0.0.1 and ::1 through `dns`

    @property
    def named(self) -> str:
        """The portal by its host name: "http://www.dianzhong.gov.cn:PORT"."""
        return f"http://{self.host}:{urlsplit(self.portal).port}"

    @property
    def gambling(self) -> str:
        """The gambling site of the hacked pages: the external server by its address, "http://127.0.0.1:PORT2", a
        host of its own."""
        return self.external.replace("localhost", "127.0.0.1")

    @property
    def subsite_named(self) -> str:
        """The sub-site by its host name, on the portal's port (IPv4 only): "http://www.dzfgw.cn:PORT"."""
        return f"http://{SUBSITE_HOST}:{urlsplit(self.portal).port}"


CONTENT_TYPES = {
    ".html": "text/html", ".css": "text/css", ".js": "application/javascript", ".png": "image/png",
    ".jpg": "image/jpeg", ".gif": "image/gif", ".pdf": "application/pdf", ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel", ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".zip": "application/zip", ".txt": "text/plain",
}
_DECLARES_UTF8 = re.compile(rb"""charset=["']?utf-8""", re.IGNORECASE)

NGINX_404 = (b"<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1>"
             b"</center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
NGINX_503 = (b"<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n"
             b"<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n"
             b"</body>\r\n</html>\r\n")
APPLICATION_404 = ("<!doctype html><html lang=\"en\"><head><title>HTTP Status 404 – Not Found</title></head>"
                   "<body><h1>HTTP Status 404 – Not Found</h1></body></html>").encode()
APPLICATION_500 = ("<!doctype html><html lang=\"en\"><head><title>HTTP Status 500 – Internal Server Error</title>"
                   "</head><body><h1>HTTP Status 500 – Internal Server Error</h1></body></html>").encode()
MISSING_FILE = ('<html><head><meta charset="utf-8"><title>下载提示</title></head><body>'
                '<p>文件不存在！</p><p><a href="javascript:history.back()">返回</a></p></body></html>').encode()


def site_zone() -> Zone:
    """The site's DNS records: the host on both stacks, the domain's name servers and the sub-site on IPv4 only."""
    zone = Zone().add(HOST, "A", "127.0.0.1").add(HOST, "AAAA", "::1").add(DOMAIN, "NS", *NAME_SERVERS)
    zone.add(SUBSITE_HOST, "A", "127.0.0.1")
    for name_server in NAME_SERVERS:
        zone.add(name_server, "A", "127.0.0.1")
    return zone


@contextmanager
def serve(out_dir: Path) -> Iterator[DemoServers]:
    """Serve the portal generated in out_dir, the external site and the DNS names; stop them all on exit."""
    out_dir = Path(out_dir)
    with ExitStack() as stack:
        dns = stack.enter_context(LocalDNS(site_zone()))
        external_port = stack.enter_context(_listening(_external_handler(out_dir / EXTERNAL_DIR)))
        closed_port = _free_port()
        servers_without_portal = {"external": f"http://localhost:{external_port}",
                                  "closed": f"http://localhost:{closed_port}"}
        gambling = f"http://127.0.0.1:{external_port}"
        handler = _portal_handler(out_dir / SITE_DIR, out_dir / SUBSITE_DIR, (out_dir / SOFT_404_FILE).read_bytes(),
                                  (out_dir / SPIDER_HOME_FILE).read_bytes(),
                                  {EXTERNAL.encode(): servers_without_portal["external"].encode(),
                                   CLOSED.encode(): servers_without_portal["closed"].encode(),
                                   GAMBLING.encode(): gambling.encode()})
        port = stack.enter_context(_listening(handler))
        yield DemoServers(portal=f"http://127.0.0.1:{port}", portal_v6=f"http://[::1]:{port}",
                          **servers_without_portal, dns=dns.address, host=HOST)


def load_manifest(out_dir: Path, servers: DemoServers) -> dict:
    """The manifest with {portal}, {subsite}, {external}, {gambling}, {closed} and {dns} expanded to the running
    servers' addresses; the sub-site only answers by its name."""
    values = {"{portal}": servers.portal, "{subsite}": servers.subsite_named, "{external}": servers.external,
              "{gambling}": servers.gambling, "{closed}": servers.closed, "{dns}": servers.dns}

    def expand(node):
        if isinstance(node, str):
            for placeholder, url in values.items():
                node = node.replace(placeholder, url)
            return node
        if isinstance(node, list):
            return [expand(item) for item in node]
        if isinstance(node, dict):
            return {key: expand(value) for key, value in node.items()}
        return node

    return expand(json.loads((Path(out_dir) / MANIFEST_FILE).read_text(encoding="utf-8")))


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def server_bind(self):
        # HTTPServer.server_bind would look the host name up (getfqdn); bind without any name lookup.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]


class _ServerV6(_Server):
    address_family = socket.AF_INET6


@contextmanager
def _listening(handler: type[BaseHTTPRequestHandler]) -> Iterator[int]:
    """Serve `handler` on 127.0.0.1 and [::1] with one port number; yield the port."""
    pair = _bind_pair(handler)
    threads = [threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True) for server in pair]
    for thread in threads:
        thread.start()
    try:
        yield pair[0].server_address[1]
    finally:
        for server in pair:
            server.shutdown()
            server.server_close()


def _bind_pair(handler: type[BaseHTTPRequestHandler]) -> tuple[_Server, _ServerV6]:
    """Bind 127.0.0.1 on a free port, then ::1 on the same one; retry when ::1 has it taken."""
    for _ in range(50):
        first = _Server(("127.0.0.1", 0), handler)
        try:
            return first, _ServerV6(("::1", first.server_address[1]), handler)
        except OSError:
            first.server_close()
    raise OSError("no port free on both 127.0.0.1 and ::1")


def _free_port() -> int:
    """A port that nothing listens on, on 127.0.0.1 nor on ::1 (checked by binding both, then released)."""
    pair = _bind_pair(BaseHTTPRequestHandler)
    for server in pair:
        server.server_close()
    return pair[0].server_address[1]


class _Handler(BaseHTTPRequestHandler):
    def version_string(self):
        return "nginx"

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        self.answer(send_body=True)

    def do_HEAD(self):
        self.answer(send_body=False)

    def answer(self, send_body: bool) -> None:
        raise NotImplementedError

    def send(self, status: int, body: bytes, content_type: str, send_body: bool, headers: dict | None = None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(body)


def _portal_handler(site: Path, subsite: Path, soft_404: bytes, spider_home: bytes,
                    substitutions: dict[bytes, bytes]) -> type[_Handler]:
    site, subsite = site.resolve(), subsite.resolve()

    def substitute(html: bytes) -> bytes:
        for placeholder, value in substitutions.items():
            html = html.replace(placeholder, value)
        return html

    soft_404, spider_home = substitute(soft_404), substitute(spider_home)

    class PortalHandler(_Handler):
        def answer(self, send_body: bool) -> None:
            path = unquote(urlsplit(self.path).path)
            if urlsplit(f"//{self.headers.get('Host', '')}").hostname == SUBSITE_HOST:
                return self.answer_subsite(path, send_body)
            if self.server.address_family == socket.AF_INET6:
                if path.startswith(IPV6_RESET_PREFIX):
                    return self.reset()
                if path.startswith(IPV6_UNAVAILABLE_PREFIX):
                    return self.send(503, NGINX_503, "text/html", send_body)
            if path == "/" and SPIDER_MARK in self.headers.get("User-Agent", ""):
                return self.send(200, spider_home, "text/html; charset=utf-8", send_body)
            if path in REDIRECT_LOOP:
                return self.send(302, b"", "text/html", send_body, {"Location": REDIRECT_LOOP[path]})
            if path.startswith(SERVER_ERROR_PREFIX):
                return self.send(500, APPLICATION_500, "text/html;charset=utf-8", send_body)
            if self.send_found(site, path, send_body):
                return None
            if path.startswith(STATIC_PREFIXES):
                return self.send(404, NGINX_404, "text/html", send_body)
            if path.startswith(APPLICATION_PREFIX):
                return self.send(404, APPLICATION_404, "text/html;charset=utf-8", send_body)
            if path.lower().endswith(ATTACHMENT_EXTENSIONS):
                return self.send(200, MISSING_FILE, "text/html; charset=utf-8", send_body)
            return self.send(200, soft_404, "text/html; charset=utf-8", send_body)

        def answer_subsite(self, path: str, send_body: bool) -> None:
            """The sub-site: its files, a real 404 for anything else."""
            if not self.send_found(subsite, path, send_body):
                self.send(404, NGINX_404, "text/html", send_body)

        def send_found(self, root: Path, path: str, send_body: bool) -> bool:
            """Answer with the file at path under root (or a redirect to the directory's slash); False if none."""
            file = (root / (path.lstrip("/") + ("index.html" if path.endswith("/") else ""))).resolve()
            if file.is_relative_to(root) and file.is_dir():
                self.send(301, b"", "text/html", send_body, {"Location": path + "/"})
                return True
            if file.is_relative_to(root) and file.is_file():
                self.send_file(file, send_body)
                return True
            return False

        def reset(self) -> None:
            """Drop the connection without an answer: closing with a zero linger time sends RST, not FIN."""
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True

        def send_file(self, file: Path, send_body: bool) -> None:
            body = file.read_bytes()
            content_type = CONTENT_TYPES.get(file.suffix.lower(), "application/octet-stream")
            if content_type == "text/html":
                body = substitute(body)
                if _DECLARES_UTF8.search(body[:1024]):
                    content_type = "text/html; charset=utf-8"  # others: no charset, the page decides
            self.send(200, body, content_type, send_body)

    return PortalHandler


def _external_handler(root: Path) -> type[_Handler]:
    """The "other sites": a few pages, two of which refuse HEAD, the generated mirrors under root (their links to
    the external site made absolute), 404 for anything else."""
    root = root.resolve()
    routes_file = root / EXTERNAL_ROUTES_FILE
    routes = json.loads(routes_file.read_text(encoding="utf-8")) if routes_file.is_file() else {}

    class ExternalHandler(_Handler):
        def answer(self, send_body: bool) -> None:
            path = urlsplit(self.path).path
            title = EXTERNAL_PAGES.get(path)
            if title is None:
                return self.answer_generated(unquote(path), send_body)
            if not send_body and path in EXTERNAL_HEAD_STATUS:
                return self.send(EXTERNAL_HEAD_STATUS[path], b"", "text/html", send_body, {"Allow": "GET"})
            body = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head>'
                    f"<body><h1>{title}</h1></body></html>").encode()
            self.send(200, body, "text/html; charset=utf-8", send_body)

        def answer_generated(self, path: str, send_body: bool) -> None:
            route = routes.get(path)
            if route is None:
                return self.send(404, NGINX_404, "text/html", send_body)
            origin = f"http://localhost:{self.server.server_address[1]}"
            body = (root / route["file"]).read_bytes().replace(EXTERNAL.encode(), origin.encode())
            self.send(route["status"], body, route["type"], send_body)

    return ExternalHandler
