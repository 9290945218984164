"""A small in-process HTTP server that serves a fixed table of routes.

Used by the demo (`newscrawl demo`) and by the integration tests: every site of the local news
network is one `SiteServer` on its own loopback address, so a crawl sees several distinct hosts
without any real network access.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)

_NOT_FOUND_HTML = (
    b'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
    b"<title>Page not found</title></head><body><h1>404</h1>"
    b"<p>Sorry, we could not find that page.</p></body></html>\n"
)
_SERVER_ERROR_HTML = (
    b'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
    b"<title>Server error</title></head><body><h1>500</h1>"
    b"<p>Something went wrong. Please try again.</p></body></html>\n"
)


@dataclass
class Route:
    """One response the server gives for a path.

    `redirect` makes the route answer with a `Location` header (status 301 unless `status` is
    already a 3xx code). `fail_first` answers 500 to the first N requests for this route, then the
    real response; the count restarts when the route is replaced. `delay` is slept (in seconds)
    before every answer.
    """

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0
    fail_first: int = 0
    redirect: str | None = None

    @classmethod
    def html(cls, text: str, *, status: int = 200, charset: str | None = "utf-8") -> Route:
        """An HTML page; `charset=None` sends a Content-Type without charset (body is UTF-8)."""
        content_type = f"text/html; charset={charset}" if charset else "text/html"
        return cls(
            status=status,
            headers={"Content-Type": content_type},
            body=text.encode(charset or "utf-8"),
        )

    @classmethod
    def data(cls, body: bytes | str, content_type: str, *, status: int = 200) -> Route:
        """Any other payload (XML, plain text, PDF, images) with the given Content-Type."""
        raw = body.encode("utf-8") if isinstance(body, str) else body
        return cls(status=status, headers={"Content-Type": content_type}, body=raw)

    @classmethod
    def to(cls, location: str, *, status: int = 301) -> Route:
        """A redirect to `location` (absolute URL or path)."""
        return cls(status=status, redirect=location)


@dataclass(frozen=True)
class RequestRecord:
    """One request the server received; `path` includes the query string."""

    path: str
    method: str
    headers: dict[str, str]
    time: float


class SiteServer:
    """Serve `routes` (path -> Route) on `host:port` from a daemon thread.

    Lookup tries the exact path with its query string first, then the path alone, so tracking
    parameters (`/a?utm_source=x`) reach the page at `/a`. Unknown paths get a 404 HTML page.
    `port=0` picks a free port; read it back from `base_url` after `start()`.
    """

    def __init__(
        self, routes: dict[str, Route] | None = None, host: str = "127.0.0.1", port: int = 0
    ) -> None:
        self.host = host
        self._port = port
        self._routes: dict[str, Route] = dict(routes or {})
        self._hits: dict[str, int] = {}
        self._lock = threading.Lock()
        self._requests: list[RequestRecord] = []
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> SiteServer:
        """Bind and start serving; returns self so `SiteServer(...).start()` chains."""
        if self._httpd is not None:
            return self
        httpd = _QuietHTTPServer((self.host, self._port), _make_handler(self))
        self._httpd = httpd
        self._port = httpd.server_address[1]
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"SiteServer-{self.host}",
            daemon=True,
        )
        self._thread.start()
        logger.debug("SiteServer listening on %s", self.base_url)
        return self

    def stop(self) -> None:
        """Stop serving and release the socket; safe to call twice."""
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> SiteServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """`http://HOST:PORT` without a trailing slash (the port is only known after start())."""
        return f"http://{self.host}:{self._port}"

    def url(self, path: str) -> str:
        """Absolute URL of `path` on this server."""
        return self.base_url + path

    # -- routes --------------------------------------------------------------------------------

    def set_route(self, path: str, route: Route) -> None:
        """Add or replace one route while serving; its fail_first count starts again."""
        with self._lock:
            self._routes[path] = route
            self._hits.pop(path, None)

    def set_routes(self, routes: dict[str, Route]) -> None:
        """Replace the whole route table at once (e.g. a site re-rendered after an edit).

        Routes that come back unchanged keep their fail_first count; changed ones start again.
        """
        with self._lock:
            self._hits = {
                p: n for p, n in self._hits.items() if routes.get(p) == self._routes.get(p)
            }
            self._routes = dict(routes)

    def remove_route(self, path: str) -> None:
        """Make `path` answer 404 from now on."""
        with self._lock:
            self._routes.pop(path, None)
            self._hits.pop(path, None)

    @property
    def routes(self) -> dict[str, Route]:
        """A copy of the current route table."""
        with self._lock:
            return dict(self._routes)

    # -- request log ---------------------------------------------------------------------------

    @property
    def requests(self) -> list[RequestRecord]:
        """A snapshot of every request received so far, in arrival order."""
        with self._lock:
            return list(self._requests)

    def count(
        self, path_or_predicate: str | Callable[[RequestRecord], bool], method: str | None = None
    ) -> int:
        """How many requests matched.

        A string matches a request whose path equals it; a string without `?` also matches the
        same path with any query string. A callable receives each RequestRecord.
        """
        if callable(path_or_predicate):
            match = path_or_predicate
        else:
            wanted = path_or_predicate

            def match(record: RequestRecord) -> bool:
                return record.path == wanted or (
                    "?" not in wanted and record.path.split("?", 1)[0] == wanted
                )

        return sum(1 for r in self.requests if match(r) and (method is None or r.method == method))

    def clear_requests(self) -> None:
        """Forget the request log and the fail_first counters."""
        with self._lock:
            self._requests.clear()
            self._hits.clear()

    # -- used by the handler -------------------------------------------------------------------

    def _resolve(
        self, raw_path: str, method: str, headers: dict[str, str]
    ) -> tuple[Route | None, bool]:
        """Log the request and return (route or None, whether this hit must fail with 500)."""
        path_only = urlsplit(raw_path).path
        with self._lock:
            self._requests.append(RequestRecord(raw_path, method, headers, time.time()))
            key = raw_path if raw_path in self._routes else path_only
            route = self._routes.get(key)
            if route is None:
                return None, False
            hits = self._hits.get(key, 0)
            self._hits[key] = hits + 1
            return route, hits < route.fail_first


class _QuietHTTPServer(ThreadingHTTPServer):
    # A client that hangs up mid-answer (a crawler timing out on the slow page) is normal here;
    # log it instead of printing a traceback to stderr.
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        logger.debug("client %s dropped the connection", client_address, exc_info=True)


def _make_handler(server: SiteServer) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        server_version = "newscrawl-demo/1.0"
        # Keep-alive like real sites (every response carries Content-Length).
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self._answer(send_body=True)

        def do_HEAD(self) -> None:
            self._answer(send_body=False)

        def _answer(self, send_body: bool) -> None:
            route, fail = server._resolve(self.path, self.command, dict(self.headers.items()))
            if route is not None and route.delay:
                time.sleep(route.delay)
            if route is None:
                status, headers, body = (
                    404,
                    {"Content-Type": "text/html; charset=utf-8"},
                    _NOT_FOUND_HTML,
                )
            elif fail:
                status, headers, body = (
                    500,
                    {"Content-Type": "text/html; charset=utf-8"},
                    _SERVER_ERROR_HTML,
                )
            elif route.redirect is not None:
                status = route.status if 300 <= route.status < 400 else 301
                headers = {**route.headers, "Location": route.redirect}
                body = b""
            else:
                status, headers, body = route.status, route.headers, route.body
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if send_body:
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            logger.debug("%s %s", self.address_string(), format % args)

    return _Handler
