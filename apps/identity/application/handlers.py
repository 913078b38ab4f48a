"""One handler per identity command: load the user, let it decide, store what it decided
(a lost race is decided again on the new state), project it at once, then act on the
credential store.

Credentials come last, after the event is stored: a registration that lost the race for its
name never writes a password hash over the winner's, and a refused command writes nothing.
The price is a crash window: a process that dies between the append and the credential write
leaves a person with no password (an administrator sets one: ChangePassword) or a client with
no token (RotateClientSecret, or `create_api_client NAME` again). A removal or revocation that
dies before its credentials are deleted leaves them behind an inactive Django user, which no
authentication accepts; the identity consumer (`project_users`) deletes them when it projects
the event.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from kernel.mediator import Dispatcher

from ..domain import commands as cmd
from ..domain.user import User
from .user_change import ClientCredentials, Identity, UserChanged, change, new_name, others

# --- people -------------------------------------------------------------------------------


def register_user(c: cmd.RegisterUser, identity: Identity) -> UserChanged:
    user_id = new_name(identity, c.username)

    def decide(u: User) -> None:
        u.register(c.username, c.roles, c.display_name)

    # A dry run first, so a taken name or bad roles is refused as such; then a weak password
    # refuses the registration before anything is stored.
    decide(identity.repository.load(user_id))
    identity.credentials.validate_password(c.password, c.username)
    user = change(identity, user_id, decide)
    identity.credentials.set_password(user_id, c.password)
    return UserChanged(user_id, user.version)


def change_password(c: cmd.ChangePassword, identity: Identity) -> UserChanged:
    current = identity.repository.load(c.user_id)
    current.change_password()  # a dry run: an unknown or removed user is refused as such
    identity.credentials.validate_password(c.password, current.username)
    user = change(identity, c.user_id, lambda u: u.change_password())
    identity.credentials.set_password(c.user_id, c.password)
    return UserChanged(c.user_id, user.version)


def update_profile(c: cmd.UpdateProfile, identity: Identity) -> UserChanged:
    user = change(identity, c.user_id, lambda u: u.update_profile(c.display_name))
    return UserChanged(c.user_id, user.version)


def change_roles(c: cmd.ChangeRoles, identity: Identity) -> UserChanged:
    def decide(u: User) -> None:
        u.change_roles(c.roles, c.actor_id, others(identity, c.user_id))

    user = change(identity, c.user_id, decide, guarded=True)
    return UserChanged(c.user_id, user.version)


def suspend_user(c: cmd.SuspendUser, identity: Identity) -> UserChanged:
    def decide(u: User) -> None:
        u.suspend(c.actor_id, others(identity, c.user_id))

    user = change(identity, c.user_id, decide, guarded=True)
    identity.credentials.end_sessions(c.user_id)
    return UserChanged(c.user_id, user.version)


def reinstate_user(c: cmd.ReinstateUser, identity: Identity) -> UserChanged:
    user = change(identity, c.user_id, lambda u: u.reinstate(c.actor_id))
    return UserChanged(c.user_id, user.version)


def remove_user(c: cmd.RemoveUser, identity: Identity) -> UserChanged:
    def decide(u: User) -> None:
        u.remove(c.actor_id, others(identity, c.user_id))

    user = change(identity, c.user_id, decide, guarded=True)
    identity.credentials.revoke_all(c.user_id)
    return UserChanged(c.user_id, user.version)


# --- API clients --------------------------------------------------------------------------


def register_api_client(c: cmd.RegisterApiClient, identity: Identity) -> ClientCredentials:
    user_id = new_name(identity, c.name)
    user = change(identity, user_id, lambda u: u.register_api_client(c.name, c.role))
    return issue(identity, user, oauth=c.oauth, revoke_earlier=False)


def rotate_client_secret(c: cmd.RotateClientSecret, identity: Identity) -> ClientCredentials:
    user = change(identity, c.user_id, lambda u: u.rotate_client_secret())
    if c.revoke_earlier:
        identity.credentials.revoke_api_tokens(c.user_id)
    return issue(identity, user, oauth=c.oauth, revoke_earlier=c.revoke_earlier)


def revoke_api_client(c: cmd.RevokeApiClient, identity: Identity) -> UserChanged:
    def decide(u: User) -> None:
        u.revoke_api_client(c.actor_id, others(identity, c.user_id))

    user = change(identity, c.user_id, decide, guarded=True)
    identity.credentials.revoke_all(c.user_id)
    return UserChanged(c.user_id, user.version)


def issue(
    identity: Identity, user: User, *, oauth: bool, revoke_earlier: bool
) -> ClientCredentials:
    # After the projection made the Django user the token and application point at.
    client_id = client_secret = None
    if oauth:
        client_id, client_secret = identity.credentials.issue_client_secret(user.id, revoke_earlier)
    token = identity.credentials.issue_api_token(user.id)
    return ClientCredentials(user.id, user.version, client_id, client_secret, token)


HANDLERS: dict[type, Callable[..., Any]] = {
    cmd.RegisterUser: register_user,
    cmd.ChangeRoles: change_roles,
    cmd.UpdateProfile: update_profile,
    cmd.ChangePassword: change_password,
    cmd.SuspendUser: suspend_user,
    cmd.ReinstateUser: reinstate_user,
    cmd.RemoveUser: remove_user,
    cmd.RegisterApiClient: register_api_client,
    cmd.RotateClientSecret: rotate_client_secret,
    cmd.RevokeApiClient: revoke_api_client,
}


def build_dispatcher(identity: Identity) -> Dispatcher:
    dispatcher = Dispatcher()
    for command, handler in HANDLERS.items():
        dispatcher.register(command, partial(handler, identity=identity))
    return dispatcher
