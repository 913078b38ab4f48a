"""Permission checks of the API: each view requires one permission of kernel/roles.py.

A request authenticated by an OAuth2 access token must also carry the scope of that kind of
access (account commands: accounts:write; account reads: accounts:read; user and API-client
commands: users:write; their reads: users:read). DRF-token and session requests are judged by
their role alone.
"""

from typing import Any
from uuid import UUID

from oauth2_provider.models import get_access_token_model
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from kernel import roles

from .actors import actor_of


class HasPermission(BasePermission):
    permission: str = ""
    scope: str = ""
    message = "Your role lacks the permission for this."

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.has_perm(self.permission)):
            return False
        token = request.auth
        if isinstance(token, get_access_token_model()) and not token.allow_scopes([self.scope]):
            # Set on this request's own instance: DRF answers with its message and code.
            self.message = f"The access token lacks the {self.scope} scope."
            self.code = "insufficient_scope"
            return False
        return True


class CanExecuteCommands(HasPermission):
    permission = roles.EXECUTE_COMMANDS
    scope = roles.WRITE_SCOPE
    message = "Running account commands needs the execute_commands permission (tellers)."


class CanViewEvents(HasPermission):
    permission = roles.VIEW_EVENTS
    scope = roles.READ_SCOPE
    message = "Reading an account's event history needs the view_events permission."


class CanViewAccounts(HasPermission):
    permission = roles.VIEW_ACCOUNTS
    scope = roles.READ_SCOPE
    message = "Reading accounts needs the view_account permission (tellers, auditors)."


class CanViewUsers(HasPermission):
    permission = roles.VIEW_USERS
    scope = roles.USERS_READ_SCOPE
    message = "Reading users needs the view_useridentity permission (administrators, auditors)."


class CanManageUsers(HasPermission):
    permission = roles.MANAGE_USERS
    scope = roles.USERS_WRITE_SCOPE
    message = "Registering and changing users needs the manage_users permission (administrators)."


class IsSelfOrCanManageUsers(CanManageUsers):
    """A person changes their own password (the only self-service route: the view asks for the
    current password then); anyone else's needs what managing users needs."""

    def has_permission(self, request: Request, view: Any) -> bool:
        try:
            target = str(UUID(str(view.kwargs.get("user_id", ""))))
        except ValueError:  # no user's id: the view answers user_not_found to those who may ask
            target = ""
        if target and target == actor_of(request.user):
            return True
        return super().has_permission(request, view)
