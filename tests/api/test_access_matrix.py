"""Issue 19: who may call what. The 401/403/200 matrix of every route of the project, for every
role (anonymous, teller, auditor, administrator), with a DRF token and with an OAuth2 token
with and without the route's scope, generated from the URL configuration: a route (or a method
of one) added later without a rule here fails the first test.

For a role a rule allows: a read answers 200 (on ids that exist), a command gets past the
permission checks (its empty body or unknown id is refused otherwise: nothing is written). For
any other role: 403 `permission_denied`; without the scope: 403 `insufficient_scope`; with no
credentials: 401.
"""

import re
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from rest_framework.test import APIClient
from rest_framework.views import APIView

from apps.eventstore.documents import EventDocument
from apps.transfers.models import TransferRecord
from kernel.roles import GROUP_SCOPES, ROLES
from tests.factories import AccountFactory
from tests.harness.routes import every_route
from tests.harness.tokens import ensure_roles, request_oauth_token, token_for
from tests.support import open_account

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")
TELLER, AUDITOR, ADMINISTRATOR = "teller", "auditor", "administrator"
READ, WRITE = "accounts:read", "accounts:write"
USERS_READ, USERS_WRITE = "users:read", "users:write"
ANYONE = "anyone"  # no credentials needed
PASSWORD = "correct horse battery staple 19"

ACCOUNT = "api/v1/accounts/<str:account_id>/"
TRANSFER = "api/v1/transfers/<str:transfer_id>/"
USER = "api/v1/users/<str:user_id>/"
CLIENT = "api/v1/api-clients/<str:user_id>/"
ACCOUNT_READERS = ({TELLER, AUDITOR}, READ)
ACCOUNT_WRITERS = ({TELLER}, WRITE)
USER_READERS = ({ADMINISTRATOR, AUDITOR}, USERS_READ)
USER_WRITERS = ({ADMINISTRATOR}, USERS_WRITE)

# (method, route as the URL resolver joins it) -> (the roles allowed, the OAuth2 scope needed),
# or ANYONE.
RULES: dict[tuple[str, str], Any] = {
    ("get", "api/v1/"): ANYONE,
    ("get", "api/schema/"): ANYONE,
    ("get", "api/docs/"): ANYONE,
    ("get", "api/redoc/"): ANYONE,
    ("post", "api/v1/accounts/open/"): ACCOUNT_WRITERS,
    ("post", ACCOUNT + "deposit/"): ACCOUNT_WRITERS,
    ("post", ACCOUNT + "withdraw/"): ACCOUNT_WRITERS,
    ("post", ACCOUNT + "close/"): ACCOUNT_WRITERS,
    ("get", ACCOUNT + "events/"): ACCOUNT_READERS,
    ("get", ACCOUNT + "as-of/"): ACCOUNT_READERS,
    ("get", "api/v1/accounts/"): ACCOUNT_READERS,
    ("get", ACCOUNT): ACCOUNT_READERS,
    ("get", ACCOUNT + "transactions/"): ACCOUNT_READERS,
    ("get", "api/v1/transfers/"): ACCOUNT_READERS,
    ("post", "api/v1/transfers/"): ACCOUNT_WRITERS,
    ("get", TRANSFER): ACCOUNT_READERS,
    ("get", TRANSFER + "events/"): ACCOUNT_READERS,
    # Users and API clients: administrators manage them (and run no account command, above);
    # administrators and auditors read them. A person's own password: test_identity_api.py.
    ("get", "api/v1/users/"): USER_READERS,
    ("post", "api/v1/users/"): USER_WRITERS,
    ("get", USER): USER_READERS,
    ("patch", USER): USER_WRITERS,
    ("delete", USER): USER_WRITERS,
    ("post", USER + "password/"): USER_WRITERS,
    ("post", USER + "suspend/"): USER_WRITERS,
    ("post", USER + "reinstate/"): USER_WRITERS,
    ("get", USER + "events/"): USER_READERS,
    ("post", "api/v1/api-clients/"): USER_WRITERS,
    ("post", CLIENT + "rotate-secret/"): USER_WRITERS,
    ("post", CLIENT + "revoke/"): USER_WRITERS,
}

