"""A User's id is derived from its name: the name's one registration is the store's unique key.

Two registrations of one name race for version 1 (or the version after its removal) of one
stream, and the event store's unique key on (aggregate id, version) lets exactly one win. A
name is compared case-insensitively, as a bank's staff would read it.
"""

from uuid import UUID, uuid5

# Fixed forever: changing it would give every stored user a new id.
NAMESPACE = UUID("6f1f3f55-8a47-4d55-9f9e-2f1f6a0f7b1e")


def user_id_for(username: str) -> UUID:
    return uuid5(NAMESPACE, username.casefold())
