"""Fuzzing over the OpenAPI document: schemathesis generates requests for every operation of
`/api/v1/openapi.json` (valid and invalid ones), sent in-process to the WSGI app with the token
of an admin and of a camat. Any 5xx (or an exception, which the test client would otherwise
turn into one) fails the run, listing every case. Seeded (derandomized), bounded budget."""

from __future__ import annotations

import time

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from tests.assets.helpers import make_asset

pytestmark = pytest.mark.fuzz

USERS = ("admin", "camat")
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
CASES_PER_OPERATION = 12  # per user and per mode: 32 operations × 2 × 2 × 12 ≈ 1,500
BUDGET = settings(
    max_examples=CASES_PER_OPERATION,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def _seed(users):
    """A few objects so that generated ids sometimes hit real rows."""
    for n in range(3):
        make_asset(users["petugas"], register_no=f"{n + 1:04d}")


def _fuzz(schema, headers: dict, stats: dict) -> None:
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in MODES:

            @BUDGET
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case):
                stats["cases"] += 1
                try:
                    response = case.call(headers=headers)
                except Exception as exc:  # noqa: BLE001 - the app raised: a 500 in production
                    stats["failures"].append(f"{case.method} {case.formatted_path}: {exc!r}")
                    return
                if response.status_code >= 500:
                    stats["failures"].append(
                        f"{case.method} {case.formatted_path} → {response.status_code} "
                        f"(query={case.query!r}, body={str(case.body)[:120]!r})"
                    )

            try:
                run()
            except Unsatisfiable:
                # Nothing in this operation can be made invalid (no parameters, no body).
                stats["unsatisfiable"].append(f"{operation.method.upper()} {operation.path}")


def test_no_server_error_for_any_generated_request(app, db, users, api_token):
    _seed(users)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    assert len(list(schema.get_all_operations())) >= 30
    stats = {"cases": 0, "failures": [], "unsatisfiable": []}
    started = time.perf_counter()
    for name in USERS:
        _fuzz(schema, api_token(users[name]), stats)
        db.session.rollback()
    elapsed = time.perf_counter() - started
    print(f"fuzz: {stats['cases']} kasus dalam {elapsed:.1f} detik; {stats['unsatisfiable']}")
    print("\n".join(stats["failures"]))
    assert stats["cases"] >= 1_000
    assert stats["failures"] == []
