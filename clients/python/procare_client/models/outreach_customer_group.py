from enum import StrEnum

class OutreachCustomerGroup(StrEnum):
    HOLDOUT = "holdout"
    OUTREACH = "outreach"

    def __str__(self) -> str:
        return str(self.value)
