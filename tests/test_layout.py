"""The layout is the architecture: imports run cli -> api -> rag, and the core never reaches outwards."""

import ast
from pathlib import Path

from rag.settings import REPO_ROOT

OUTER = {"rag": {"api", "eval", "bench", "cli", "integrations"}, "api": {"eval", "bench", "cli", "integrations"}}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):  # function-level imports count too
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_the_core_and_the_api_import_nothing_from_the_layers_above_them():
    wrong = [
        f"{path.relative_to(REPO_ROOT)} imports {sorted(imported_packages(path) & forbidden)}"
        for package, forbidden in OUTER.items()
        for path in sorted((REPO_ROOT / package).rglob("*.py"))
        if imported_packages(path) & forbidden
    ]
    assert wrong == []
