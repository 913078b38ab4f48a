"""The user list's cursor pages: in username order (unique), one indexed range read per page."""

from api_platform.pages import SizedCursorPagination
from apps.contract.user_events import USERNAME_PATTERN


class UserPagination(SizedCursorPagination):
    ordering = ("username",)
    page_size_query_description = "Users per page: 1 to 100 (default 20); else a 400."

    def position_ok(self, position: str) -> bool:
        # A position is a username: a forged one that no username could be never reaches MySQL.
        return USERNAME_PATTERN.fullmatch(position) is not None
