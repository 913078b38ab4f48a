from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

EXECUTE_COMMANDS = "accounts_command.execute_commands"
VIEW_EVENTS = "accounts_command.view_events"


class CanExecuteCommands(BasePermission):
    message = "Running account commands needs the execute_commands permission (tellers)."

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.has_perm(EXECUTE_COMMANDS))


class CanViewEvents(BasePermission):
    message = "Reading an account's event history needs the view_events permission."

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.has_perm(VIEW_EVENTS))
