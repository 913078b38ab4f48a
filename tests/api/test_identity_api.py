"""Issue 19, items 3-5: the identity API, route by route, against MySQL and the event store.

Each command's answer and what it changed (the projected row, the Django user's groups and
credentials), each refusal with its status and code (forbidden_self_change,
last_administrator, user_not_found, username_taken, ...), Idempotency-Key on the commands, and
the reads (the list's filters and pages, one user, its audit trail with actors). Who may call
which route at all: tests/api/test_access_matrix.py.
"""

import uuid
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from knox.models import AuthToken
from rest_framework.test import APIClient

from apps.eventstore.documents import EventDocument, IdempotencyKey
from apps.identity.domain import commands as cmd
from apps.identity.domain.user_ids import user_id_for
from apps.identity.infrastructure import actor_trail
from apps.identity.models import UserIdentity
from kernel import request_context
from tests import wired
from tests.harness import leak_scan
from tests.harness.tokens import ensure_roles, request_oauth_token
from tests.support import open_account

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple 19"
OTHER_PASSWORD = "another long passphrase 2026"
USER_KEYS = {"id", "username", "kind", "roles", "status", "version", "display_name"}
CLIENT_KEYS = {"id", "name", "kind", "role", "token", "client_id", "client_secret"}


@pytest.fixture(autouse=True)
def quick_hashing(settings: Any) -> None:
    # A password or client secret hashed per request; the hasher itself is the login side's
    # to test (Argon2).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def bearer_of(token: str, keyword: str = "Token") -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {token}")
    return client


def api_client(name: str, role: str) -> tuple[APIClient, str]:
    """An API client registered by the system (no actor), as create_api_client does."""
    ensure_roles()
    with request_context.acting_as("tests"):
        issued = wired.get().identity_commands.dispatch(cmd.RegisterApiClient(None, name, role))
    return bearer_of(leak_scan.issued(issued.token)), str(issued.user_id)


@pytest.fixture
def admin(db: None, event_store_db: None) -> tuple[APIClient, str]:
    """An administrator's API client and its user id."""
    return api_client("root-admin", "administrator")


def register(client: APIClient, username: str, roles: list[str], **more: Any) -> Any:
    body = {"username": username, "password": PASSWORD, "roles": roles, **more}
    return client.post("/api/v1/users/", body, format="json")


def registered(client: APIClient, username: str, roles: list[str], **more: Any) -> str:
    response = register(client, username, roles, **more)
    assert response.status_code == 201, response.content
    return response.json()["id"]


def refused(response: Any, status: int, code: str) -> None:
    assert (response.status_code, response.json().get("code")) == (status, code), response.content


def stored() -> int:
    return EventDocument._get_collection().count_documents({})


# --- registering people ---------------------------------------------------------------------


def test_registering_a_person_answers_201_with_its_shape_and_projects_it(admin):
    client, _ = admin
    response = register(client, "ada", ["teller"], display_name="Ada Lovelace")

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == USER_KEYS
    assert body == {
        "id": str(user_id_for("ada")),
        "username": "ada",
        "kind": "person",
        "roles": ["teller"],
        "status": "active",
        "version": 1,
        "display_name": "Ada Lovelace",
    }
    assert response["Location"] == f"http://testserver/api/v1/users/{body['id']}/"
    assert client.get(response["Location"]).json() == body
    person = get_user_model().objects.get(username="ada")
    assert list(person.groups.values_list("name", flat=True)) == ["tellers"]
    assert person.is_active and not person.has_usable_password()  # the hash is elsewhere
    assert PASSWORD not in response.content.decode()


def test_a_taken_name_is_a_409_whatever_its_case(admin):
    client, _ = admin
    registered(client, "grace", ["auditor"])
    before = stored()
    for name in ("grace", "GRACE", "Grace"):
        refused(register(client, name, ["teller"]), 409, "username_taken")
    assert stored() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"roles": ["administrator", "teller"]}, "roles"),  # an administrator holds no other
        ({"roles": ["teller", "teller"]}, "roles"),
        ({"roles": []}, "roles"),
        ({"roles": ["banker"]}, "roles"),
        ({"username": "has space"}, "username"),
        ({"username": "x" * 151}, "username"),
        ({"display_name": "bell\u0007"}, "display_name"),
        ({"password": ""}, "password"),
        ({"is_staff": True}, "is_staff"),  # strict bodies: an unknown field is refused
    ],
)
def test_a_malformed_registration_is_a_400_naming_the_field(admin, body, field):
    client, _ = admin
    full = {"username": "linus", "password": PASSWORD, "roles": ["teller"], **body}
    response = client.post("/api/v1/users/", full, format="json")
    refused(response, 400, "invalid_input")
    assert field in response.json()["errors"]
    assert not UserIdentity.objects.filter(username="linus").exists()


