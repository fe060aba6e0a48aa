"""Registry entries and defaults for every column of :func:`features.text.text_features`."""

from __future__ import annotations

from features.registry import FeatureSpec
from features.text.patterns import ESCALATION_KINDS, TOPICS

WINDOWS: tuple[int, ...] = (30, 90)
LONG_WINDOW = 90

_TOPIC_NAMES: dict[str, tuple[str, str]] = {
    "billing": ("billing and charges", "话费扣费"),
    "network": ("network and broadband quality", "网络与宽带质量"),
    "suspension": ("suspension and reconnection", "停机复机"),
    "plan": ("plans and contracts", "套餐合约"),
    "vas": ("value-added services", "增值业务"),
    "service_attitude": ("staff attitude and service", "服务态度"),
    "churn": ("leaving the operator", "销户携转"),
    "roaming": ("roaming", "漫游"),
}
_KIND_NAMES: dict[str, tuple[str, str]] = {
    "regulator": (
        "the regulator (MIIT, 12300, communications administration)",
        "工信部/12300/通管局",
    ),
    "consumer": ("a consumer association (12315)", "消协/12315"),
    "legal": ("a lawyer or court", "律师或法院"),
    "media": ("the press or TV", "媒体记者"),
    "social": ("social media exposure", "网络曝光"),
    "appeal": ("an appeal to management (申诉, 越级投诉)", "申诉或越级投诉"),
    "complaint": ("a formal complaint", "正式投诉"),
}


def _window_specs(days: int) -> list[FeatureSpec]:
    specs = [
        FeatureSpec(
            name=f"txt_n_texts_{days}d",
            family="text",
            description_en=f"Contact texts and brand-mentioning posts in the last {days} days",
            description_zh=f"近{days}天的来电/留言文本及提及运营商的社交帖子条数",
            dtype="int",
            reason_en=f"{{value:.0f}} complaint texts in the last {days} days",
            reason_zh=f"近{days}天有{{value:.0f}}条投诉文本",
        )
    ]
    for topic in TOPICS:
        name_en, name_zh = _TOPIC_NAMES[topic]
        specs.append(
            FeatureSpec(
                name=f"txt_topic_{topic}_share_{days}d",
                family="text",
                description_en=(
                    f"Mean share of topic keywords about {name_en} in the texts of the last "
                    f"{days} days"
                ),
                description_zh=f"近{days}天文本中{name_zh}类关键词的平均占比",
                reason_en=f"{{value:.0%}} of the last {days} days' texts are about {name_en}",
                reason_zh=f"近{days}天投诉内容{{value:.0%}}涉及{name_zh}",
            )
        )
    specs += [
        FeatureSpec(
            name=f"txt_escalation_intent_count_{days}d",
            family="text",
            description_en=(
                f"Texts in the last {days} days that threaten escalation or report escalation "
                "already made (regulator, consumer association, court, media, social media, "
                "management, formal complaint); negated, hearsay and plain questions excluded"
            ),
            description_zh=(
                f"近{days}天扬言或自述已经升级投诉（工信部、消协、起诉、媒体、网络曝光、越级、正式投诉）"
                "的文本条数，不含否定、转述和单纯询问"
            ),
            dtype="int",
            reason_en=(
                f"mentioned escalating the complaint {{value:.0f}} times in the last {days} days"
            ),
            reason_zh=f"近{days}天投诉中提及{{value:.0f}}次升级投诉意向",
        ),
        FeatureSpec(
            name=f"txt_escalation_intent_any_{days}d",
            family="text",
            description_en=(
                f"Whether any text in the last {days} days threatens escalation or reports it "
                "as already made (the early-warning rule's mention of escalating or appealing)"
            ),
            description_zh=f"近{days}天是否扬言或自述已经升级投诉（预警规则中的提及升级、申诉）",
            dtype="bool",
            reason_en=f"threatened or reported escalating the complaint in the last {days} days",
            reason_zh=f"近{days}天提及升级投诉或申诉",
        ),
        FeatureSpec(
            name=f"txt_churn_intent_any_{days}d",
            family="text",
            description_en=(
                f"Whether any text in the last {days} days affirms leaving (销户, 携号转网, "
                "switching operator) or asks how to leave; negated mentions excluded"
            ),
            description_zh=f"近{days}天是否表达过销户、携号转网或更换运营商的意向（不含否定）",
            dtype="bool",
            reason_en=f"said they would leave the operator in the last {days} days",
            reason_zh=f"近{days}天表达过销户/携号转网意向",
        ),
        FeatureSpec(
            name=f"txt_anger_max_{days}d",
            family="text",
            description_en=(
                f"Highest anger score (0-1: anger lexicon, exclamations, repetition, angry "
                f"emoji) of the texts in the last {days} days"
            ),
            description_zh=(
                f"近{days}天文本的最高愤怒指数（0-1，基于情绪词典、感叹号、重复和表情）"
            ),
            reason_en=(
                f"very angry wording (anger score up to {{value:.2f}}) in the last {days} days"
            ),
            reason_zh=f"近{days}天投诉情绪激烈（愤怒指数最高{{value:.2f}}）",
        ),
        FeatureSpec(
            name=f"txt_anger_mean_{days}d",
            family="text",
            description_en=f"Mean anger score of the texts in the last {days} days",
            description_zh=f"近{days}天文本的平均愤怒指数",
            reason_en=(
                f"angry tone throughout (mean anger score {{value:.2f}}) in the last {days} days"
            ),
            reason_zh=f"近{days}天投诉平均愤怒指数{{value:.2f}}",
        ),
        FeatureSpec(
            name=f"txt_nonintent_mentions_{days}d",
            family="text",
            description_en=(
                f"Clauses in the last {days} days that mention escalation or leaving without "
                "affirming it (negated, hearsay, futile, or a question without a threat)"
            ),
            description_zh=f"近{days}天以否定、转述或询问方式提及升级投诉或离网的次数",
            dtype="int",
            reason_en=(
                f"{{value:.0f}} negated or questioning mentions of escalation or leaving in the "
                f"last {days} days"
            ),
            reason_zh=f"近{days}天有{{value:.0f}}次以否定或询问方式提及投诉升级或离网",
        ),
    ]
    return specs


