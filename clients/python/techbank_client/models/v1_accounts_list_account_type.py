from enum import StrEnum


class V1AccountsListAccountType(StrEnum):
    CURRENT = "CURRENT"
    SAVINGS = "SAVINGS"

    def __str__(self) -> str:
        return str(self.value)
