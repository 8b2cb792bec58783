"""The site's build package: everything that turns calc's data into the MkDocs site, at build time only.

Not part of the calc wheel (pyproject.toml packages only ``calc``): nothing here reaches a browser.
The editable install (``pip install -e .``, scripts/build) makes it importable.

    hooks.py           the MkDocs hooks (mkdocs.yml ``hooks:``): a thin adapter calling the modules below
    pages.py           generated includes, ``[@key]`` citations, each page's review line
    tables.py          the guideline tables, rendered from calc's data
    form.py            the calculator's form, rendered from ``calc.REQUEST_FIELDS``
    hazard_log.py      the Clinical safety page's risk matrix and hazard log (clinical-safety/hazard-log.toml)
    csp.py             the Content-Security-Policy ``<meta>`` of every page
    pyodide_assets.py  the self-hosted Pyodide runtime, standard library and wheel copied into the site
"""


class SiteBuildError(ValueError):
    """The site cannot be built as asked (an unknown citation key, missing front matter, a bad rating in
    the hazard log...); the MkDocs hook reports it as a build error."""
