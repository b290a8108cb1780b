"""Post/Redirect/Get (issue 14): no web URL is POST-only. A form whose refusal re-renders
its page under the form's own URL (`/tiket/14/status`) leaves that URL in the address bar;
a reload or a re-opened address must lead back to the page, never to 405."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import tests
from tests.access import _resolve

IGNORED = {"static", "bootstrap.static"}


def _web_rules(app):
    return [
        r
        for r in app.url_map.iter_rules()
        if r.endpoint not in IGNORED and not r.endpoint.startswith(("api_", "api-docs"))
    ]


def test_no_web_route_is_post_only(app):
    post_only = sorted(
        r.rule for r in _web_rules(app) if "POST" in r.methods and "GET" not in r.methods
    )
    assert not post_only, f"POST-only web routes (use common.views.form_post): {post_only}"


def _post_cases():
    """The access matrices' POST cases of routes declared with `form_post`."""
    cases = {}
    for mod in pkgutil.iter_modules(tests.__path__):
        if not mod.ispkg:
            continue
        try:
            access = importlib.import_module(f"tests.{mod.name}.test_access")
        except ModuleNotFoundError:
            continue
        for case in getattr(access, "CASES", []):
            if case.method == "POST":
                cases.setdefault(case.endpoint, case)
    return cases


POST_CASES = _post_cases()


def test_the_form_post_routes_all_have_a_post_access_case(app):
    form_posts = {e for e, v in app.view_functions.items() if getattr(v, "form_page", None)}
    assert len(form_posts) >= 20  # the routes that were POST-only before
    missing = sorted(form_posts - set(POST_CASES))
    assert not missing, f"form_post routes without a POST access case: {missing}"


@pytest.mark.parametrize("endpoint", sorted(POST_CASES))
def test_get_on_a_form_url_is_the_page_or_a_redirect_to_it(app, client, login, users, endpoint):
    case = POST_CASES[endpoint]
    ctx = {"users": users}
    if case.setup:
        case.setup(ctx)
    login(users["admin"])
    path = _resolve(case.path, ctx)
    resp = client.get(path)
    page = getattr(app.view_functions[endpoint], "form_page", None)
    if page is None:  # a form page posting to itself (GET shows the form)
        assert resp.status_code in (200, 302), (path, resp.status_code)
        return
    assert resp.status_code == 302, (path, resp.status_code)
    back = client.get(resp.headers["Location"])
    assert back.status_code == 200, (path, resp.headers["Location"], back.status_code, page)


@pytest.fixture
def no_csrf(app):
    app.config["WTF_CSRF_ENABLED"] = False
    yield
    app.config["WTF_CSRF_ENABLED"] = True


def test_refused_ticket_step_then_reload_of_the_address_shows_the_ticket(
    client, login, users, no_csrf
):
    from tests.tickets.helpers import file_ticket

    ticket = file_ticket(users["camat"])
    login(users["camat"])  # a camat may not accept: the page comes back with the reason
    refused = client.post(f"/tiket/{ticket.id}/status", data={"tr-to": "diterima"})
    assert refused.status_code == 422
    again = client.get(f"/tiket/{ticket.id}/status")  # the address bar, reloaded or reopened
    assert again.status_code == 302
    assert again.headers["Location"].endswith(f"/tiket/{ticket.id}")
    assert ticket.number in client.get(again.headers["Location"]).get_data(as_text=True)
