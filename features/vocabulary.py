"""The project's vocabulary: every closed set of names, defined once.

The data contract's checks, the API's request and response fields, the CLI's choices and the
training targets all derive from the enums here. Each set is a ``StrEnum`` (members compare
equal to their plain string values) with a tuple of its plain string values in declaration
order, for pandera ``isin`` checks, ``typing.Literal`` fields and categorical dtypes.

Enum order is the order of the existing tuples and API literals: changing it changes the
OpenAPI enums and categorical codes.
"""

from __future__ import annotations

from enum import StrEnum


def values(enum: type[StrEnum]) -> tuple[str, ...]:
    """The plain string values of an enum, in declaration order."""
    return tuple(member.value for member in enum)


class Target(StrEnum):
    """Prediction targets (DESIGN.md §5): one label, model and registered model each."""

    REPEAT_CONTACT = "repeat_contact"
    ESCALATION = "escalation"


class Channel(StrEnum):
    """Contact channels of the ``contacts`` table."""

    HOTLINE = "hotline"
    WECHAT = "wechat"
    WEIBO = "weibo"
    APP = "app"
    WEB_CHAT = "web_chat"
    STORE = "store"
    EMAIL = "email"
    REGULATOR = "regulator"


class Direction(StrEnum):
    """Who started a contact."""

    INBOUND = "inbound"
    OUTBOUND = "outbound"


class Category(StrEnum):
    """Contact categories (the agent's classification of what a contact is about)."""

    BILLING = "billing"
    NETWORK = "network"
    SUSPENSION = "suspension"
    PLAN = "plan"
    VAS = "vas"
    SERVICE_ATTITUDE = "service_attitude"
    CHURN = "churn"
    ROAMING = "roaming"
    INQUIRY = "inquiry"


class EventType(StrEnum):
    """Service event types of the ``service_events`` table."""

    SUSPENSION_ARREARS = "suspension_arrears"
    RESUME = "resume"
    PLAN_CHANGE = "plan_change"
    VAS_SUBSCRIBE = "vas_subscribe"
    VAS_UNSUBSCRIBE = "vas_unsubscribe"
    OUTAGE = "outage"
    PORT_OUT_REQUEST = "port_out_request"
    PAYMENT = "payment"
    REFUND = "refund"


class PlanType(StrEnum):
    """Tariff plan types of the ``customers`` table."""

    PREPAID = "prepaid"
    POSTPAID_BASIC = "postpaid_basic"
    POSTPAID_5G = "postpaid_5g"
    FAMILY = "family"
    BROADBAND_BUNDLE = "broadband_bundle"


class CustomerStatus(StrEnum):
    """Account statuses of the ``customers`` table."""

    ACTIVE = "active"
    SUSPENDED = "suspended"
    CLOSED = "closed"


class Platform(StrEnum):
    """Social-media platforms of the ``social_accounts`` table."""

    WEIBO = "weibo"
    WECHAT = "wechat"
    DOUYIN = "douyin"
    XIAOHONGSHU = "xiaohongshu"


class EdgeKind(StrEnum):
    """Relation kinds of the ``edges`` table."""

    CALL = "call"
    SMS = "sms"
    FAMILY_PLAN = "family_plan"
    FOLLOW = "follow"


class Team(StrEnum):
    """Teams that carry out outreach actions."""

    AGENTS = "agents"
    SUPERVISORS = "supervisors"
    CRISIS_TEAM = "crisis_team"


class FeatureFamily(StrEnum):
    """Feature families, in the order the feature registry lists them."""

    STRUCTURED = "structured"
    TEXT = "text"
    IDENTITY = "identity"
    GRAPH = "graph"


class Language(StrEnum):
    """Languages of feature descriptions and reason phrases."""

    EN = "en"
    ZH = "zh"


TARGETS = values(Target)
CHANNELS = values(Channel)
DIRECTIONS = values(Direction)
CATEGORIES = values(Category)
EVENT_TYPES = values(EventType)
PLAN_TYPES = values(PlanType)
CUSTOMER_STATUSES = values(CustomerStatus)
PLATFORMS = values(Platform)
EDGE_KINDS = values(EdgeKind)
TEAMS = values(Team)
FEATURE_FAMILIES = values(FeatureFamily)
LANGUAGES = values(Language)

INBOUND = Direction.INBOUND.value
REGULATOR_CHANNEL = Channel.REGULATOR.value
"""The channel of complaints lodged with the regulator (an escalation by definition)."""
PUBLIC_CHANNELS: tuple[str, ...] = (Channel.WEIBO.value,)
"""Channels whose contacts are public posts (crisis-team relevant)."""
