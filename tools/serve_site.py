"""Serve the built site/ like GitHub Pages does, with the standard library only.

    python tools/serve_site.py [PORT] [--dir SITE_DIR] [--prefix /REPO/] [--quiet]

Behaviour copied from GitHub Pages (what matters for the Pyodide calculator and its tests):
  * ``.wasm`` as ``application/wasm`` (needed for streaming compilation), ``.mjs``/``.js`` as
    ``text/javascript`` (module workers refuse other types);
  * gzip for compressible types when the client sends ``Accept-Encoding: gzip`` (``Vary`` set);
  * ``Cache-Control: max-age=600``, ``Last-Modified`` and ``ETag`` with 304 answers;
  * ``/dir`` redirects to ``/dir/``, ``/dir/`` serves ``index.html``, ``/page`` serves ``page.html``;
  * unknown paths answer 404 with the site's ``404.html``;
  * ``--prefix /<repo>/`` serves the site under a sub-path, as a project site at
    ``https://<owner>.github.io/<repo>/`` is (anything outside the prefix is a plain 404).

From tests::

    from tools.serve_site import start_server
    base_url, stop = start_server(Path("site"), port=0)   # port 0 = a free port
    ...
    stop()
"""

from __future__ import annotations

import argparse
import email.utils
import gzip
import hashlib
import http.server
import os
import posixpath
import socket
import sys
import threading
import urllib.parse
from collections.abc import Callable
from pathlib import Path

__all__ = ["SiteHandler", "make_server", "start_server"]

DEFAULT_PORT = 8000
CACHE_CONTROL = "max-age=600"

MIME_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".map": "application/json; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".wasm": "application/wasm",
    ".zip": "application/zip",
    ".whl": "application/zip",
    ".gz": "application/gzip",
    ".toml": "application/toml",
}

COMPRESSIBLE_PREFIXES = ("text/", "application/json", "application/xml", "image/svg+xml",
                         "application/wasm", "application/toml", "image/x-icon", "font/ttf")


def _content_type(path: Path) -> str:
    return MIME_TYPES.get(path.suffix.lower(), "application/octet-stream")


def _compressible(content_type: str) -> bool:
    return content_type.startswith(COMPRESSIBLE_PREFIXES)


