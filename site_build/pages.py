"""What the site's pages get from calc at build time: the generated includes (tables, form, hazard log)
in build/generated/, ``[@key; @key2]`` citations as numbered links to the References page, and each
page's review line from its front matter."""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from calc import load_guideline
from site_build import SiteBuildError
from site_build.form import FORM_INCLUDE, render_form
from site_build.hazard_log import render_hazard_log
from site_build.tables import CAPTION_CLASS, REFERENCES_PAGE, STACKED, cite, render_all, short_date

ROOT = Path(__file__).resolve().parent.parent
#: Where the includes are written; mkdocs.yml's markdown-include reads them from here (base_path).
GENERATED = ROOT / "build" / "generated"
CITATION = re.compile(r"\[(@[A-Za-z0-9_-]+(?:\s*;\s*@[A-Za-z0-9_-]+)*)\]")
REQUIRED_META = ("reviewed", "checked_against", "review_status")
# A caption paragraph (tables.caption) and the table Python-Markdown writes right after it.
CAPTIONED_TABLE = re.compile(
    rf'<p class="{CAPTION_CLASS}(?P<classes>(?: [\w-]+)*)">(?P<caption>.*?)</p>\s*'
    r"<table>(?P<body>.*?)</table>",
    re.S,
)
HEADER_CELL = re.compile(r"<th[^>]*>(.*?)</th>", re.S)
ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
TAG = re.compile(r"<[^>]+>")
#: The calculator's mount element (docs/calculator.md) and the class its page's container gets.
CALCULATOR_MOUNT = 'id="b12-calculator"'
CALCULATOR_PAGE_CLASS = "b12-calculator-page"
_CONTAINER = '<div class="md-container"'


def render_includes(target: Path = GENERATED) -> list[Path]:
    """Write every generated include; unchanged files are left alone so `mkdocs serve` does not loop."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    includes = {**render_all(load_guideline()), FORM_INCLUDE: render_form(), **render_hazard_log()}
    for name, text in includes.items():
        path = target / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def replace_citations(markdown: str, src_uri: str) -> str:
    """``[@key; @key2]`` -> numbered links to the References page; an unknown key fails the build."""
    guideline = load_guideline()
    references = relative(REFERENCES_PAGE, src_uri)
    known = {r.key for r in guideline.references}

    def replace(match: re.Match[str]) -> str:
        keys = [k.strip().lstrip("@") for k in match.group(1).split(";")]
        unknown = [k for k in keys if k not in known]
        if unknown:
            raise SiteBuildError(f"{src_uri}: unknown reference key(s) {unknown} in {match.group(0)!r}")
        return cite(keys, guideline, references)

    return CITATION.sub(replace, markdown)


def with_review_line(markdown: str, meta: Mapping[str, Any], src_uri: str) -> str:
    """The page's Markdown, citations resolved, followed by its review line (date, source, status, content
    version); front matter without ``reviewed``, ``checked_against`` or ``review_status`` fails the build."""
    missing = [key for key in REQUIRED_META if not meta.get(key)]
    if missing:
        raise SiteBuildError(f"{src_uri}: front matter lacks {missing}")
    markdown = replace_citations(markdown, src_uri)
    content_version = load_guideline().meta.content_version
    reviewed = short_date(str(meta["reviewed"]))
    return (
        f"{markdown}\n\n"
        f'<div class="b12-review" markdown>\n'
        f"**Last reviewed:** {reviewed} · **Checked against:** {meta['checked_against']} · "
        f"**Status:** {meta['review_status']} · content version {content_version} "
        f"([how this content is checked]({relative('how-we-check.md', src_uri)}))\n"
        f"</div>\n"
    )


def relative(target: str, src_uri: str) -> str:
    """The link from the page ``src_uri`` to the page ``target`` (both relative to docs/)."""
    return posixpath.relpath(target, posixpath.dirname(src_uri) or ".")


def with_table_captions(page_html: str) -> str:
    """Each caption paragraph becomes the <caption> of the table after it (its accessible name), with the
    paragraph's other classes on the caption. In a table to be stacked on a phone, every body cell gets its
    column's header as ``data-label``, the first (which names the row) excepted; extra.css shows it beside
    the cell once the header row is hidden."""

    def captioned(match: re.Match[str]) -> str:
        classes = match.group("classes").split()
        body = match.group("body")
        if STACKED in classes:
            body = _label_cells(body)
        # The classes go on the caption, not the table: mkdocs-material styles only tables without a class.
        attr = f' class="{" ".join(classes)}"' if classes else ""
        return f"<table>\n<caption{attr}>{match.group('caption')}</caption>{body}</table>"

    return CAPTIONED_TABLE.sub(captioned, page_html)


def with_page_class(page_html: str) -> str:
    """The page that holds the calculator gets a class on the theme's container, for the stylesheet's
    rules about the page around it. A class, not ``:has(#b12-calculator)``: Chromium re-matched such a
    selector over the whole article on every change to the calculator (each loading step, each result).
    The container, not <body>: instant navigation swaps the container and keeps the body."""
    if CALCULATOR_MOUNT not in page_html or _CONTAINER not in page_html:
        return page_html
    return page_html.replace(_CONTAINER, f'<div class="md-container {CALCULATOR_PAGE_CLASS}"', 1)


def _label_cells(body: str) -> str:
    head, sep, rows = body.partition("</thead>")
    if not sep:
        return body
    labels = [html.escape(TAG.sub("", h).strip(), quote=True) for h in HEADER_CELL.findall(head)]
    labels[:1] = [""]  # the first cell names its row: no label

    def row(match: re.Match[str]) -> str:
        cells = iter(labels)
        labelled = re.sub(r"<td(?=[\s>])", lambda _: f'<td data-label="{next(cells, "")}"', match.group(1))
        return f"<tr>{labelled}</tr>"

    return head + sep + ROW.sub(row, rows)
