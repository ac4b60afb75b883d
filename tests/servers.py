"""Real local HTTP servers for tests: routes in, sockets out. Never anything but loopback."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import uvicorn


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)

    def payload(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


def html(body: str, status: int = 200, charset: str | None = "utf-8", **headers: str) -> Reply:
    content_type = f"text/html; charset={charset}" if charset else "text/html"
    return Reply(status, body, {"Content-Type": content_type, **headers})


Route = Reply | Callable[["Handler"], Reply]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, routes: dict[str, Route], fallback: Route | None, family):
        self.address_family = family
        self.routes = routes
        self.fallback = fallback
        self.hits: list[tuple[str, str]] = []
        super().__init__(address, Handler)


class Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *args) -> None:  # keep test output clean
        pass

    def _reply(self, send_body: bool) -> None:
        self.server.hits.append((self.command, self.path))
        route = self.server.routes.get(self.path, self.server.fallback)
        if route is None:
            route = Reply(404, "<html><body>Not Found</body></html>", {"Content-Type": "text/html"})
        reply = route(self) if callable(route) else route
        body = reply.payload()
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def do_GET(self) -> None:
        self._reply(True)

    def do_HEAD(self) -> None:
        self._reply(False)


class SiteServer:
    """A site on 127.0.0.1 (and optionally [::1]) answering from a routes table."""

    def __init__(self, routes: dict[str, Route], fallback: Route | None = None, host: str = "127.0.0.1",
                 port: int = 0):
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.server = _Server((host, port), routes, fallback, family)
        self.routes = routes
        self.port = self.server.server_address[1]
        self.url = f"http://[{host}]:{self.port}" if ":" in host else f"http://{host}:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def close(self) -> None:
        """Release the port of a server that was never started."""
        self.server.server_close()

    @property
    def hits(self) -> list[tuple[str, str]]:
        return self.server.hits

    def __enter__(self) -> SiteServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


class SilentServer:
    """Accepts connections and never answers: the server that makes crawlers hang."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
        self.sock.bind((host, port))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://[{host}]:{self.port}" if ":" in host else f"http://{host}:{self.port}"
        self.held: list[socket.socket] = []
        self.accepted = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)
            self.accepted.set()

    def __enter__(self) -> SilentServer:
        self.thread.start()
        return self

    def close(self) -> None:
        self.sock.close()

    def __exit__(self, *exc) -> None:
        self.sock.close()
        for conn in self.held:
            conn.close()


class EndlessSite:
    """Every page links to five new ones: a crawl of it only ends when it is stopped."""

    def __init__(self, signal_after: int):
        self.served = 0
        self.lock = threading.Lock()
        self.enough = threading.Event()
        self.signal_after = signal_after

    def __call__(self, handler):
        with self.lock:
            self.served += 1
            if self.served >= self.signal_after:
                self.enough.set()
        number = int("".join(c for c in handler.path if c.isdigit()) or 0)
        links = "".join(f'<a href="/p{5 * number + i}.html">第{5 * number + i}页</a>' for i in range(1, 6))
        return html(f"<html><head><title>第{number}页</title></head><body>{links}</body></html>")


class UvicornServer(uvicorn.Server):
    """A uvicorn server that says when it listens, so a test waits for exactly that."""

    def __init__(self, config: uvicorn.Config):
        super().__init__(config)
        self.listening = threading.Event()

    async def startup(self, sockets=None) -> None:
        await super().startup(sockets)
        self.listening.set()


def closed_port() -> int:
    """A port with nothing listening on 127.0.0.1 (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def on_both_stacks(v4: Callable[[int], SiteServer], v6: Callable[[int], object] | None = None):
    """(IPv4 server, IPv6 server or None) sharing one port number, so one URL reaches either stack.

    ``v4(0)`` binds 127.0.0.1 first and keeps its port while ``v6(port)`` binds ::1 on the same
    number; on a collision both are released and another port is tried. Without ``v6`` the ::1
    port is left closed (checked free at the time).
    """
    for _ in range(50):
        first = v4(0)
        try:
            if v6 is not None:
                return first, v6(first.port)
            with socket.socket(socket.AF_INET6) as probe:
                probe.bind(("::1", first.port))
            return first, None
        except OSError:
            first.close()
    raise RuntimeError("no port free on both stacks")
