"""MkDocs hooks: the site's build-time link to the ``calc`` package.

- on_config: render the guideline tables from calc's data into build/generated/, which pages include
  with markdown-include (``{!regimens-adult.md!}``), so no number is typed into docs/ by hand; likewise
  the clinical-safety hazard log (clinical-safety/hazard-log.toml, kept out of the calc wheel);
- on_page_markdown: turn ``[@key; @key2]`` citations into numbered links to the References page (an
  unknown key fails the build) and add each page's review date and status from its front matter;
- on_post_build: copy the self-hosted Pyodide runtime and the calc wheel into site/pyodide/;
- on_post_page / on_post_template: put the Content-Security-Policy <meta> first in every page's <head>,
  with the hashes of that page's inline scripts (scripts/site_csp.py).
"""

from __future__ import annotations

import posixpath
import re
import sys
import tomllib
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from calc import load_guideline
from calc.render_markdown import REFERENCES_PAGE, cite, render_all, short_date

ROOT = Path(__file__).resolve().parent.parent
# MkDocs loads this file by path: put its directory on sys.path once, for the sibling build modules.
if str(ROOT / "scripts") not in sys.path:
    sys.path.insert(0, str(ROOT / "scripts"))
from pyodide_assets import add_runtime_preloads, copy_pyodide_assets  # noqa: E402
from site_csp import add_csp_meta  # noqa: E402
from site_form import FORM_INCLUDE, render_form  # noqa: E402  (the calculator's form, from REQUEST_FIELDS)

GENERATED = ROOT / "build" / "generated"
CITATION = re.compile(r"\[(@[A-Za-z0-9_-]+(?:\s*;\s*@[A-Za-z0-9_-]+)*)\]")
REQUIRED_META = ("reviewed", "checked_against", "review_status")
HAZARD_LOG = ROOT / "clinical-safety" / "hazard-log.toml"


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


def _risk(log: dict[str, Any], rating: dict[str, str]) -> str:
    """'3 (undesirable): Medium likelihood, Major severity', looked up in the log's own matrix."""
    matrix = log["matrix"]
    likelihood, severity = rating["likelihood"], rating["severity"]
    if likelihood not in matrix["likelihood"] or severity not in matrix["severity"]:
        raise PluginError(f"{HAZARD_LOG.name}: unknown rating {rating}")
    risk = matrix["risk"][matrix["likelihood"].index(likelihood)][matrix["severity"].index(severity)]
    label = matrix["risk_meaning"][str(risk)]["label"]
    return f"{risk} ({label}): {likelihood.lower()} likelihood, {severity.lower()} severity"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_hazard_log(path: Path = HAZARD_LOG) -> dict[str, str]:
    """The clinical-safety page's includes: the risk matrix and the hazard log, from the log's data."""
    log = tomllib.loads(path.read_text(encoding="utf-8"))
    matrix = log["matrix"]
    out = ["| Likelihood \\ Severity | " + " | ".join(matrix["severity"]) + " |",
           "|---|" + "---|" * len(matrix["severity"])]
    for likelihood, row in reversed(list(zip(matrix["likelihood"], matrix["risk"], strict=True))):
        out.append(f"| **{likelihood}** | " + " | ".join(str(r) for r in row) + " |")
    out += ["", "Likelihood:", ""]
    out += [f"- **{k}:** {v}" for k, v in matrix["likelihood_meaning"].items()]
    out += ["", "Severity:", ""]
    out += [f"- **{k}:** {v}" for k, v in matrix["severity_meaning"].items()]
    out += ["", "Risk ratings:", ""]
    out += [f"- **{k} ({v['label']}).** {v['text']}" for k, v in matrix["risk_meaning"].items()]
    matrix_md = "\n".join(out) + "\n"

    hazards = log["hazards"]
    out = ["| Hazard | Initial risk | Residual risk | Open actions |", "|---|---|---|---|"]
    for h in hazards:
        initial, residual = _risk(log, h["initial"]), _risk(log, h["residual"])
        out.append(f"| [{h['id']}: {_cell(h['title'])}](#{h['id'].lower()}) | {initial.split(':')[0]} | "
                   f"{residual.split(':')[0]} | {len(h.get('actions', []))} |")
    for h in hazards:
        out += ["", f"### {h['id']}: {h['title']} {{ #{h['id'].lower()} }}", "",
                f"**Cause.** {h['cause']}", "", f"**Effect.** {h['effect']}", "",
                f"**Initial risk:** {_risk(log, h['initial'])}.", "", "**Mitigations in the product:**", ""]
        out += [f"- {m}" for m in h["mitigations"]]
        out += ["", f"**Residual risk:** {_risk(log, h['residual'])}."]
        if h.get("actions"):
            out += ["", "**Open actions:**", ""] + [f"- {a}" for a in h["actions"]]
        out += ["", f'??? info "Automated tests that cover it ({len(h["tests"])})"', ""]
        out += [f"    - `{t}`" for t in h["tests"]]
    return {"hazard-matrix.md": matrix_md, "hazard-log.md": "\n".join(out) + "\n"}


def replace_citations(markdown: str, src_uri: str) -> str:
    guideline = load_guideline()
    page_dir = posixpath.dirname(src_uri)
    references = posixpath.relpath(REFERENCES_PAGE, page_dir or ".")
    known = {r.key for r in guideline.references}

    def replace(match: re.Match[str]) -> str:
        keys = [k.strip().lstrip("@") for k in match.group(1).split(";")]
        unknown = [k for k in keys if k not in known]
        if unknown:
            raise PluginError(f"{src_uri}: unknown reference key(s) {unknown} in {match.group(0)!r}")
        return cite(keys, guideline, references)

    return CITATION.sub(replace, markdown)


def on_config(config: Any) -> Any:
    render_includes()
    return config


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    missing = [key for key in REQUIRED_META if not page.meta.get(key)]
    if missing:
        raise PluginError(f"{page.file.src_uri}: front matter lacks {missing}")
    markdown = replace_citations(markdown, page.file.src_uri)
    meta = load_guideline().meta
    reviewed = short_date(str(page.meta["reviewed"]))
    return (
        f"{markdown}\n\n"
        f'<div class="b12-review" markdown>\n'
        f"**Last reviewed:** {reviewed} · **Checked against:** {page.meta['checked_against']} · "
        f"**Status:** {page.meta['review_status']} · content version {meta.content_version} "
        f"([how this content is checked]({_relative('how-we-check.md', page.file.src_uri)}))\n"
        f"</div>\n"
    )


def _relative(target: str, src_uri: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(src_uri) or ".")


def on_post_build(config: Any) -> None:
    copy_pyodide_assets(Path(config["site_dir"]), ROOT)


# Runs last among the page hooks on purpose (it hashes the final HTML): keep other rewrites before it.
def on_post_page(output: str, page: Any, config: Any) -> str:
    return add_csp_meta(add_runtime_preloads(output, page.url))


def on_post_template(output_content: str, template_name: str, config: Any) -> str:
    # Static templates: 404.html gets the policy too; sitemap.xml is not HTML.
    return add_csp_meta(output_content) if template_name.endswith(".html") else output_content