_STANCE_NAMES: dict[str, tuple[str, str, str, str]] = {
    "threat": (
        "threatens to escalate (regulator, consumer association, court, media, social media, "
        "management, formal complaint)",
        "扬言升级投诉（工信部、消协、起诉、媒体、网络曝光、越级、正式投诉）",
        "threatened to escalate the complaint",
        "扬言升级投诉",
    ),
    "done": (
        "reports escalation already made (上个月就给12300打过电话了, 投诉了好几回) or @-mentions "
        "the regulator or the media",
        "已经升级投诉（如已打过12300、多次投诉、已发帖曝光）或@监管部门、媒体",
        "reported having already escalated the complaint",
        "自述已向监管部门、消协、媒体等投诉或曝光",
    ),
    "hearsay": (
        "mentions others' escalation (听说有人投诉到工信部就解决了)",
        "转述他人的投诉经历（如听说有人投诉到工信部就解决了）",
        "talked about others escalating their complaints",
        "提及他人升级投诉的经历",
    ),
    "negated": (
        "says they will not escalate (我不想投诉，只想解决问题)",
        "明确表示不打算升级投诉（如我不想投诉，只想解决问题）",
        "said they do not want to escalate",
        "明确表示不想升级投诉",
    ),
    "question": (
        "asks how or where to complain (请问怎么投诉？, 12300电话多少)",
        "询问投诉渠道或方式（如请问怎么投诉、12300电话多少）",
        "asked how or where to complain",
        "询问过投诉渠道",
    ),
}
STANCE_WINDOWS: dict[str, tuple[int, ...]] = {
    "threat": WINDOWS,
    "done": WINDOWS,
    "hearsay": (LONG_WINDOW,),
    "negated": (LONG_WINDOW,),
    "question": (LONG_WINDOW,),
}
"""Windows of each stance feature ``txt_escalation_<stance>_any_<days>d``."""


def _stance_specs() -> list[FeatureSpec]:
    specs = []
    for stance, (what_en, what_zh, reason_en, reason_zh) in _STANCE_NAMES.items():
        for days in STANCE_WINDOWS[stance]:
            specs.append(
                FeatureSpec(
                    name=f"txt_escalation_{stance}_any_{days}d",
                    family="text",
                    description_en=f"Whether a text in the last {days} days {what_en}",
                    description_zh=f"近{days}天是否有文本{what_zh}",
                    dtype="bool",
                    reason_en=f"{reason_en} in the last {days} days",
                    reason_zh=f"近{days}天{reason_zh}",
                )
            )
    return specs