# Routes that are no DRF view, and who guards them instead.
EXEMPT = {
    "": "a redirect to the API root",
    "healthz": "probes: open to an orchestrator by design",
    "readyz": "probes: open to an orchestrator by design",
    "metrics": "the scraper's: METRICS_TOKEN guards it (tests/ops)",
    "admin/": "Django's admin: staff login and model permissions (tests of the console)",
    "api-auth/": "the browsable API's login and logout pages",
    "o/": "the OAuth2 endpoints: client authentication (tests/api/test_oauth2.py)",
    "^api/": "the JSON 404 of an unknown API path",
}


def exempt(route: str) -> bool:
    return route in EXEMPT or any(
        route.startswith(prefix) for prefix in EXEMPT if prefix.endswith("/")
    )


def served() -> list[tuple[str, str]]:
    """(method, route) of every DRF view's every method, from the URL resolver."""
    found: list[tuple[str, str]] = []
    for route, callback in every_route():
        if exempt(route):
            continue
        view = getattr(callback, "cls", None)
        assert view is not None and issubclass(view, APIView), f"{route}: no DRF view, no rule"
        found.extend((method, route) for method in METHODS if hasattr(view, method))
    return found


def test_every_route_and_method_has_a_rule():
    assert set(served()) == set(RULES)


# --- the matrix ---------------------------------------------------------------------------


@pytest.fixture
def quick_secret_hashing(settings):
    # Each token request checks the client secret against its hash (PBKDF2: slow on a busy
    # machine); tests/api/test_oauth2.py checks the real hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class Callers:
    """Each role's DRF token and OAuth2 client (whose tokens are fetched per scope set)."""

    def __init__(self) -> None:
        ensure_roles()
        self.tokens = {role: token_for(role, f"matrix-{role}") for role in ROLES}
        self.oauth = {role: self._oauth_client(role) for role in ROLES}
        self._access: dict[tuple[str, tuple[str, ...]], str] = {}

    @staticmethod
    def _oauth_client(role: str) -> tuple[str, str]:
        from io import StringIO

        from django.core.management import call_command

        out = StringIO()
        call_command("create_api_client", f"matrix-oauth-{role}", role=role, oauth=True, stdout=out)
        lines = out.getvalue().splitlines()
        return lines[0].removeprefix("client_id="), lines[1].removeprefix("client_secret=")

    def drf(self, role: str) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {self.tokens[role]}")
        return client

    def bearer(self, role: str, scopes: tuple[str, ...]) -> APIClient:
        key = (role, scopes)
        if key not in self._access:
            response = request_oauth_token(*self.oauth[role], " ".join(scopes))
            assert response.status_code == 200, response.content
            self._access[key] = response.json()["access_token"]
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {self._access[key]}")
        return client


@pytest.fixture
def callers(quick_secret_hashing, event_store_db) -> Callers:
    return Callers()


@pytest.fixture
def existing(callers: Callers) -> dict[str, str]:
    """Ids that exist, for the reads: an account (stored and projected), a transfer's row, a
    user."""
    teller = callers.drf(TELLER)
    account, other = open_account(teller), open_account(teller)
    AccountFactory(id=account)
    requested = teller.post(
        "/api/v1/transfers/",
        {"from_account": account, "to_account": other, "amount": "1.00"},
        format="json",
    )
    assert requested.status_code == 202, requested.content
    transfer = TransferRecord.objects.create(  # its row, as the transfers' projector writes it
        id=requested.json()["id"],
        from_account=account,
        to_account=other,
        amount="1.00",
        status=TransferRecord.Status.COMPLETED,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        version=4,
    )
    registered = callers.drf(ADMINISTRATOR).post(
        "/api/v1/users/",
        {"username": "matrix-person", "password": PASSWORD, "roles": [TELLER]},
        format="json",
    )
    assert registered.status_code == 201, registered.content
    user = registered.json()["id"]
    return {"account_id": account, "transfer_id": str(transfer.id), "user_id": user}


