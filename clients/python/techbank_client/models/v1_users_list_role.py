from enum import StrEnum


class V1UsersListRole(StrEnum):
    ADMINISTRATOR = "administrator"
    AUDITOR = "auditor"
    TELLER = "teller"

    def __str__(self) -> str:
        return str(self.value)