def test_a_weak_password_is_a_400_weak_password_and_stores_nothing(admin):
    client, _ = admin
    before = stored()
    response = register(client, "weakling", ["teller"], password="12345678")
    refused(response, 400, "weak_password")
    assert response.json()["errors"]["password"]
    assert stored() == before
    assert not get_user_model().objects.filter(username="weakling").exists()


# --- changing people ------------------------------------------------------------------------


def test_patch_changes_roles_and_profile(admin):
    client, _ = admin
    user = registered(client, "barbara", ["teller"])

    response = client.patch(
        f"/api/v1/users/{user}/",
        {"roles": ["auditor", "teller"], "display_name": " Barbara Liskov "},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json() | {"id": user} == {
        "id": user,
        "username": "barbara",
        "kind": "person",
        "roles": ["auditor", "teller"],
        "status": "active",
        "version": 3,  # ChangeRoles, then UpdateProfile
        "display_name": "Barbara Liskov",
    }
    groups = get_user_model().objects.get(username="barbara").groups.values_list("name", flat=True)
    assert sorted(groups) == ["auditors", "tellers"]
    only_profile = client.patch(f"/api/v1/users/{user}/", {"display_name": "B."}, format="json")
    assert (only_profile.json()["version"], only_profile.json()["roles"]) == (
        4,
        ["auditor", "teller"],
    )


def test_a_patch_with_one_bad_half_changes_nothing(admin):
    client, _ = admin
    user = registered(client, "edsger", ["teller"])
    response = client.patch(
        f"/api/v1/users/{user}/",
        {"roles": ["auditor"], "display_name": "tab\tinside"},
        format="json",
    )
    refused(response, 400, "invalid_input")
    assert UserIdentity.objects.get(id=user).version == 1
    refused(client.patch(f"/api/v1/users/{user}/", {}, format="json"), 400, "invalid_input")


def test_nobody_changes_their_own_roles_or_status(admin):
    client, me = admin
    before = stored()
    refused(
        client.patch(f"/api/v1/users/{me}/", {"roles": ["teller"]}, format="json"),
        403,
        "forbidden_self_change",
    )
    for action in ("suspend", "revoke"):
        path = "users" if action == "suspend" else "api-clients"
        refused(client.post(f"/api/v1/{path}/{me}/{action}/"), 403, "forbidden_self_change")
    refused(client.delete(f"/api/v1/users/{me}/"), 403, "forbidden_self_change")
    assert stored() == before
    # Its own display name is no role or status.
    assert client.patch(f"/api/v1/users/{me}/", {"display_name": "Root"}).status_code == 200


def test_suspending_and_reinstating(admin):
    client, _ = admin
    teller, teller_id = api_client("branch-1", "teller")
    assert teller.get("/api/v1/accounts/").status_code == 200

    suspended = client.post(f"/api/v1/users/{teller_id}/suspend/", {}, format="json")

    assert (suspended.status_code, suspended.json()["status"]) == (200, "suspended")
    assert teller.get("/api/v1/accounts/").status_code == 401  # this process: at once
    refused(client.post(f"/api/v1/users/{teller_id}/suspend/"), 409, "user_not_active")
    reinstated = client.post(f"/api/v1/users/{teller_id}/reinstate/")
    assert (reinstated.status_code, reinstated.json()["status"]) == (200, "active")
    refused(client.post(f"/api/v1/users/{teller_id}/reinstate/"), 409, "user_not_suspended")


def test_removing_a_person_and_registering_the_name_again(admin):
    client, _ = admin
    user = registered(client, "alan", ["auditor"])

    removed = client.delete(f"/api/v1/users/{user}/")

    assert removed.status_code == 200, removed.content
    assert (removed.json()["status"], removed.json()["roles"]) == ("removed", [])
    assert not get_user_model().objects.get(username="alan").is_active
    refused(client.post(f"/api/v1/users/{user}/suspend/"), 409, "user_removed")
    again = register(client, "alan", ["teller"])
    assert again.status_code == 201, again.content
    assert (again.json()["id"], again.json()["version"]) == (user, 3)  # its stream continues


def test_the_last_active_administrator_stays_one(admin):
    """A Django administrator with no identity (made before the identity context, or by
    createsuperuser into the group) is no administrator the count knows: the API's one
    identity administrator is the last."""
    _, root = admin
    legacy = get_user_model().objects.create_user("legacy-admin")
    legacy.groups.add(Group.objects.get(name="administrators"))
    _, token = AuthToken.objects.create(user=legacy)
    outsider = bearer_of(token)
    before = stored()

    refused(outsider.post(f"/api/v1/users/{root}/suspend/"), 409, "last_administrator")
    refused(outsider.delete(f"/api/v1/users/{root}/"), 409, "last_administrator")
    refused(outsider.post(f"/api/v1/api-clients/{root}/revoke/"), 409, "last_administrator")
    refused(
        outsider.patch(f"/api/v1/users/{root}/", {"roles": ["auditor"]}, format="json"),
        409,
        "last_administrator",
    )
    assert stored() == before
    # With a second administrator, the first may go.
    registered(outsider, "second-admin", ["administrator"])
    assert outsider.post(f"/api/v1/users/{root}/suspend/").status_code == 200


@pytest.mark.parametrize(
    ("method", "suffix"),
    [
        ("get", ""),
        ("get", "events/"),
        ("patch", ""),
        ("delete", ""),
        ("post", "suspend/"),
        ("post", "reinstate/"),
        ("post", "password/"),
    ],
)
@pytest.mark.parametrize("raw", [str(uuid.uuid4()), "not-a-uuid", "9" * 300])
def test_an_unknown_or_malformed_user_id_is_a_404_user_not_found(admin, method, suffix, raw):
    client, _ = admin
    body = {"display_name": "x"} if method == "patch" else {}
    if suffix == "password/":
        body = {"password": PASSWORD}
    response = getattr(client, method)(f"/api/v1/users/{raw}/{suffix}", body, format="json")
    refused(response, 404, "user_not_found")


# --- passwords ------------------------------------------------------------------------------


def person_session(username: str) -> APIClient:
    """A person's own requests (as the browsable API's login or an OAuth2 login would make)."""
    client = APIClient()
    client.force_authenticate(get_user_model().objects.get(username=username))
    return client


def test_an_administrator_sets_a_persons_password(admin):
    client, _ = admin
    user = registered(client, "margaret", ["teller"])
    response = client.post(
        f"/api/v1/users/{user}/password/", {"password": OTHER_PASSWORD}, format="json"
    )
    assert (response.status_code, response.json()["version"]) == (200, 2)
    assert OTHER_PASSWORD not in response.content.decode()
    events = EventDocument._get_collection().find({"aggregate_id": user})
    assert [e["event_type"] for e in events] == ["UserRegistered", "PasswordChanged"]
    refused(
        client.post(f"/api/v1/users/{user}/password/", {"password": "short"}, format="json"),
        400,
        "weak_password",
    )


def test_a_person_changes_their_own_password_with_the_current_one(admin):
    client, _ = admin
    user = registered(client, "katherine", ["teller"])
    me = person_session("katherine")
    path = f"/api/v1/users/{user}/password/"

    refused(me.post(path, {"password": OTHER_PASSWORD}, format="json"), 400, "invalid_input")
    wrong = {"password": OTHER_PASSWORD, "current_password": "not it at all"}
    refused(me.post(path, wrong, format="json"), 403, "wrong_password")
    right = {"password": OTHER_PASSWORD, "current_password": PASSWORD}
    assert me.post(path, right, format="json").status_code == 200
    # Nobody else's, and nothing else of their own.
    other = registered(client, "dorothy", ["teller"])
    refused(
        me.post(f"/api/v1/users/{other}/password/", right, format="json"),
        403,
        "permission_denied",
    )
    refused(me.post(f"/api/v1/users/{user}/suspend/"), 403, "permission_denied")
    refused(me.get(f"/api/v1/users/{user}/"), 403, "permission_denied")


def test_an_api_client_has_no_password(admin):
    client, _ = admin
    _, teller_id = api_client("branch-2", "teller")
    response = client.post(
        f"/api/v1/users/{teller_id}/password/", {"password": PASSWORD}, format="json"
    )
    refused(response, 409, "wrong_kind")


# --- API clients ----------------------------------------------------------------------------


def test_registering_an_api_client_shows_its_credentials_once(admin):
    client, _ = admin
    response = client.post("/api/v1/api-clients/", {"name": "robot", "role": "teller"})

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == CLIENT_KEYS
    assert (body["id"], body["name"], body["kind"], body["role"]) == (
        str(user_id_for("robot")),
        "robot",
        "api_client",
        "teller",
    )
    leak_scan.issued(body["token"])
    assert bearer_of(body["token"]).get("/api/v1/accounts/").status_code == 200
    access = request_oauth_token(body["client_id"], body["client_secret"])
    assert access.status_code == 200, access.content
    assert (
        bearer_of(access.json()["access_token"], "Bearer").get("/api/v1/accounts/").status_code
        == 200
    )
    shown = client.get(f"/api/v1/users/{body['id']}/").json()
    assert (shown["kind"], shown["roles"], shown["status"]) == ("api_client", ["teller"], "active")
    assert body["token"] not in str(shown) and body["client_secret"] not in str(shown)
    refused(
        client.post("/api/v1/api-clients/", {"name": "ROBOT", "role": "auditor"}),
        409,
        "username_taken",
    )


def test_rotating_a_client_secret_retires_the_old_credentials(admin):
    client, _ = admin
    first = client.post("/api/v1/api-clients/", {"name": "rotor", "role": "auditor"}).json()

    rotated = client.post(f"/api/v1/api-clients/{first['id']}/rotate-secret/")

    assert rotated.status_code == 200, rotated.content
    body = rotated.json()
    assert set(body) == CLIENT_KEYS and body["role"] == "auditor"
    assert body["token"] != first["token"] and body["client_secret"] != first["client_secret"]
    assert bearer_of(first["token"]).get("/api/v1/accounts/").status_code == 401
    assert bearer_of(body["token"]).get("/api/v1/accounts/").status_code == 200
    old = request_oauth_token(first["client_id"], first["client_secret"])
    assert old.status_code == 401
    assert request_oauth_token(body["client_id"], body["client_secret"]).status_code == 200
    person = registered(client, "not-a-client", ["teller"])
    refused(client.post(f"/api/v1/api-clients/{person}/rotate-secret/"), 409, "wrong_kind")


def test_revoking_a_client_ends_every_credential(admin):
    client, _ = admin
    robot = client.post("/api/v1/api-clients/", {"name": "doomed", "role": "teller"}).json()

    revoked = client.post(f"/api/v1/api-clients/{robot['id']}/revoke/")

    assert (revoked.status_code, revoked.json()["status"]) == (200, "removed")
    assert bearer_of(robot["token"]).get("/api/v1/accounts/").status_code == 401
    assert request_oauth_token(robot["client_id"], robot["client_secret"]).status_code == 401
    refused(client.post(f"/api/v1/api-clients/{robot['id']}/revoke/"), 409, "user_removed")


# --- Idempotency-Key ------------------------------------------------------------------------


def test_a_repeated_registration_is_answered_again_and_stores_nothing(admin):
    client, _ = admin
    body = {"username": "repeat", "password": PASSWORD, "roles": ["teller"]}
    first = client.post("/api/v1/users/", body, format="json", HTTP_IDEMPOTENCY_KEY="reg-1")
    before = stored()
    again = client.post("/api/v1/users/", body, format="json", HTTP_IDEMPOTENCY_KEY="reg-1")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert again["Location"] == first["Location"]
    assert stored() == before
    other = {**body, "password": OTHER_PASSWORD}
    refused(
        client.post("/api/v1/users/", other, format="json", HTTP_IDEMPOTENCY_KEY="reg-1"),
        422,
        "idempotency_key_reused",
    )
    # The key store keeps neither password: not in clear, not as a plain digest.
    kept = str(list(IdempotencyKey._get_collection().find({})))
    assert PASSWORD not in kept and OTHER_PASSWORD not in kept


def test_a_repeated_client_registration_replays_without_its_secrets(admin):
    client, _ = admin
    body = {"name": "twice", "role": "auditor"}
    first = client.post("/api/v1/api-clients/", body, format="json", HTTP_IDEMPOTENCY_KEY="c-1")
    again = client.post("/api/v1/api-clients/", body, format="json", HTTP_IDEMPOTENCY_KEY="c-1")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == {**first.json(), "token": None, "client_secret": None}
    kept = str(list(IdempotencyKey._get_collection().find({})))
    assert first.json()["token"] not in kept and first.json()["client_secret"] not in kept
    assert bearer_of(first.json()["token"]).get("/api/v1/accounts/").status_code == 200


@pytest.mark.parametrize("action", ["suspend", "delete", "patch"])
def test_a_repeated_command_on_a_user_is_applied_once(admin, action):
    client, _ = admin
    user = registered(client, "twin", ["teller"])
    path = f"/api/v1/users/{user}/" + ("suspend/" if action == "suspend" else "")
    method = "post" if action == "suspend" else action
    body = {"roles": ["auditor"]} if action == "patch" else {}

    answers = [
        getattr(client, method)(path, body, format="json", HTTP_IDEMPOTENCY_KEY="once")
        for _ in range(2)
    ]

    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].json() == answers[1].json()
    assert "Idempotent-Replayed" not in answers[0] and answers[1]["Idempotent-Replayed"] == "true"
    assert UserIdentity.objects.get(id=user).version == 2


