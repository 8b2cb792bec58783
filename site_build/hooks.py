"""MkDocs hooks (mkdocs.yml ``hooks:``): the site's build-time link to the ``calc`` package. A thin
adapter: each hook calls one function of the site_build package and turns its errors into build errors.

- on_config: render the guideline tables, the calculator's form and the clinical-safety hazard log from
  their data into build/generated/, which pages include with markdown-include (``{!regimens-adult.md!}``),
  so no number is typed into docs/ by hand (site_build.pages);
- on_files: add the table of plans for a clinical safety review (site_build.review_csv);
- on_page_markdown: turn ``[@key; @key2]`` citations into numbered links to the References page (an
  unknown key fails the build) and add each page's review line from its front matter (site_build.pages);
- on_page_content: give each table its caption (site_build.pages);
- on_post_build: copy the self-hosted Pyodide runtime and the calc wheel into site/pyodide/
  (site_build.pyodide_assets);
- on_post_page / on_post_template: on the calculator page, start the engine's worker from <head>
  (site_build.pyodide_assets); put the Content-Security-Policy <meta> first in every page's <head>, with
  the hashes of that page's inline scripts (site_build.csp).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from site_build import SiteBuildError
from site_build.csp import add_csp_meta
from site_build.pages import ROOT, render_includes, with_page_class, with_review_line, with_table_captions
from site_build.pyodide_assets import add_engine_start, copy_pyodide_assets
from site_build.review_csv import CSV_PATH, render_review_csv


@contextmanager
def _as_build_error() -> Iterator[None]:
    try:
        yield
    except SiteBuildError as exc:
        raise PluginError(str(exc)) from exc


def on_config(config: Any) -> Any:
    with _as_build_error():
        render_includes()
    return config


def on_files(files: Any, config: Any) -> Any:
    # The safety-review table is a generated file of the site (so the page's link to it is checked).
    from mkdocs.structure.files import File

    from calc import load_guideline

    files.append(File.generated(config, CSV_PATH, content=render_review_csv(load_guideline())))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    with _as_build_error():
        return with_review_line(markdown, page.meta, page.file.src_uri)


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    return with_table_captions(html)


def on_post_build(config: Any) -> None:
    copy_pyodide_assets(Path(config["site_dir"]), ROOT)


# Runs last among the page hooks on purpose (it hashes the final HTML): keep other rewrites before it.
def on_post_page(output: str, page: Any, config: Any) -> str:
    return add_csp_meta(add_engine_start(with_page_class(output), page.url))


def on_post_template(output_content: str, template_name: str, config: Any) -> str:
    # Static templates: 404.html gets the policy too; sitemap.xml is not HTML.
    return add_csp_meta(output_content) if template_name.endswith(".html") else output_content
