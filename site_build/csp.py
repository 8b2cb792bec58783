"""A strict Content Security Policy for every page of the built site, as a ``<meta>`` first in ``<head>``.

GitHub Pages cannot send response headers, so the policy travels in the page. A ``<meta>`` policy only
governs what the parser meets after it, so it is inserted as the first child of ``<head>`` (directly after
``<meta charset>`` when the theme puts that first: the charset declaration must stay within the first
1,024 bytes, and it is not something a policy governs). mkdocs-material emits a few small inline scripts
(``__md_scope``/``__md_get`` helpers, palette, content tabs); their sha256 hashes are computed here from the
final HTML of each page, at build time, so the policy needs no ``'unsafe-inline'`` and follows theme
upgrades by itself. The ``__config`` block is ``type="application/json"``: data, not a script, so no hash.

Called from the mkdocs hook (``on_post_page`` for pages, ``on_post_template`` for 404.html).

What the directives are for:
  * ``script-src 'self' <hashes>``: our modules and the theme bundle, plus exactly the page's inline
    scripts (the theme's, and on the calculator page the one that starts the engine's worker). No
    ``'wasm-unsafe-eval'``: Pyodide runs only in the engine's module worker, which takes its policy from
    its own response (none on Pages), not from this page; no page ever compiles wasm.
  * ``worker-src 'self'``: the engine worker, the theme's search worker, the service worker (sw.js).
  * ``connect-src 'self'``: fetches by the page (instant navigation, search index, sitemap).
  * ``style-src 'self'`` (+ hashes of inline ``<style>`` elements, if the theme emits any): the theme
    styles through stylesheets and the CSSOM, which CSP does not restrict; the built pages carry no
    ``style`` attributes, so no ``'unsafe-inline'`` is needed.
  * ``img-src 'self' data:``: the theme's icons are ``data:`` SVG masks in its stylesheet.
  * ``form-action 'none'``: no form on the site is ever submitted (the search and the calculator handle
    input in script and prevent submission).
  * ``object-src 'none'``, ``base-uri 'self'``, ``default-src 'self'``, ``font-src 'self'``,
    ``manifest-src 'self'``.
A ``<meta>`` policy cannot carry ``frame-ancestors``, ``report-uri`` or ``sandbox`` (browsers ignore them).

What protects the engine worker, which this policy does not reach (a module worker takes its policy from
its own response headers, and GitHub Pages sends none): the page may start workers only from the site
(``worker-src 'self'``); the worker imports only modules resolved against its own URL on the site (no
CDN, no ``importScripts`` of anything else); it checks the calculator wheel's sha256 against the
lockfile before installing it; and it treats every message from the page as JSON data for
``calc.evaluate_json`` / ``render_json``, never as code (no ``runPython`` of input). The service worker
(sw.js) likewise has no policy of its own: it is generated at build time, inlines the Workbox runtime
and imports only ``javascripts/site/sw-precache-reuse.js`` and ``javascripts/site/sw-head-requests.js``
from the site.

``mkdocs serve`` injects an inline live-reload script that this policy refuses: use ``scripts/serve``
(a real build, served like Pages) to look at the site.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re

__all__ = ["CSP_META_NAME", "add_csp_meta", "content_security_policy", "inline_hashes"]

CSP_META_NAME = "Content-Security-Policy"

_SCRIPT = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.S | re.I)
_STYLE = re.compile(r"<style\b(?P<attrs>[^>]*)>(?P<body>.*?)</style\s*>", re.S | re.I)
_ATTR = re.compile(r"""([\w:-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
_HEAD = re.compile(r"<head\b[^>]*>", re.I)
_CHARSET_FIRST = re.compile(r"\s*<meta\s+charset\s*=\s*[\"']?[\w-]+[\"']?\s*/?>", re.I)
_EXISTING_META = re.compile(
    r"\s*<meta\s+http-equiv=\"Content-Security-Policy\"\s+content=\"[^\"]*\"\s*/?>", re.I)

#: Script types a browser executes (and CSP therefore checks); anything else is a data block.
_EXECUTABLE_TYPES = {"", "module", "text/javascript", "application/javascript", "text/ecmascript",
                     "application/ecmascript", "text/jscript", "text/livescript"}

#: Directives in the order they are written; script-src and style-src get the page's hashes.
_BASE_POLICY: tuple[tuple[str, str], ...] = (
    ("default-src", "'self'"),
    ("script-src", "'self'"),
    ("style-src", "'self'"),
    ("img-src", "'self' data:"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),
    ("worker-src", "'self'"),
    ("manifest-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'none'"),
)


def _attrs(text: str) -> dict[str, str]:
    return {m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or m.group(4) or "")
            for m in _ATTR.finditer(text)}


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def inline_hashes(page_html: str) -> tuple[list[str], list[str]]:
    """CSP hash sources of the page's executable inline scripts and of its inline ``<style>`` elements,
    each list sorted and without duplicates."""
    scripts = set()
    for match in _SCRIPT.finditer(page_html):
        attrs = _attrs(match.group("attrs"))
        if "src" in attrs or attrs.get("type", "").strip().lower() not in _EXECUTABLE_TYPES:
            continue
        scripts.add(_sha256(match.group("body")))
    styles = {_sha256(m.group("body")) for m in _STYLE.finditer(page_html)}
    return sorted(scripts), sorted(styles)


def content_security_policy(script_hashes: list[str], style_hashes: list[str]) -> str:
    """The policy text for a page with these inline script and style hashes."""
    extra = {"script-src": script_hashes, "style-src": style_hashes}
    return "; ".join(" ".join([name, value, *extra.get(name, [])]) for name, value in _BASE_POLICY)


def add_csp_meta(page_html: str) -> str:
    """Return ``page_html`` with its CSP ``<meta>`` as the first element of ``<head>`` (after a leading
    ``<meta charset>``). A meta from an earlier run is replaced, so the function is idempotent."""
    page_html = _EXISTING_META.sub("", page_html, count=1)
    head = _HEAD.search(page_html)
    if head is None:
        raise ValueError("no <head> element: cannot place the Content-Security-Policy <meta>")
    policy = content_security_policy(*inline_hashes(page_html))
    # Only "&" and '"' need escaping inside a double-quoted attribute; the policy's quotes stay legible.
    content = policy.replace("&", "&amp;").replace('"', "&quot;")
    meta = f'<meta http-equiv="{CSP_META_NAME}" content="{content}">'
    at = head.end()
    charset = _CHARSET_FIRST.match(page_html, at)
    if charset is not None:
        at = charset.end()
    return f"{page_html[:at]}\n    {meta}{page_html[at:]}"