class _GzipCache:
    """gzip bodies keyed by (path, mtime, size): the 9.6 MB wasm is compressed once, not per request."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[tuple[int, int], bytes]] = {}

    def get(self, path: Path, raw: bytes, stamp: tuple[int, int]) -> bytes:
        key = str(path)
        with self._lock:
            hit = self._entries.get(key)
            if hit and hit[0] == stamp:
                return hit[1]
        body = gzip.compress(raw, compresslevel=6, mtime=0)
        with self._lock:
            self._entries[key] = (stamp, body)
        return body


class SiteHandler(http.server.BaseHTTPRequestHandler):
    """GET/HEAD handler for a static directory; see the module docstring."""

    server_version = "b12-serve-site"
    protocol_version = "HTTP/1.1"
    site_dir: Path = Path("site")
    prefix = "/"
    quiet = False
    gzip_cache = _GzipCache()

    # --- plumbing -------------------------------------------------------------------------------

    def log_message(self, format: str, *args: object) -> None:
        if not self.quiet:
            super().log_message(format, *args)

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    # --- resolution -----------------------------------------------------------------------------

    def _resolve(self, url_path: str) -> tuple[str, Path | None]:
        """Return ("file", path) | ("redirect", None) | ("missing", None)."""
        path = posixpath.normpath(urllib.parse.unquote(url_path))
        parts = [p for p in path.split("/") if p and p not in (".", "..")]
        root = self.site_dir.resolve()
        target = root.joinpath(*parts)
        if not target.resolve().is_relative_to(root):
            return "missing", None
        if target.is_dir():
            if not url_path.endswith("/"):
                return "redirect", None
            index = target / "index.html"
            return ("file", index) if index.is_file() else ("missing", None)
        if target.is_file():
            return "file", target
        html = target.with_name(target.name + ".html")
        if parts and html.is_file():
            return "file", html
        return "missing", None

    def _respond(self, send_body: bool) -> None:
        split = urllib.parse.urlsplit(self.path)
        if split.path == self.prefix.rstrip("/") and self.prefix != "/":
            kind, file = "redirect", None
        elif not split.path.startswith(self.prefix):
            kind, file = "outside", None
        else:
            kind, file = self._resolve("/" + split.path[len(self.prefix):])
        if kind == "redirect":
            location = split.path + "/" + (f"?{split.query}" if split.query else "")
            self.send_response(301)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.send_header("Cache-Control", CACHE_CONTROL)
            self.end_headers()
            return
        status = 200
        if kind in ("missing", "outside") or file is None:
            status = 404
            file = self.site_dir / "404.html"
            if kind == "outside" or not file.is_file():
                body = b"404 Not Found\n"
                self.send_response(404)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if send_body:
                    self.wfile.write(body)
                return
        self._send_file(file, status, send_body)

    def _send_file(self, file: Path, status: int, send_body: bool) -> None:
        st = file.stat()
        stamp = (st.st_mtime_ns, st.st_size)
        etag = '"' + hashlib.sha1(f"{file}:{stamp}".encode()).hexdigest()[:20] + '"'
        last_modified = email.utils.formatdate(st.st_mtime, usegmt=True)
        content_type = _content_type(file)

        if status == 200:
            inm = self.headers.get("If-None-Match")
            ims = self.headers.get("If-Modified-Since")
            not_modified = False
            if inm is not None:
                not_modified = etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*"
            elif ims is not None:
                try:
                    since = email.utils.parsedate_to_datetime(ims).timestamp()
                    not_modified = int(st.st_mtime) <= int(since)
                except (TypeError, ValueError, IndexError, OverflowError):
                    not_modified = False
            if not_modified:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", last_modified)
                self.send_header("Cache-Control", CACHE_CONTROL)
                self.end_headers()
                return

        raw = file.read_bytes()
        body = raw
        gzipped = False
        if _compressible(content_type) and self._accepts_gzip():
            body = self.gzip_cache.get(file, raw, stamp)
            gzipped = True

        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
        if _compressible(content_type):
            self.send_header("Vary", "Accept-Encoding")
        if status == 200:
            self.send_header("Cache-Control", CACHE_CONTROL)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", last_modified)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _accepts_gzip(self) -> bool:
        header = self.headers.get("Accept-Encoding", "")
        for item in header.split(","):
            name, _, params = item.strip().partition(";")
            if name.strip().lower() in ("gzip", "*"):
                q = params.strip()
                if not q.startswith("q="):
                    return True
                try:
                    return float(q[2:]) > 0
                except ValueError:
                    return False
        return False


class _Server(http.server.ThreadingHTTPServer):
    allow_reuse_address = True
    daemon_threads = True


def make_server(site_dir: Path, port: int = DEFAULT_PORT, host: str = "127.0.0.1",
                quiet: bool = False, prefix: str = "/") -> http.server.ThreadingHTTPServer:
    """Bind (but do not start) a server for ``site_dir`` at ``prefix`` (a path such as "/b12-calc/").
    ``port=0`` picks a free port."""
    site_dir = Path(site_dir).resolve()
    if not site_dir.is_dir():
        raise FileNotFoundError(f"site directory not found: {site_dir} (run scripts/build)")
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    handler = type("BoundSiteHandler", (SiteHandler,), {"site_dir": site_dir, "quiet": quiet,
                                                       "prefix": prefix, "gzip_cache": _GzipCache()})
    return _Server((host, port), handler)


def start_server(site_dir: Path, port: int = 0, host: str = "127.0.0.1",
                 quiet: bool = True, prefix: str = "/") -> tuple[str, Callable[[], None]]:
    """Serve ``site_dir`` from a daemon thread. Returns (base URL of the server's root, ending in "/",
    without the prefix; stop function)."""
    server = make_server(site_dir, port=port, host=host, quiet=quiet, prefix=prefix)
    thread = threading.Thread(target=server.serve_forever, name="serve_site", daemon=True)
    thread.start()
    bound_host, bound_port = server.server_address[:2]
    base_url = f"http://{bound_host!s}:{bound_port}/"

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

    return base_url, stop


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    """True if something already listens at host:port (the tests fail with a clear message then)."""
    with socket.socket() as probe:
        return probe.connect_ex((host, port)) == 0


def main(argv: list[str] | None = None) -> int:
    repo_root = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("port", nargs="?", type=int,
                        default=int(os.environ.get("PORT", DEFAULT_PORT)))
    parser.add_argument("--dir", type=Path, default=repo_root / "site", help="site directory")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--prefix", default="/", help="serve the site under this path, e.g. /b12-calc/")
    parser.add_argument("--quiet", action="store_true", help="do not log requests")
    args = parser.parse_args(argv)
    try:
        server = make_server(args.dir, port=args.port, host=args.host, quiet=args.quiet,
                             prefix=args.prefix)
    except (FileNotFoundError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    host, port = server.server_address[:2]
    prefix = server.RequestHandlerClass.prefix  # type: ignore[attr-defined]
    print(f"Serving {args.dir} at http://{host!s}:{port}{prefix}  (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("\nstopped")
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
