from enum import StrEnum

class ItemErrorCode(StrEnum):
    NOT_IN_SNAPSHOT = "not_in_snapshot"
    UNKNOWN_CUSTOMER = "unknown_customer"

    def __str__(self) -> str:
        return str(self.value)