def test_a_recovered_registration_answers_as_the_first_would_have(admin):
    """The first request stored its event and died before answering: a repeat after the lease
    answers from the stored event."""
    from api_platform import idempotency

    client, _ = admin
    body = {"username": "phoenix", "password": PASSWORD, "roles": ["auditor"]}
    first = client.post("/api/v1/users/", body, format="json", HTTP_IDEMPOTENCY_KEY="rise")
    # As if the first had died before writing its answer down, long enough ago.
    IdempotencyKey._get_collection().update_many(
        {}, {"$set": {"state": "running"}, "$unset": {"body_json": "", "status": ""}}
    )
    store = idempotency.keys.get()
    lease = store.lease
    store.lease = type(lease)(0)
    try:
        again = client.post("/api/v1/users/", body, format="json", HTTP_IDEMPOTENCY_KEY="rise")
    finally:
        store.lease = lease
    assert again.status_code == 201, again.content
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"


# --- reads ----------------------------------------------------------------------------------


def test_the_list_filters_and_pages(admin):
    client, _ = admin
    for name, roles in [
        ("amy", ["teller"]),
        ("bob", ["auditor"]),
        ("bea", ["auditor", "teller"]),
        ("carl", ["administrator"]),
    ]:
        registered(client, name, roles)
    gone = registered(client, "dan", ["teller"])
    client.delete(f"/api/v1/users/{gone}/")

    def names(**params: str) -> list[str]:
        response = client.get("/api/v1/users/", params)
        assert response.status_code == 200, response.content
        return [u["username"] for u in response.json()["results"]]

    assert names() == ["amy", "bea", "bob", "carl", "dan", "root-admin"]
    assert names(role="teller") == ["amy", "bea"]
    assert names(role="auditor") == ["bea", "bob"]
    assert names(role="administrator") == ["carl", "root-admin"]
    assert names(status="removed") == ["dan"]
    assert names(kind="api_client") == ["root-admin"]
    assert names(kind="person", status="active") == ["amy", "bea", "bob", "carl"]
    assert names(username="B") == ["bea", "bob"]
    assert names(username="b%") == [] and names(username="_") == []  # no wildcards

    first = client.get("/api/v1/users/", {"page_size": 2}).json()
    assert [u["username"] for u in first["results"]] == ["amy", "bea"]
    second = client.get(first["next"]).json()
    assert [u["username"] for u in second["results"]] == ["bob", "carl"]
    for bad in ({"role": "banker"}, {"status": "gone"}, {"kind": "robot"}, {"page_size": "0"}):
        refused(client.get("/api/v1/users/", bad), 400, "invalid_input")