def _signal_specs() -> list[FeatureSpec]:
    days = LONG_WINDOW
    return [
        FeatureSpec(
            name=f"txt_at_authority_any_{days}d",
            family="text",
            description_en=(
                f"Whether a text in the last {days} days @-mentions the regulator or the media "
                "(@工信部, @人民日报, @黑猫投诉, ...)"
            ),
            description_zh=f"近{days}天是否@过监管部门或媒体账号（如@工信部、@人民日报）",
            dtype="bool",
            reason_en=f"@-mentioned the regulator or the media in the last {days} days",
            reason_zh=f"近{days}天在社交媒体上@监管部门或媒体",
        ),
        FeatureSpec(
            name=f"txt_at_brand_any_{days}d",
            family="text",
            description_en=(
                f"Whether a text in the last {days} days @-mentions an operator's account "
                "(@中国移动10086, @广东移动, ...)"
            ),
            description_zh=f"近{days}天是否@过运营商官方账号（如@中国移动10086）",
            dtype="bool",
            reason_en=f"@-mentioned the operator's account in the last {days} days",
            reason_zh=f"近{days}天在社交媒体上@运营商官方账号",
        ),
        FeatureSpec(
            name=f"txt_rights_terms_{days}d",
            family="text",
            description_en=(
                f"Consumer-rights words (维权, 曝光, 消协, 12315, 找媒体, 律师, ...) in the texts "
                f"of the last {days} days"
            ),
            description_zh=f"近{days}天文本中维权类词语（维权、曝光、消协、12315、律师等）的次数",
            dtype="int",
            reason_en=f"used consumer-rights words {{value:.0f}} times in the last {days} days",
            reason_zh=f"近{days}天{{value:.0f}}次使用维权类词语",
        ),
        FeatureSpec(
            name=f"txt_sarcasm_any_{days}d",
            family="text",
            description_en=(
                f"Whether a text in the last {days} days is sarcastic or asks a rhetorical "
                "question (你们这服务真让人大开眼界啊？)"
            ),
            description_zh=f"近{days}天是否有反讽或反问语气的文本（如你们这服务真让人大开眼界啊？）",
            dtype="bool",
            reason_en=f"sarcastic or rhetorical wording in the last {days} days",
            reason_zh=f"近{days}天投诉中有反讽、反问语气",
        ),
        FeatureSpec(
            name=f"txt_exclamations_max_{days}d",
            family="text",
            description_en=(
                f"Most exclamation marks in one text of the last {days} days (counted apart "
                "from anger: 在线等，急！！！ is urgency, not anger)"
            ),
            description_zh=f"近{days}天单条文本中感叹号的最多个数（与愤怒指数分开统计）",
            dtype="int",
            reason_en=f"up to {{value:.0f}} exclamation marks in one text in the last {days} days",
            reason_zh=f"近{days}天单条文本最多{{value:.0f}}个感叹号",
        ),
    ]


def _target_specs() -> list[FeatureSpec]:
    specs = []
    for kind in ESCALATION_KINDS:
        name_en, name_zh = _KIND_NAMES[kind]
        specs.append(
            FeatureSpec(
                name=f"txt_target_{kind}_{LONG_WINDOW}d",
                family="text",
                description_en=(
                    f"Whether a text in the last {LONG_WINDOW} days affirms escalating to {name_en}"
                ),
                description_zh=f"近{LONG_WINDOW}天是否表达过向{name_zh}升级投诉的意向",
                dtype="bool",
                reason_en=f"threatened to turn to {name_en} in the last {LONG_WINDOW} days",
                reason_zh=f"近{LONG_WINDOW}天扬言向{name_zh}投诉",
            )
        )
    return specs


FEATURES: list[FeatureSpec] = [
    *(spec for days in WINDOWS for spec in _window_specs(days)),
    *_target_specs(),
    *_stance_specs(),
    *_signal_specs(),
    FeatureSpec(
        name=f"txt_n_posts_{LONG_WINDOW}d",
        family="text",
        description_en=f"Brand-mentioning social posts in the last {LONG_WINDOW} days",
        description_zh=f"近{LONG_WINDOW}天提及运营商的社交媒体帖子数",
        dtype="int",
        reason_en=f"{{value:.0f}} social posts about the operator in the last {LONG_WINDOW} days",
        reason_zh=f"近{LONG_WINDOW}天发布{{value:.0f}}条提及运营商的社交帖子",
    ),
]
"""Every column of :func:`features.text.text_features`, in output order."""

TEXT_DEFAULTS: dict[str, float] = {spec.name: 0.0 for spec in FEATURES}
"""Value of each column for a customer without texts (no texts: no counts, flags, anger, topics)."""
