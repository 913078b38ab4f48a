"""Django's users and groups as a fold of the identity events: the one writer of UserIdentity,
of the Django user's name, `is_active`, `is_staff` and role groups.

`project(user_id)` folds the whole stream (the User aggregate's own fold: what the projection
shows is what the commands decide on) and upserts in one transaction, under the row's version
guard: a stale fold never overwrites a newer one, and folding again is harmless. The command
handlers project inline after each save; `project_users` projects again from Kafka (repairing
a process that died in between); `replay_events` projects every stream.

A Django user row is never deleted (API tokens and OAuth2 applications point at it): a removed
user is inactive, with no role group. Groups that are not roles (given in the admin) are left
alone. The password stays unusable on the Django row: the credential store holds the hash.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from django.contrib.auth import get_user_model

# The user model (AUTH_USER_MODEL is Django's own), as UserIdentity.user names it.
from django.contrib.auth.models import Group
from django.contrib.auth.models import User as DjangoUser
from django.db import IntegrityError, transaction

from apps.contract.user_events import Kind, Role, Status
from apps.eventstore.interface import StreamReader
from kernel.roles import ROLES

from ..domain import events as ev
from ..domain.user import User
from ..models import UserIdentity
from .repository import user_events

REGISTRATIONS = (ev.UserRegistered, ev.ApiClientRegistered)


class DjangoUserProjection:
    def __init__(self, store: StreamReader) -> None:
        self.store = store

    def project(self, user_id: UUID) -> None:
        events = user_events(self.store, user_id)
        if events:
            self.apply(user_id, events)

    def apply(self, user_id: UUID, events: Sequence[ev.UserEvent], force: bool = False) -> bool:
        """Upserts the fold of `events` (a whole stream); False when the row already shows
        this version or a later one (`force`: rewritten anyway, as a replay does)."""
        user = User.rebuild(user_id, events)
        for attempt in range(3):
            try:
                with transaction.atomic():
                    return self._upsert(user, events, force)
            except IntegrityError:
                # Two projectors (a command's inline one and the consumer) created the row at
                # once; the next try finds it and applies its version guard.
                if attempt == 2:
                    raise
        return False  # unreachable

    def can_take(self, user_id: UUID, username: str) -> bool:
        existing = get_user_model().objects.filter(username=username).first()
        if existing is None:
            return True
        identity = UserIdentity.objects.filter(user=existing).first()
        if identity is not None:
            return identity.id == user_id
        return not has_rights_of_its_own(existing)

    def active_administrators(self, excluding: UUID) -> int:
        # The rows say who may be one; the streams say who is (a row may lag behind a
        # command whose process died before projecting it): never more than the truth.
        candidates = UserIdentity.objects.filter(
            status=Status.ACTIVE, roles=Role.ADMINISTRATOR
        ).exclude(id=excluding)
        return sum(
            User.rebuild(uid, user_events(self.store, uid)).is_active_administrator
            for uid in candidates.values_list("id", flat=True)
        )

    def _upsert(self, user: User, events: Sequence[ev.UserEvent], force: bool) -> bool:
        row = UserIdentity.objects.select_for_update().select_related("user").filter(id=user.id)
        identity = row.first()
        if identity is not None and identity.version >= user.version and not force:
            return False
        account = identity.user if identity is not None else adopt_or_create(user.username)
        account.username = user.username
        account.is_active = user.status == Status.ACTIVE
        account.is_staff = user.kind == Kind.PERSON
        account.save(update_fields=["username", "is_active", "is_staff"])
        set_role_groups(account, user.roles)
        registered = [e for e in events if isinstance(e, REGISTRATIONS)][-1]
        UserIdentity.objects.update_or_create(
            id=user.id,
            defaults={
                "user": account,
                "username": user.username,
                "kind": user.kind,
                "display_name": user.display_name,
                "roles": ",".join(sorted(user.roles)),
                "status": user.status,
                "version": user.version,
                "registered_at": registered.timestamp,
                "changed_at": events[-1].timestamp,
            },
        )
        return True


def adopt_or_create(username: str) -> DjangoUser:
    """The Django user of this name (an API client made before the identity context, with no
    rights of its own: can_take checked), or a new one with an unusable password."""
    model = get_user_model()
    existing = model.objects.select_for_update().filter(username=username).first()
    if existing is not None:
        return existing
    account = model(username=username)
    account.set_unusable_password()
    account.save()
    return account


def has_rights_of_its_own(account: DjangoUser) -> bool:
    return bool(account.is_superuser or account.is_staff or account.user_permissions.exists())


def set_role_groups(account: DjangoUser, roles: Sequence[str]) -> None:
    wanted = {ROLES[role] for role in roles}
    held = set(account.groups.filter(name__in=ROLES.values()).values_list("name", flat=True))
    if held - wanted:
        account.groups.remove(*Group.objects.filter(name__in=held - wanted))
    if wanted - held:
        groups = list(Group.objects.filter(name__in=wanted - held))
        if len(groups) != len(wanted - held):
            raise LookupError("Role groups are missing; run 'python manage.py migrate' first.")
        account.groups.add(*groups)
