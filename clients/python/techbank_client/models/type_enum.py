from enum import StrEnum


class TypeEnum(StrEnum):
    DEPOSIT = "DEPOSIT"
    OPENING = "OPENING"
    TRANSFER_IN = "TRANSFER_IN"
    TRANSFER_OUT = "TRANSFER_OUT"
    WITHDRAWAL = "WITHDRAWAL"

    def __str__(self) -> str:
        return str(self.value)
