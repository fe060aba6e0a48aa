from enum import StrEnum

class ModelInfoTarget(StrEnum):
    ESCALATION = "escalation"
    REPEAT_CONTACT = "repeat_contact"

    def __str__(self) -> str:
        return str(self.value)
