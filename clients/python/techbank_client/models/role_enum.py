from enum import StrEnum


class RoleEnum(StrEnum):
    ADMINISTRATOR = "administrator"
    AUDITOR = "auditor"
    TELLER = "teller"

    def __str__(self) -> str:
        return str(self.value)
