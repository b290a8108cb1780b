"""What the property tests (hypothesis) share: the same derandomized examples on every run and
engine, and each example starting from the `users` database state, as a test does."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

from assets_app.extensions import db

# 12 examples, the same ones on every run (CI must be green on any day, and a failure must be
# reproducible); a database example may be slow, and the fixtures are reset by hand below.
EXAMPLES = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def fresh_users(dbstate) -> dict:
    """The `users` state again, for the next example; returns the standard users."""
    db.session.remove()
    dbstate.restore("users")
    return dbstate.standard_users()
