from enum import StrEnum

class EarlyWarningNotifyItem(StrEnum):
    CRISIS_TEAM = "crisis_team"
    SHIFT_SUPERVISOR = "shift_supervisor"

    def __str__(self) -> str:
        return str(self.value)
