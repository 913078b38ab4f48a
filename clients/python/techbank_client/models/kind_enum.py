from enum import StrEnum


class KindEnum(StrEnum):
    API_CLIENT = "api_client"
    PERSON = "person"

    def __str__(self) -> str:
        return str(self.value)
