"""Every web endpoint appears in some domain's access matrix."""

import importlib
import pkgutil

import tests

IGNORED = {"static", "bootstrap.static", "api-docs.openapi_json"}


def _matrix_endpoints() -> set[str]:
    found = set()
    for mod in pkgutil.iter_modules(tests.__path__):
        if not mod.ispkg:
            continue
        try:
            access = importlib.import_module(f"tests.{mod.name}.test_access")
        except ModuleNotFoundError:
            continue
        found.update(c.endpoint for c in getattr(access, "CASES", []))
    return found


def test_every_web_endpoint_is_in_an_access_matrix(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules()}
    web = {e for e in endpoints if e not in IGNORED and not e.startswith("api_")}
    missing = sorted(web - _matrix_endpoints())
    assert not missing, f"endpoints without access tests: {missing}"
