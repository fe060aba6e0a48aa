""" Contains all the data models used in inputs/outputs """

from .action import Action
from .action_team import ActionTeam
from .contact_event import ContactEvent
from .contact_event_category import ContactEventCategory
from .contact_event_channel import ContactEventChannel
from .contact_event_direction import ContactEventDirection
from .customer_score import CustomerScore
from .customer_score_risk_tier_type_0 import CustomerScoreRiskTierType0
from .customer_score_source_type_0 import CustomerScoreSourceType0
from .early_warning import EarlyWarning
from .early_warning_notify_item import EarlyWarningNotifyItem
from .event_response import EventResponse
from .event_response_model_versions import EventResponseModelVersions
from .item_error import ItemError
from .item_error_code import ItemErrorCode
from .model_info import ModelInfo
from .model_info_feature_config_type_0 import ModelInfoFeatureConfigType0
from .model_info_metrics import ModelInfoMetrics
from .model_info_response import ModelInfoResponse
from .model_info_response_scores_model_versions import ModelInfoResponseScoresModelVersions
from .model_info_scoring_type_0 import ModelInfoScoringType0
from .model_info_target import ModelInfoTarget
from .model_info_training_window import ModelInfoTrainingWindow
from .model_version import ModelVersion
from .outreach_customer import OutreachCustomer
from .outreach_customer_group import OutreachCustomerGroup
from .outreach_customer_risk_tier_type_0 import OutreachCustomerRiskTierType0
from .outreach_customer_team import OutreachCustomerTeam
from .outreach_request import OutreachRequest
from .outreach_request_target import OutreachRequestTarget
from .outreach_response import OutreachResponse
from .outreach_response_model_versions import OutreachResponseModelVersions
from .previous_scores import PreviousScores
from .previous_scores_risk_tier import PreviousScoresRiskTier
from .problem import Problem
from .reason import Reason
from .reason_target import ReasonTarget
from .score_request import ScoreRequest
from .score_request_records_type_0_item import ScoreRequestRecordsType0Item
from .score_response import ScoreResponse
from .score_response_model_versions import ScoreResponseModelVersions
from .text_signals import TextSignals
from .validation_issue import ValidationIssue

__all__ = (
    "Action",
    "ActionTeam",
    "ContactEvent",
    "ContactEventCategory",
    "ContactEventChannel",
    "ContactEventDirection",
    "CustomerScore",
    "CustomerScoreRiskTierType0",
    "CustomerScoreSourceType0",
    "EarlyWarning",
    "EarlyWarningNotifyItem",
    "EventResponse",
    "EventResponseModelVersions",
    "ItemError",
    "ItemErrorCode",
    "ModelInfo",
    "ModelInfoFeatureConfigType0",
    "ModelInfoMetrics",
    "ModelInfoResponse",
    "ModelInfoResponseScoresModelVersions",
    "ModelInfoScoringType0",
    "ModelInfoTarget",
    "ModelInfoTrainingWindow",
    "ModelVersion",
    "OutreachCustomer",
    "OutreachCustomerGroup",
    "OutreachCustomerRiskTierType0",
    "OutreachCustomerTeam",
    "OutreachRequest",
    "OutreachRequestTarget",
    "OutreachResponse",
    "OutreachResponseModelVersions",
    "PreviousScores",
    "PreviousScoresRiskTier",
    "Problem",
    "Reason",
    "ReasonTarget",
    "ScoreRequest",
    "ScoreRequestRecordsType0Item",
    "ScoreResponse",
    "ScoreResponseModelVersions",
    "TextSignals",
    "ValidationIssue",
)
