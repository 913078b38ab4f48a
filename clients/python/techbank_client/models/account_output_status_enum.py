from enum import StrEnum


class AccountOutputStatusEnum(StrEnum):
    CLOSED = "CLOSED"
    OPEN = "OPEN"

    def __str__(self) -> str:
        return str(self.value)