def path_of(method: str, route: str, existing: dict[str, str]) -> str:
    # Reads go to ids that exist (200); commands to ids that do not (nothing is written).
    def filled(match: re.Match[str]) -> str:
        return existing[match.group(1)] if method == "get" else str(uuid.uuid4())

    path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", filled, route)
    return path + ("?version=1" if route.endswith("as-of/") else "")


def call(client: APIClient, method: str, path: str) -> Any:
    if method == "get":
        return client.get(path)
    return getattr(client, method)(path, {}, format="json")


def verdict(response: Any) -> str:
    """What the permission checks decided: 401, 403 with its code, or passed."""
    if response.status_code in (401, 403):
        return f"{response.status_code} {response.json().get('code')}"
    return "passed"


def test_every_route_answers_each_role_as_its_rule_says(callers, existing):
    wrong: list[str] = []
    stored = EventDocument._get_collection().count_documents({})

    def expect(who: str, method: str, path: str, response: Any, wanted: str) -> None:
        got = verdict(response)
        if wanted == "200":
            got = str(response.status_code)
        if got != wanted:
            wrong.append(f"{method.upper()} {path} as {who}: {got}, not {wanted}")

    for (method, route), rule in RULES.items():
        path = path_of(method, route, existing)
        allowed_read = "200" if method == "get" else "passed"
        if rule == ANYONE:
            expect("anonymous", method, path, call(APIClient(), method, path), allowed_read)
            continue
        roles, scope = rule
        expect("anonymous", method, path, call(APIClient(), method, path), "401 not_authenticated")
        for role in ROLES:
            allowed = role in roles
            wanted = allowed_read if allowed else "403 permission_denied"
            expect(f"{role} (token)", method, path, call(callers.drf(role), method, path), wanted)
            every_scope = GROUP_SCOPES[ROLES[role]]
            full = callers.bearer(role, every_scope)
            expect(f"{role} (OAuth2)", method, path, call(full, method, path), wanted)
            if allowed:
                without = tuple(s for s in every_scope if s != scope)
                response = call(callers.bearer(role, without), method, path)
                expect(
                    f"{role} (OAuth2 without {scope})",
                    method,
                    path,
                    response,
                    "403 insufficient_scope",
                )

    assert wrong == []
    # Commands went to ids that do not exist, or with empty bodies: nothing was stored. (The
    # transfer requested above is stored: its saga does not run in this process.)
    assert EventDocument._get_collection().count_documents({}) == stored


def test_an_administrator_runs_no_account_command(callers, existing):
    """Separation of duties: administrators manage users, never money, whatever the token."""
    account = existing["account_id"]
    for client in (
        callers.drf(ADMINISTRATOR),
        callers.bearer(ADMINISTRATOR, GROUP_SCOPES[ROLES[ADMINISTRATOR]]),
    ):
        deposit = client.post(f"/api/v1/accounts/{account}/deposit/", {"amount": "5.00"})
        assert (deposit.status_code, deposit.json()["code"]) == (403, "permission_denied")
        opened = client.post(
            "/api/v1/accounts/open/",
            {"holder": "Mallory", "account_type": "SAVINGS", "opening_balance": "1.00"},
            format="json",
        )
        assert opened.status_code == 403
        assert client.get(f"/api/v1/accounts/{account}/").status_code == 403
    # An administrator's client cannot even ask for an account scope.
    refused = request_oauth_token(*callers.oauth[ADMINISTRATOR], WRITE)
    assert (refused.status_code, refused.json()["error"]) == (400, "invalid_scope")
