"""The credential store: every secret the identity commands hand out or take back, written by
the commands directly and never in an event (a replay leaves it alone).

- passwords: an Argon2 hash per user id (passwords.py, the Credential table);
- API tokens: django-rest-knox, stored as digests, printed once;
- OAuth2: one confidential client-credentials application per API client, its secret stored
  hashed (api_platform/oauth_clients.py); access, refresh and ID tokens and grants;
- sessions: the admin's and the browsable API's (Django's database sessions).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

# The user model (AUTH_USER_MODEL is Django's own), as the token tables' foreign keys name it.
from django.contrib.auth.models import User as DjangoUser
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from knox.models import AuthToken
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_id_token_model,
    get_refresh_token_model,
)
from rest_framework.authtoken.models import Token as PlainToken

from api_platform.oauth_clients import issue_credentials

from ..domain.user_ids import user_id_for
from ..models import Credential, UserIdentity
from . import passwords


@dataclass(frozen=True)
class Held:
    """What a user holds, as `revoke_api_client` reports it."""

    api_tokens: int
    applications: int
    oauth_tokens: int


class DjangoCredentialStore:
    def validate_password(self, password: str, username: str) -> None:
        passwords.validate(user_id_for(username), password, username=username)

    def set_password(self, user_id: UUID, password: str) -> None:
        passwords.set_password(user_id, password)

    def check_password(self, user_id: UUID, password: str) -> bool:
        return passwords.check_password(user_id, password)

    def issue_api_token(self, user_id: UUID) -> str:
        _, key = AuthToken.objects.create(user=account_of(user_id))
        return str(key)

    def issue_client_secret(self, user_id: UUID, revoke_earlier: bool) -> tuple[str, str]:
        account = account_of(user_id)
        with transaction.atomic():
            if revoke_earlier:
                delete_oauth_tokens(account)
            return issue_credentials(account)

    def revoke_api_tokens(self, user_id: UUID) -> None:
        account = account_of(user_id)
        AuthToken.objects.filter(user=account).delete()
        PlainToken.objects.filter(user=account).delete()

    def revoke_all(self, user_id: UUID) -> None:
        with transaction.atomic():
            delete_all(account_of(user_id))
            Credential.objects.filter(user_id=user_id).delete()

    def end_sessions(self, user_id: UUID) -> None:
        account = account_of(user_id)
        delete_oauth_tokens(account)
        end_sessions(account)


def account_of(user_id: UUID) -> DjangoUser:
    """The Django user the projection made for this User (it runs before any credential)."""
    return UserIdentity.objects.select_related("user").get(id=user_id).user


def delete_all(account: DjangoUser) -> None:
    """Every API token, OAuth2 application, token and grant, and session of `account`."""
    AuthToken.objects.filter(user=account).delete()
    PlainToken.objects.filter(user=account).delete()  # none left after migration 0003
    delete_oauth_tokens(account)
    get_application_model().objects.filter(user=account).delete()
    end_sessions(account)


def held(account: DjangoUser) -> Held:
    mine = Q(user=account) | Q(application__user=account)
    return Held(
        api_tokens=AuthToken.objects.filter(user=account).count()
        + PlainToken.objects.filter(user=account).count(),
        applications=get_application_model().objects.filter(user=account).count(),
        oauth_tokens=sum(
            model.objects.filter(mine).count()
            for model in (get_refresh_token_model(), get_access_token_model())
        ),
    )


def delete_oauth_tokens(account: Any) -> int:
    """Deletes the OAuth2 access, refresh and ID tokens and grants of `account` or of its
    applications (client-credentials tokens carry no user, only the application); their
    number (access and refresh tokens)."""
    mine = Q(user=account) | Q(application__user=account)
    count = 0
    for model in (get_refresh_token_model(), get_access_token_model()):
        count += model.objects.filter(mine).delete()[1].get(model._meta.label, 0)
    get_id_token_model().objects.filter(mine).delete()
    get_grant_model().objects.filter(mine).delete()
    return count


def end_sessions(account: DjangoUser) -> int:
    """Deletes the user's live database sessions (the admin's, the browsable API's)."""
    pk = str(account.pk)
    ended = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == pk
    ]
    return Session.objects.filter(session_key__in=ended).delete()[0]