def projected_trail() -> None:
    """The actors' trail as `project_users` keeps it (from the topics) and `replay_events`
    rebuilds it (from the store): here, from the store."""
    for batch in wired.event_store().read_all():
        actor_trail.record(actor_trail.from_store(event) for event in batch)


def test_the_audit_trail_shows_what_was_done_to_a_user_and_by_it(admin):
    client, admin_id = admin
    teller, teller_id = api_client("branch-9", "teller")
    client.post(f"/api/v1/users/{teller_id}/suspend/")
    client.post(f"/api/v1/users/{teller_id}/reinstate/")
    account = open_account(teller)
    projected_trail()

    response = client.get(f"/api/v1/users/{teller_id}/events/")

    assert response.status_code == 200, response.content
    items = response.json()["results"]
    assert [(i["event_type"], i["done_to"], i["done_by"]) for i in items] == [
        ("ApiClientRegistered", True, False),
        ("UserSuspended", True, False),
        ("UserReinstated", True, False),
        ("AccountOpened", False, True),
    ]
    assert [i["metadata"]["actor"] for i in items] == [
        "system:tests",
        admin_id,
        admin_id,
        teller_id,
    ]
    assert items[-1]["aggregate_id"] == account
    for item in items:
        assert set(item["metadata"]) == {"actor", "correlation_id", "causation_id", "request_id"}
    suspended, reinstated = items[1]["metadata"], items[2]["metadata"]
    assert suspended["causation_id"] and suspended["causation_id"] != reinstated["causation_id"]
    # The administrator's own trail: its registration, and what it did to the teller.
    mine = client.get(f"/api/v1/users/{admin_id}/events/", {"page_size": 2}).json()
    assert [(i["event_type"], i["done_to"], i["done_by"]) for i in mine["results"]] == [
        ("ApiClientRegistered", True, False),
        ("UserSuspended", False, True),
    ]
    rest = client.get(mine["next"]).json()["results"]
    assert [i["event_type"] for i in rest] == ["UserReinstated"]


