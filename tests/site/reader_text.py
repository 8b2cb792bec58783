"""What a reader of a built page can see: its text without scripts, styles, templates and anything hidden
(``hidden``, ``aria-hidden="true"``), read with the HTML parser. Shared by the wording and typography
tests of tests/site."""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

#: Elements that never hold text a reader sees.
_NEVER_SHOWN = frozenset({"script", "style", "template", "noscript"})
#: Elements without an end tag: they cannot open a hidden subtree.
_VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
})


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title_attrs: list[str] = []
        # The tag that opened the hidden subtree we are in, and how deep in same-named tags we are.
        self._hidden_tag: str | None = None
        self._hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._hidden_tag is not None:
            if tag == self._hidden_tag:
                self._hidden_depth += 1
            return
        a = dict(attrs)
        hidden = tag in _NEVER_SHOWN or "hidden" in a or (a.get("aria-hidden") or "").lower() == "true"
        if hidden and tag not in _VOID:
            self._hidden_tag, self._hidden_depth = tag, 1
        elif tag in ("br", "p", "li", "td", "th", "tr", "div", "h1", "h2", "h3", "h4", "summary"):
            self.parts.append(" ")  # a block or cell boundary is a word boundary

    def handle_endtag(self, tag: str) -> None:
        if self._hidden_tag is not None:
            if tag == self._hidden_tag:
                self._hidden_depth -= 1
                if not self._hidden_depth:
                    self._hidden_tag = None
            return
        if tag in ("p", "li", "td", "th", "div", "summary"):
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if self._hidden_tag is None:
            self.parts.append(data)


def visible_text_of(markup: str) -> str:
    parser = _VisibleText()
    parser.feed(markup)
    parser.close()
    return re.sub(r"\s+", " ", "".join(parser.parts)).strip()


@cache
def visible_text(path: Path) -> str:
    """The visible text of one built page, whitespace collapsed."""
    return visible_text_of(path.read_text(encoding="utf-8"))


def reader_pages(site_dir: Path) -> list[Path]:
    """Every HTML page a reader can open (the Pyodide runtime's files are not pages)."""
    return sorted(p for p in site_dir.rglob("*.html") if "pyodide" not in p.parts)
