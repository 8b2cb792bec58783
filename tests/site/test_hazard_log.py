"""The clinical-safety hazard log (clinical-safety/hazard-log.toml) and its page.

The log is data: each hazard has a cause, an effect, mitigations, ratings from the log's own risk matrix,
and the automated tests that cover it. These checks keep it honest: every test it names must exist in the
repository (found by parsing the test files), every hazard must have at least one test and one mitigation,
and the built Clinical safety page must show what the log holds.
"""

from __future__ import annotations

import ast
import html
import re
import subprocess
import sys
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
LOG_PATH = REPO_ROOT / "clinical-safety" / "hazard-log.toml"
PAGE = "clinical-safety/index.html"

# The hazards the log must cover (README, Clinical safety), as words their titles must contain: removing one
# from the log fails here rather than silently.
REQUIRED_TOPICS = {
    "wrong unit (lab)": r"total b12 .*wrong unit",
    "wrong unit (MMA)": r"mma .*wrong unit",
    "wrong unit (dose)": r"dose .*wrong unit",
    "wrong population (child)": r"child",
    "wrong population (pregnancy)": r"pregnan",
    "outdated source": r"outdated",
    "stale offline content": r"offline",
    "engine failure": r"engine fails",
    "misread plan": r"jurisdiction",
    "truncated copied text": r"copied text",
    "wrong schedule dates": r"dates in the schedule",
    "link shared with another patient's values": r"shared link",
    "silent default MMA limit": r"default mma limit",
    "very high B12": r"very high b12",
    "folate masking": r"folic acid",
    "neurological symptoms delayed": r"neurological",
}


@cache
def hazard_log() -> dict[str, Any]:
    return tomllib.loads(LOG_PATH.read_text(encoding="utf-8"))


def hazards() -> list[dict[str, Any]]:
    return list(hazard_log()["hazards"])


def risk(rating: dict[str, str]) -> int:
    matrix = hazard_log()["matrix"]
    row = matrix["likelihood"].index(rating["likelihood"])
    column = matrix["severity"].index(rating["severity"])
    return int(matrix["risk"][row][column])


@cache
def defined_tests(path: Path) -> frozenset[str]:
    """'name' and 'Class::name' of every test function defined in a test file (parsed, not imported)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test"):
            found.add(node.name)
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name.startswith("test"):
                    found.add(f"{node.name}::{item.name}")
    return frozenset(found)


def test_matrix_is_a_five_by_five_risk_matrix() -> None:
    """DCB0129-style matrix: 5 likelihoods x 5 severities, ratings 1-5, never lower for a worse case."""
    matrix = hazard_log()["matrix"]
    assert len(matrix["likelihood"]) == len(matrix["severity"]) == 5
    assert set(matrix["likelihood_meaning"]) == set(matrix["likelihood"])
    assert set(matrix["severity_meaning"]) == set(matrix["severity"])
    grid = matrix["risk"]
    assert len(grid) == 5 and all(len(row) == 5 for row in grid)
    assert {r for row in grid for r in row} == {1, 2, 3, 4, 5}
    assert set(matrix["risk_meaning"]) == {"1", "2", "3", "4", "5"}
    for i in range(5):
        for j in range(5):
            if i:
                assert grid[i][j] >= grid[i - 1][j], "more likely is never less risky"
            if j:
                assert grid[i][j] >= grid[i][j - 1], "more severe is never less risky"


def test_every_hazard_is_complete() -> None:
    """Each hazard: unique id, title, cause, effect, at least one mitigation and one test, valid ratings, and
    a residual risk no higher than the initial one."""
    log = hazards()
    assert len(log) >= len(REQUIRED_TOPICS)
    ids = [h["id"] for h in log]
    assert len(ids) == len(set(ids)), "hazard ids are unique"
    for h in log:
        assert re.fullmatch(r"HAZ-\d{2}", h["id"]), h["id"]
        for key in ("title", "cause", "effect"):
            assert isinstance(h.get(key), str) and h[key].strip(), f"{h['id']}: no {key}"
        assert h.get("mitigations") and all(m.strip() for m in h["mitigations"]), f"{h['id']}: no mitigation"
        assert h.get("tests"), f"{h['id']}: no test covers it"
        assert risk(h["residual"]) <= risk(h["initial"]), f"{h['id']}: mitigation raised the risk"
        assert risk(h["residual"]) <= 3, f"{h['id']}: residual risk is unacceptable (4 or 5)"
        assert set(h) <= {"id", "title", "cause", "effect", "initial", "mitigations", "residual", "tests",
                          "actions"}, f"{h['id']}: unknown keys"


def collected(paths: list[str]) -> set[str]:
    """Node ids pytest collects from ``paths`` (a subprocess: `pytest --collect-only -q`)."""
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *paths],
        cwd=REPO_ROOT, capture_output=True, text=True, check=False, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return {line.strip() for line in proc.stdout.splitlines() if "::" in line}


def test_every_test_the_log_names_exists() -> None:
    """Every node id in the log (tests/<path>.py::test_name, or ::test_name[param] for one parametrized
    case) names a test in the repository: functions are found by parsing the test files, parametrized
    cases by asking pytest to collect their files."""
    missing = []
    parametrized: dict[str, list[str]] = {}
    for h in hazards():
        for node_id in h["tests"]:
            path_text, _, name = node_id.partition("::")
            path = REPO_ROOT / path_text
            if not (path_text.startswith("tests/") and path.suffix == ".py" and path.is_file()):
                missing.append(f"{h['id']}: {node_id} (no such test file)")
            elif name.split("[", 1)[0] not in defined_tests(path):
                missing.append(f"{h['id']}: {node_id} (no such test)")
            elif "[" in name:
                parametrized.setdefault(path_text, []).append(node_id)
    if parametrized:
        found = collected(sorted(parametrized))
        missing += [f"{n} (no such parametrized case)" for ids in parametrized.values() for n in ids
                    if n not in found]
    assert not missing, "\n".join(missing)


def test_the_required_hazard_topics_are_logged() -> None:
    titles = [h["title"].lower() for h in hazards()]
    absent = [topic for topic, pattern in REQUIRED_TOPICS.items()
              if not any(re.search(pattern, t) for t in titles)]
    assert not absent


def test_clinical_safety_page_shows_the_log(site_dir: Path) -> None:
    """The built page is rendered from the log: every hazard with its anchor, cause, mitigations, both
    risks and its tests; the matrix; the review footer; and a link from the Caveats and safety page."""
    path = site_dir / PAGE
    assert path.is_file(), f"{PAGE} was not built"
    raw = path.read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", raw)))
    assert "Last reviewed:" in text and "Status:" in text
    assert "aged 16 and over" in text and "not a prescription" in text
    for h in hazards():
        assert f'id="{h["id"].lower()}"' in raw, f"{h['id']}: no anchor"
        for piece in (h["title"], h["cause"], h["effect"], *h["mitigations"], *h["tests"],
                      *h.get("actions", [])):
            assert re.sub(r"\s+", " ", piece) in text, f"{h['id']}: {piece[:60]!r} not on the page"
        assert f"Initial risk: {risk(h['initial'])} (" in text
        assert f"Residual risk: {risk(h['residual'])} (" in text
    for severity in hazard_log()["matrix"]["severity"]:
        assert severity in text
    safety = (site_dir / "safety" / "index.html").read_text(encoding="utf-8")
    assert 'href="../clinical-safety/"' in safety, "Caveats and safety links to the safety case"
    home = (site_dir / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a href="clinical-safety/" class="md-nav__link', home), "a navigation entry"
