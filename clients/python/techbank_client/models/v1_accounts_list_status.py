from enum import StrEnum


class V1AccountsListStatus(StrEnum):
    CLOSED = "CLOSED"
    OPEN = "OPEN"

    def __str__(self) -> str:
        return str(self.value)
