"""URL × role × scope matrix shared by every domain.

A domain's tests/<domain>/test_access.py defines `CASES` (a list of `Case`) and one
parametrized test calling `check()`. tests/test_access_coverage.py fails when an endpoint of
the app appears in no domain's CASES, so a new route cannot skip the matrix.

`path(ctx)` builds the URL of an object inside the scoped users' region (35.11, camat 35.11.05);
`out_path(ctx)` the same kind of object outside it (36.73). Scoped users must get 404 there
wherever they would succeed in scope; the whole-installation admin sees both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

ROLES = ("anon", "admin", "kadis", "petugas", "camat", "dprd")
OK = (200, 302, 303)


@dataclass
class Case:
    endpoint: str
    path: Callable[[dict], str] | str
    expect: dict[str, int]
    method: str = "GET"
    out_path: Callable[[dict], str] | None = None
    data: Callable[[dict], dict] | dict | None = None
    setup: Callable[[dict], None] | None = None
    id: str = ""
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        missing = set(ROLES) - set(self.expect)
        if missing:
            raise ValueError(f"{self.endpoint}: expectation missing for {missing}")
        self.id = self.id or f"{self.method} {self.endpoint}"


def expect(anon=302, admin=200, kadis=200, petugas=200, camat=200, dprd=200) -> dict[str, int]:
    return {
        "anon": anon,
        "admin": admin,
        "kadis": kadis,
        "petugas": petugas,
        "camat": camat,
        "dprd": dprd,
    }


def params(cases: list[Case]):
    import pytest

    return [pytest.param(c, role, id=f"{c.id}|{role}") for c in cases for role in ROLES]


def _resolve(value, ctx):
    return value(ctx) if callable(value) else value


def check(app, client, login, ctx: dict, case: Case, role: str) -> None:
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        if case.setup:
            case.setup(ctx)
        if role != "anon":
            login(ctx["users"][role])
        send = getattr(client, case.method.lower())
        data = _resolve(case.data, ctx)
        resp = send(_resolve(case.path, ctx), data=data)
        want = case.expect[role]
        assert resp.status_code == want, f"{case.id} as {role}: got {resp.status_code}, want {want}"
        if case.out_path is not None and role not in ("anon", "admin") and want in OK:
            out = send(_resolve(case.out_path, ctx), data=_resolve(case.data, ctx))
            assert out.status_code == 404, (
                f"{case.id} as {role} out of scope: got {out.status_code}, want 404"
            )
        if case.out_path is not None and role == "admin" and want in OK:
            out = send(_resolve(case.out_path, ctx), data=_resolve(case.data, ctx))
            assert out.status_code in OK, (
                f"{case.id} as whole-installation admin: {out.status_code}"
            )
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
