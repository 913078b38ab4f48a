"""People who log in with a password, for tests: the rows the identity projection makes (a
Django user with an unusable password, is_staff, its role groups; its UserIdentity) and the
Argon2 hash in the credential store (apps/identity/infrastructure/passwords.py).

`register_person` makes them directly, not through the RegisterUser command, so that the
login, admin and OAuth2 tests depend only on what the projection leaves behind;
`register_by_command` goes through the command (the end-to-end tests). `suspend` flips the
same columns the projection flips, and nothing else (no session or token deleted), so that
each mechanism's own check of is_active is what a test sees.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from apps.identity.domain.user_ids import user_id_for
from apps.identity.infrastructure import passwords
from apps.identity.models import UserIdentity
from kernel import roles as role_table

from . import leak_scan


def ensure_role_groups() -> None:
    """Transactional tests empty every table; put back the groups and their permissions."""
    from django.apps import apps

    for app in ("accounts_command", "accounts_query", "identity"):
        role_table.grant(apps, app)


def register_person(
    username: str,
    password: str,
    roles: Sequence[str] = ("teller",),
    kind: str = UserIdentity.Kind.PERSON,
) -> Any:
    """A projected person (or, with kind=api_client, a client) with `password` stored; the
    Django user is returned. The password is registered with leak_scan: no log may show it."""
    ensure_role_groups()
    leak_scan.issued(password)
    user = get_user_model().objects.create_user(username, is_staff=kind == "person")
    user.set_unusable_password()
    user.save()
    user.groups.set(Group.objects.filter(name__in=[role_table.ROLES[r] for r in roles]))
    now = timezone.now()
    identity = UserIdentity.objects.create(
        id=user_id_for(username),
        user=user,
        username=username,
        kind=kind,
        roles=",".join(sorted(roles)),
        status=UserIdentity.Status.ACTIVE,
        version=1,
        registered_at=now,
        changed_at=now,
    )
    passwords.set_password(identity.id, password)
    return user


def register_by_command(username: str, password: str, roles: Sequence[str] = ("teller",)) -> Any:
    """A person registered as production does it: RegisterUser through the identity commands
    (its event stored and published, the projection applied inline, the hash in the credential
    store); the Django user is returned."""
    from apps.identity.bootstrap import SystemCommands
    from apps.identity.domain.commands import RegisterUser

    ensure_role_groups()
    leak_scan.issued(password)
    with SystemCommands("tests") as system:
        system.dispatch(
            RegisterUser(actor_id=None, username=username, password=password, roles=tuple(roles))
        )
    return get_user_model().objects.get(username=username)


def suspend(user: Any) -> None:
    """What SuspendUser's projection does: the status, and is_active (groups stay)."""
    UserIdentity.objects.filter(user=user).update(status=UserIdentity.Status.SUSPENDED)
    user.is_active = False
    user.save(update_fields=["is_active"])


def pkce_pair() -> tuple[str, str]:
    """(code_verifier, its S256 code_challenge) as RFC 7636 section 4 makes them."""
    import base64
    import hashlib
    import secrets

    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def code_exchange(client_id: str, code: str, redirect_uri: str, verifier: str | None) -> dict:
    """The form a people's public client POSTs to /o/token/ for its code: no secret, its
    client id in the body, and the PKCE verifier (left out when None)."""
    body = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "client_id": client_id,
    }
    return body | ({"code_verifier": verifier} if verifier is not None else {})
