"""The layout holds: stages import one way, no import circles, small modules.

Imports are read from the source (every ``import`` statement, including those inside functions
and ``TYPE_CHECKING`` blocks), so a circle or a wrong-way import fails here before it confuses a
reader.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("features", "pipelines", "training", "serving", "monitoring", "outreach", "commands")
DATA_TABLES = {"pipelines/synthetic/text_fragments.py", "pipelines/synthetic/text_grammar.py"}
MAX_LINES = 400

# What each stage may import from the project (besides itself).
ALLOWED = {
    "features": set(),
    "pipelines": {"features"},
    "training": {"features", "pipelines"},
    "serving": {"features", "pipelines", "training", "outreach"},
    "monitoring": {"features", "pipelines", "training", "serving"},
    "outreach": {"features", "pipelines", "training", "serving", "monitoring"},
    "commands": {"features", "pipelines", "training", "serving", "monitoring", "outreach"},
}
# The only modules of ``training`` the applying stages use: load and apply a registered model.
TRAINING_SURFACE = {"training.champions", "training.tracking"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _sources() -> dict[str, Path]:
    files = [ROOT / "cli.py"]
    for package in PACKAGES:
        files.extend(sorted((ROOT / package).rglob("*.py")))
    return {_module_name(path): path for path in files}


def _imports(path: Path, modules: set[str]) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        for name in names:
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name:
                found.add(name)
    return found


@pytest.fixture(scope="module")
def graph() -> nx.DiGraph:
    sources = _sources()
    modules = set(sources)
    imports = nx.DiGraph()
    imports.add_nodes_from(modules)
    for name, path in sources.items():
        for target in _imports(path, modules):
            if target != name and not name.startswith(f"{target}."):
                imports.add_edge(name, target)
    return imports


def test_no_import_circles(graph: nx.DiGraph) -> None:
    assert list(nx.simple_cycles(graph)) == []


def test_stages_import_one_way(graph: nx.DiGraph) -> None:
    wrong = []
    for source, target in graph.edges:
        stage, other = source.split(".")[0], target.split(".")[0]
        if stage == "cli" or stage == other:
            continue
        if other not in ALLOWED[stage]:
            wrong.append(f"{source} -> {target}")
    assert wrong == []


def test_serving_and_outreach_use_only_the_registered_model_surface_of_training(
    graph: nx.DiGraph,
) -> None:
    wrong = [
        f"{source} -> {target}"
        for source, target in graph.edges
        if source.split(".")[0] in {"serving", "monitoring", "outreach"}
        and target.split(".")[0] == "training"
        and target not in TRAINING_SURFACE
    ]
    assert wrong == []


def test_the_applying_stage_has_no_package_circle_with_outreach(graph: nx.DiGraph) -> None:
    """``serving.scoring`` sits below ``outreach``, and ``serving.api`` above it."""
    below = [
        t for s, t in graph.edges if s.startswith("serving.scoring") and t.startswith("outreach")
    ]
    above = [t for s, t in graph.edges if s.startswith("outreach") and t.startswith("serving.api")]
    assert below == [] and above == []


def test_modules_stay_small() -> None:
    large = {
        str(path.relative_to(ROOT)): lines
        for path in _sources().values()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
        and str(path.relative_to(ROOT)) not in DATA_TABLES
    }
    assert large == {}
