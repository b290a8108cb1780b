"""Code metrics for the architecture issue: largest modules, functions over 60 lines, views over
20 lines, commit( calls. Run: python scripts/code-metrics.py [ROOT]"""

import ast
import sys
from pathlib import Path

root = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
mods = []
longfn = []
views_long = []
commits = []
for p in sorted(list((root / "assets_app").rglob("*.py")) + list((root / "reports").rglob("*.py"))):
    txt = p.read_text()
    n = txt.count("\n")
    mods.append((n, str(p.relative_to(root))))
    tree = ast.parse(txt)
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            length = node.end_lineno - node.lineno + 1
            if length > 60:
                longfn.append((length, f"{p.relative_to(root)}::{node.name}"))
            is_view = any(
                isinstance(d, ast.Call)
                and isinstance(d.func, ast.Attribute)
                and d.func.attr in ("route", "get", "post")
                and isinstance(d.func.value, ast.Name)
                and d.func.value.id.endswith("bp")
                for d in node.decorator_list
            )
            if is_view and length > 20:
                # body length excluding decorators and docstring
                views_long.append((length, f"{p.relative_to(root)}::{node.name}"))
    for i, line in enumerate(txt.splitlines(), 1):
        if "commit(" in line and not line.strip().startswith("#"):
            commits.append(f"{p.relative_to(root)}:{i}")
mods.sort(reverse=True)
print("largest modules:", mods[:5])
print("functions > 60 lines:", len(longfn), sorted(longfn, reverse=True)[:30])
print("views > 20 lines:", len(views_long), sorted(views_long, reverse=True))
print("commit( calls:", len(commits))
for c in commits:
    print("  ", c)
