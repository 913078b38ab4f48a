from enum import StrEnum


class UserOutputStatusEnum(StrEnum):
    ACTIVE = "active"
    REMOVED = "removed"
    SUSPENDED = "suspended"

    def __str__(self) -> str:
        return str(self.value)
