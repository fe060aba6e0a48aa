from enum import StrEnum

class OutreachRequestTarget(StrEnum):
    BOTH = "both"
    ESCALATION = "escalation"
    REPEAT_CONTACT = "repeat_contact"

    def __str__(self) -> str:
        return str(self.value)
