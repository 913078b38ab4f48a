"""Who an API caller is as an event's actor (api_platform/actors.py), without a database."""

import uuid
from types import SimpleNamespace

from django.core.exceptions import ObjectDoesNotExist

from api_platform.actors import actor_of


class NoIdentity:
    """A Django user whose reverse one-to-one finds no row: Django raises DoesNotExist."""

    pk = 41

    @property
    def identity(self) -> object:
        raise ObjectDoesNotExist("no identity")


def test_a_user_with_an_identity_is_its_identity_uuid():
    identity_id = uuid.uuid4()
    user = SimpleNamespace(pk=7, identity=SimpleNamespace(id=identity_id))
    assert actor_of(user) == str(identity_id)


def test_a_user_without_an_identity_row_is_named_by_its_primary_key():
    assert actor_of(NoIdentity()) == "user:41"


def test_a_user_model_without_the_relation_is_named_by_its_primary_key():
    assert actor_of(SimpleNamespace(pk=3)) == "user:3"
