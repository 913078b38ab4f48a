"""Permission checks of the API: each view requires one permission of techbank/roles.py."""

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from techbank import roles


class HasPermission(BasePermission):
    permission: str = ""
    message = "Your role lacks the permission for this."

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.has_perm(self.permission))


class CanExecuteCommands(HasPermission):
    permission = roles.EXECUTE_COMMANDS
    message = "Running account commands needs the execute_commands permission (tellers)."


class CanViewEvents(HasPermission):
    permission = roles.VIEW_EVENTS
    message = "Reading an account's event history needs the view_events permission."


class CanViewAccounts(HasPermission):
    permission = roles.VIEW_ACCOUNTS
    message = "Reading accounts needs the view_account permission (tellers, auditors)."
