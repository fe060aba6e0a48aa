from enum import StrEnum

class ContactEventCategory(StrEnum):
    BILLING = "billing"
    CHURN = "churn"
    INQUIRY = "inquiry"
    NETWORK = "network"
    PLAN = "plan"
    ROAMING = "roaming"
    SERVICE_ATTITUDE = "service_attitude"
    SUSPENSION = "suspension"
    VAS = "vas"

    def __str__(self) -> str:
        return str(self.value)
