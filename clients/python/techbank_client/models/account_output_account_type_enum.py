from enum import StrEnum


class AccountOutputAccountTypeEnum(StrEnum):
    CURRENT = "CURRENT"
    SAVINGS = "SAVINGS"

    def __str__(self) -> str:
        return str(self.value)
