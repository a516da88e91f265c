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


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_the_api_talks_to_the_pipeline_not_to_its_store_retrievers_or_generator():
    inner = {"rag.index", "rag.vectors", "rag.retrieve", "rag.embed", "rag.generate", "rag.evidence"}
    wrong = [
        f"{path.relative_to(REPO_ROOT)} imports {sorted(imported_modules(path) & inner)}"
        for path in sorted((REPO_ROOT / "api").rglob("*.py"))
        if imported_modules(path) & inner
    ]
    assert wrong == []


def test_web_only_settings_live_with_the_web_layer():
    from api.settings import WebSettings
    from rag.settings import Settings

    assert set(WebSettings.model_fields) & set(Settings.model_fields) == set()
    assert {"api_key", "cors_origins", "ask_concurrency"} <= set(WebSettings.model_fields)
