"""Domain boundaries: a domain reads another only through its public surface.

The business domains (assets, tickets, letters, blanko, training, hearing) may import from one
another only the package itself, its `services`, `queries` or `vocab` module. Foundation packages
(regions, auth, audit, common, core, api, db, extensions) are open to every domain. A domain's
models, forms, views and private helpers are its own.
"""

from __future__ import annotations

import ast
from pathlib import Path

import assets_app

DOMAINS = {
    "assets",
    "tickets",
    "letters",
    "blanko",
    "training",
    "hearing",
    "notify",
    "inventory",
    "field",
    "officials",
}
PUBLIC = {"services", "queries", "vocab"}
ROOT = Path(assets_app.__file__).parent


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "assets_app":
                for alias in node.names:
                    yield node.lineno, f"assets_app.{alias.name}"
            else:
                yield node.lineno, node.module
                for alias in node.names:
                    yield node.lineno, f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name


def violations(root: Path = ROOT) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).parts
        if rel[0] not in DOMAINS:
            continue
        own = rel[0]
        for lineno, name in _imports(path):
            parts = name.split(".")
            if parts[0] != "assets_app" or len(parts) < 2:
                continue
            other = parts[1]
            if other not in DOMAINS or other == own:
                continue
            # `from assets_app.assets import services` → assets_app.assets.services
            if len(parts) == 2 or parts[2] in PUBLIC:
                continue
            found.append(f"{path.relative_to(root.parent)}:{lineno} imports {name}")
    return sorted(set(found))


def test_domains_read_each_other_only_through_services_and_queries():
    assert violations() == []


def test_the_check_sees_a_forbidden_import(tmp_path):
    pkg = tmp_path / "assets_app" / "training"
    pkg.mkdir(parents=True)
    (pkg / "gaps.py").write_text(
        "from assets_app.assets.models import Asset\nfrom assets_app.assets import services\n"
    )
    assert violations(tmp_path / "assets_app") == [
        "assets_app/training/gaps.py:1 imports assets_app.assets.models",
        "assets_app/training/gaps.py:1 imports assets_app.assets.models.Asset",
    ]