def test_a_patch_of_roles_and_profile_is_two_commands_with_causes_of_their_own(admin):
    client, admin_id = admin
    user = registered(client, "hedy", ["teller"])
    client.patch(
        f"/api/v1/users/{user}/", {"roles": ["auditor"], "display_name": "H."}, format="json"
    )
    projected_trail()
    items = client.get(f"/api/v1/users/{user}/events/").json()["results"]
    assert [i["event_type"] for i in items] == ["UserRegistered", "RolesChanged", "ProfileUpdated"]
    causes = {i["metadata"]["causation_id"] for i in items}
    assert len(causes) == 3 and {i["metadata"]["actor"] for i in items} == {admin_id}
    assert len({i["metadata"]["correlation_id"] for i in items[1:]}) == 1  # one request


def test_an_answer_shows_the_user_as_of_its_command_even_when_moved_on(admin):
    """A command's answer is the user right after it: from the row when the row is at that
    version, else folded from the stream (another command moved it on meanwhile)."""
    from apps.identity.api.answers import user_answer

    client, _ = admin
    user = registered(client, "lin", ["teller"], display_name="First")
    client.patch(f"/api/v1/users/{user}/", {"display_name": "Second"}, format="json")

    then = user_answer(uuid.UUID(user), 1)

    assert (then["version"], then["display_name"]) == (1, "First")
    assert user_answer(uuid.UUID(user), 2)["display_name"] == "Second"
    assert set(then) == USER_KEYS


