"""The permission matrix: every page of the app × anonymous / firm A / firm B / official / admin."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from engine.store.demo import FIRM_A

from .conftest import DemoData, csrf_token, login

ROLES = ("anonymous", "firm-a", "firm-b", "official", "admin")
# Status per role, in the order of ROLES.
PUBLIC = (200, 200, 200, 200, 200)
FIRM_A_ONLY = (302, 200, 403, 403, 403)
ANY_FIRM = (302, 200, 200, 403, 403)
STAFF = (302, 403, 403, 200, 200)
STAFF_404 = (302, 403, 403, 404, 404)
NO_COOKIE_AUTH = (401, 401, 401, 401, 401)

MATRIX = [
    ("/", PUBLIC),
    ("/rules/", PUBLIC),
    ("/login", PUBLIC),
    ("/api/v1/openapi.json", PUBLIC),
    ("/docs/api/", PUBLIC),
    ("/account/", ANY_FIRM),
    ("/account/profiles/{profile_a}", FIRM_A_ONLY),
    ("/account/profiles/999999", (302, 404, 404, 403, 403)),
    ("/official/", STAFF),
    ("/official/runs/{run}", STAFF),
    ("/official/runs/{run}/progress.json", STAFF),
    ("/official/runs/{run}/results", STAFF),
    ("/official/runs/{run}/results?status=eligible&district=futian&sort=amount", STAFF),
    ("/official/runs/{run}/budget", STAFF),
    ("/official/decisions/{decision}", STAFF),
    ("/official/diff", STAFF),
    ("/official/diff?a={run}&b={run}", STAFF),
    ("/official/tokens", STAFF),
    ("/official/audit", (302, 403, 403, 403, 200)),
    ("/official/audit?action=screen", (302, 403, 403, 403, 200)),
    ("/official/runs/{run}/export.csv", STAFF),
    ("/official/runs/{run}/export.xlsx", STAFF),
    ("/official/runs/{run}/export.jsonl", STAFF),
    ("/official/runs/{run}/letters/" + FIRM_A + ".pdf", STAFF),
    ("/official/runs/999/results", STAFF_404),
    ("/official/decisions/999999", STAFF_404),
    ("/official/uploads/999", STAFF_404),
    ("/official/uploads/999/bad-rows", STAFF_404),
    ("/official/search?q=启明", STAFF),
    ("/official/companies/" + FIRM_A, STAFF),
    ("/official/companies/91440300MA5F3K7L05", STAFF_404),
    ("/official/runs/{run}/signoff", STAFF),
    ("/official/push", STAFF),
    ("/official/drafts", STAFF),
    ("/official/drafts/999", STAFF_404),
    ("/official/drafts/999.json", STAFF_404),
    ("/official/drafts/999/flips.csv", STAFF_404),
    ("/official/users", (302, 403, 403, 403, 200)),
    ("/official/push/999", STAFF_404),
    ("/official/push/999/export.csv", STAFF_404),
    # The API authenticates by bearer token only: a logged-in browser's cookie is not enough.
    ("/api/v1/runs/{run}", NO_COOKIE_AUTH),
    ("/api/v1/runs/{run}/decisions", NO_COOKIE_AUTH),
]

CASES = [pytest.param(path, role, expected[i], id=f"{path}-{role}")
         for path, expected in MATRIX for i, role in enumerate(ROLES)]


@pytest.mark.parametrize(("path", "role", "expected"), CASES)
def test_permission_matrix(demo_app: object, client: FlaskClient, demo: DemoData, path: str,
                           role: str, expected: int) -> None:
    if role != "anonymous":
        assert login(client, role).status_code == 302
    url = path.format(run=demo.run_id, profile_a=demo.profile_a, decision=demo.decision_a)
    with client.get(url) as response:  # closed: a download's file is released
        assert response.status_code == expected, (url, role)
        if expected == 302:
            assert response.location.startswith("/login?next=")


POSTS = ["/official/runs/{run}/signoff", "/official/decisions/{decision}/reviews", "/official/push",
         "/official/push/screen",
         "/official/push/1/publish", "/official/push/1/entries/1/exclude", "/official/drafts",
         "/official/users",
         "/official/users/1/disable", "/official/uploads", "/official/tokens",
         "/official/runs/{run}/resume", "/account/profiles",
         "/account/notices/999/confirm", "/account/changes/seen"]


@pytest.mark.parametrize("path", POSTS)
@pytest.mark.parametrize("role", ["anonymous", "firm-a", "official"])
def test_forms_refuse_the_wrong_role(demo_app: object, client: FlaskClient, demo: DemoData,
                                     path: str, role: str) -> None:
    """POSTs carry a valid CSRF token here, so only the role decides (officials get past the
    role check: a bad form, a conflict or a redirect, never 403)."""
    if role != "anonymous":
        login(client, role)
    url = path.format(run=demo.run_id, decision=demo.decision_a)
    response = client.post(url, data={"csrf_token": csrf_token(client, "/login")})
    if path == "/account/profiles":
        expected = {"anonymous": 302, "firm-a": 400, "official": 403}[role]
    elif path.startswith("/official/users"):  # admins only: officials are refused too
        expected = {"anonymous": 302, "firm-a": 403, "official": 403}[role]
    elif path.startswith("/account/notices/"):
        expected = {"anonymous": 302, "firm-a": 404, "official": 403}[role]
    elif path == "/account/changes/seen":  # nothing to mark: back to the account
        expected = {"anonymous": 302, "firm-a": 302, "official": 403}[role]
    else:
        expected = {"anonymous": 302, "firm-a": 403}.get(role)
    if expected is not None:
        assert response.status_code == expected, (url, role)
    else:
        assert response.status_code in (200, 302, 404, 409, 422), (url, role)
