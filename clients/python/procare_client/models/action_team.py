from enum import StrEnum

class ActionTeam(StrEnum):
    AGENTS = "agents"
    CRISIS_TEAM = "crisis_team"
    SUPERVISORS = "supervisors"

    def __str__(self) -> str:
        return str(self.value)