def test_a_person_reaches_their_own_password_route_by_any_spelling_of_their_id(admin):
    client, _ = admin
    user = registered(client, "grete", ["auditor"])
    me = person_session("grete")
    response = me.post(
        f"/api/v1/users/{user.upper()}/password/", {"password": OTHER_PASSWORD}, format="json"
    )
    # Past the permission: the current password is what it lacks.
    refused(response, 400, "invalid_input")
    assert "current_password" in response.json()["errors"]


def test_no_secret_of_the_identity_routes_reaches_the_store_or_a_log(admin):
    """Item 10 through the HTTP routes, each with an Idempotency-Key: every collection of the
    event store's database (events, outbox, idempotency keys and their answers, snapshots) and
    every log line written meanwhile, scanned for every password, token and client secret, and
    for what the credential store keeps of them (hashes, digests)."""
    import mongoengine
    import orjson
    from django.conf import settings
    from oauth2_provider.models import Application

    from apps.identity.models import Credential

    client, _ = admin
    first_line = len(leak_scan.LINES)
    passwords = [f"first-{uuid.uuid4().hex}", f"second-{uuid.uuid4().hex}"]
    person = client.post(
        "/api/v1/users/",
        {"username": "secretive", "password": passwords[0], "roles": ["teller"]},
        format="json",
        HTTP_IDEMPOTENCY_KEY="leak-1",
    )
    assert person.status_code == 201, person.content
    changed = client.post(
        f"/api/v1/users/{person.json()['id']}/password/",
        {"password": passwords[1]},
        format="json",
        HTTP_IDEMPOTENCY_KEY="leak-2",
    )
    assert changed.status_code == 200, changed.content
    robot = client.post(
        "/api/v1/api-clients/",
        {"name": "leaky", "role": "teller"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="leak-3",
    ).json()
    rotated = client.post(
        f"/api/v1/api-clients/{robot['id']}/rotate-secret/", HTTP_IDEMPOTENCY_KEY="leak-4"
    ).json()
    secrets = [*passwords, robot["token"], robot["client_secret"]]
    secrets += [rotated["token"], rotated["client_secret"]]
    secrets += list(Credential.objects.values_list("password_hash", flat=True))
    secrets += list(AuthToken.objects.values_list("digest", flat=True))
    secrets += list(Application.objects.values_list("client_secret", flat=True))
    secrets = [leak_scan.issued(s) for s in secrets if s]
    assert len(secrets) >= 9

    database = mongoengine.get_connection().get_database(settings.MONGODB_URL.rsplit("/", 1)[1])
    documents = [
        f"{name}: {orjson.dumps(doc, default=str).decode()}"
        for name in database.list_collection_names()
        for doc in database[name].find({})
    ]
    assert any(d.startswith("idempotency_keys") for d in documents)
    lines = leak_scan.LINES[first_line:]
    assert lines, "the commands logged nothing: the scan would prove nothing"

    leaks = leak_scan.findings(secrets, files=[], lines=[*documents, *lines])

    assert not leaks, "\n".join(map(str, leaks))


def test_a_recovered_client_registration_answers_without_its_secrets(admin):
    from api_platform import idempotency

    client, _ = admin
    body = {"name": "lazarus", "role": "teller"}
    first = client.post("/api/v1/api-clients/", body, format="json", HTTP_IDEMPOTENCY_KEY="up")
    IdempotencyKey._get_collection().update_many(
        {}, {"$set": {"state": "running"}, "$unset": {"body_json": "", "status": ""}}
    )
    store = idempotency.keys.get()
    lease = store.lease
    store.lease = type(lease)(0)
    try:
        again = client.post("/api/v1/api-clients/", body, format="json", HTTP_IDEMPOTENCY_KEY="up")
    finally:
        store.lease = lease
    assert again.status_code == 201, again.content
    assert again.json() == {**first.json(), "token": None, "client_secret": None}
    assert again["Location"] == first["Location"]


def test_every_identity_route_renders_in_the_browsable_api(admin):
    client, me = admin
    user = registered(client, "browsed", ["teller"])
    for path in (
        "/api/v1/users/",
        f"/api/v1/users/{user}/",
        f"/api/v1/users/{user}/events/",
        f"/api/v1/users/{user}/password/",
        f"/api/v1/users/{user}/suspend/",
        f"/api/v1/users/{user}/reinstate/",
        "/api/v1/api-clients/",
        f"/api/v1/api-clients/{me}/rotate-secret/",
        f"/api/v1/api-clients/{me}/revoke/",
    ):
        page = client.get(path, HTTP_ACCEPT="text/html")
        # A command's page is its form (405 for GET, drawn as HTML), a read's its answer.
        assert page.status_code in (200, 405), (path, page.status_code)
        assert page["Content-Type"].startswith("text/html"), path
        assert b"<form" in page.content or page.status_code == 200, path
