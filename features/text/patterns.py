"""Regular expressions for escalation intent, churn intent, questions and topics in complaints.

The analysis works on clauses (text between commas, spaces or emoji inside a sentence) and
sentences (text up to and including 。！？; or a line break). A *mention* is a clause that matches
a kind's intent pattern; it is *affirmed* unless a negation cue governs it (不是要 ... 去工信部,
不打算 ... 销户), it is hearsay (听说 / 朋友 ... 去工信部), a futility remark follows it (投诉到
工信部也没用), or it sits in a question without a threat (请问12300是什么电话？). A question that
is itself a threat (再不解决我就去工信部投诉，你们看着办吧？) stays affirmed.
"""

from __future__ import annotations

import re

ESCALATION_KINDS: tuple[str, ...] = (
    "regulator",
    "consumer",
    "legal",
    "media",
    "social",
    "appeal",
    "complaint",
)
"""Escalation target kinds, most severe first (the order of ``escalation_target``)."""

TOPICS: tuple[str, ...] = (
    "billing",
    "network",
    "suspension",
    "plan",
    "vas",
    "service_attitude",
    "churn",
    "roaming",
)

SENTENCE_END_CHARS = "。！？!?；;\n…"
CLAUSE_SEPARATOR_CHARS = "，,、：:～~ \t\u3000"
EMOJI_RANGES: tuple[tuple[int, int], ...] = ((0x1F300, 0x1FAFF), (0x2600, 0x27BF))
"""Emoji code-point ranges; in chat texts emoji separate clauses like punctuation."""


def words(text: str) -> tuple[str, ...]:
    """Space-separated words of a literal list (keeps long Chinese word lists compact)."""
    return tuple(text.split())


_words = words


# Gaps between a verb and its target hold word characters only, never emoji or brackets.
_GAP = r"[\u4e00-\u9fffA-Za-z0-9]{0,4}?"
_PRE_VERBS = (
    r"去(?!年)|到(?!底|时|现在|处)|找|向|跟|给|打(?!折|开|算|听)|拨|联系|求助|告到|投诉到|反映到"
    r"|举报到|申诉到|上报|报给|叫|请|让"
)
_POST_VERBS = "投诉|举报|反映|申诉|告状|起诉|曝光|报道|评理|评评理|介入|求助|讨说法|要说法"

_REGULATOR = (
    r"工信部|工业和信息化部|通管局|通信管理局|电信管理局|电信用户申诉受理中心|申诉中心"
    r"|(?<!\d)12300(?!\d)|(?<!\d)12345(?!\d)|市长热线|政府热线"
)
_CONSUMER = (
    r"消协|消费者协会|消保委|消费者权益保护委员会|(?<!\d)12315(?!\d)|市场监管局|市场监督管理局"
    r"|工商局"
)
_MEDIA = r"媒体|记者|电视台|报社|报纸|央视|焦点访谈|今日说法|(?:3·15|315|三一五)晚会|黑猫投诉"
_SOCIAL_PLACES = r"网上|微博|朋友圈|抖音|小红书|网络上|论坛|贴吧|头条|知乎|快手"
_LEADERS = r"总部|集团|总公司|省公司|上级"
_SUBJECT = r"我|本人|客户|用户|机主|咱"


def _institution(targets: str) -> str:
    return (
        rf"(?:{_PRE_VERBS}){_GAP}(?:{targets})"
        rf"|(?:{targets}){_GAP}(?:{_POST_VERBS}|打电话|来电话)"
    )


INTENT_PATTERNS: dict[str, str] = {
    "regulator": _institution(_REGULATOR),
    "consumer": _institution(_CONSUMER),
    "legal": (
        rf"(?:找|请|委托|咨询|联系){_GAP}律师|律师函|(?<!被)起诉(?!我)|打官司|上法院|法院见"
        r"|法庭见|法庭上见|告(?:你们|你|他们|到法院|上法院|贵公司|运营商|移动|联通|电信)"
        rf"|(?:走|通过|用|诉诸|采取){_GAP}法律(?:途径|程序|手段)|诉讼|仲裁|追究法律责任"
    ),
    "media": (
        rf"(?:{_PRE_VERBS}|打给|上(?!个|次|周|月|午|班|网)){_GAP}(?:{_MEDIA})"
        rf"|(?:{_MEDIA}){_GAP}(?:曝光|报道|采访|爆料|来)|爆料|报料|上新闻|上电视"
    ),
    "social": (
        r"(?<!媒体)(?<!记者)曝光(?!度|率|台)"
        rf"|(?:发|挂|晒|放|传|贴)(?:到|在|上)?{_GAP}(?:{_SOCIAL_PLACES})"
        rf"|(?:{_SOCIAL_PLACES}){_GAP}(?:曝光|吐槽|发帖|发文|挂你们|评理|评评理|讨说法)"
        r"|发微博|上热搜|让(?:大家|网友|全网|所有人)(?:看看|评评理|知道|评理)|人肉|拉横幅"
    ),
    "appeal": (
        r"(?<!用户)申诉(?!受理|中心)|升级投诉|投诉升级|越级投诉|上访"
        rf"|投诉到(?:{_LEADERS}|上面)|向(?:{_LEADERS})(?:投诉|反映)"
    ),
    "complaint": (
        r"(?:要|想|会|得|必须|一定|就|准备|打算|坚决|继续|马上|立刻)投诉(?!一般|多久|流程|电话|渠道"
        r"|方式|的话|过|了吗|吗)"
        r"|投诉(?:你们|你|他|她|这个|那个|工号|客服|营业员|营业厅|到底)|给你们差评|打差评"
    ),
}

CHURN_PATTERN = (
    r"销户|销号|注销(?:该|这个|此|掉|掉这个)?(?:号码|手机号|号|账户|账号|宽带|手机卡|卡)"
    r"|(?:准备|打算|决定|要|想|申请|办理|要求)注销(?![^，,。！？!?]{0,6}(?:业务|套餐|会员|彩铃|包月|服务))"
    r"|携号转网(?!过来|进来|到你们|来的)|携转(?!过来|进来)|(?<!携号)转网(?!过来|进来)"
    r"|换(?:个|家)?运营商|换别家|换一家|去别家|转去别家|别家办|(?:换|转)(?:成|到|去|用|投)(?:移动|联通|电信|广电)"
    r"|退网|拆机|退宽带|不续约|不续费了"
    r"|(?:不想|不会|不再|再也不|不打算|别想我)再?(?:用|使用)(?:你们|贵公司|你家|我司)(?:家|的)?(?!管|操心|负责)"
    r"|不用你们(?:家|的)(?!管|操心)|不用你们了|停用(?:号码|手机号|这个号)|号(?:码)?我?也?不要了"
    r"|(?:移动|联通|电信|广电)(?:那边|那里|家)?(?:更)?便宜"
)

# A negator counts as a cue only when a modal or an action verb follows it and it is not the
# middle of an A-not-A question (是不是, 要不要); it consumes only the negator itself, so the
# intent pattern can still match from the next character (不想投诉).
NEGATION_CUES = (
    r"(?:(?<!是)(?<!要)(?<!会)(?<!能)(?<!想)(?<!去)(?<!可)不|没有?|别|并不|并没有?|从没有?|从来没有?"
    r"|从未|绝不|决不|也不|也没有?|无意|未曾|未)"
    r"(?=是|打算|想|准备|会|要|用|使用|必|至于|需要|希望|愿|去|找|打|告|发|再|说|敢|投诉|曝光|起诉"
    r"|申诉|向|到|跟|给|联系|上|换|转|销|注销|携号|办|考虑)"
    r"|并非|并无|绝非|决非|无意"
)
HEARSAY_CUES = (
    r"听说|据说|新闻里|新闻上|新闻说|网上说|(?<!没)有人|别人|朋友|邻居|同事|同学|亲戚|他们说|电视上"
    r"|报道说"
)
# Words after which a negation or hearsay cue no longer governs the rest of the clause.
SCOPE_BREAK = (
    r"就|才|否则|不然|直接|只能|只好|必须|一定|肯定|马上|立刻|但|可是|然后|还是|逼|让我|害我|我要"
    r"|我会|我也要|我得|所以|因此|于是|要么|干脆|等着|看着办|否则|不然|信不信|已经"
)
_SCOPE_BREAK = SCOPE_BREAK
FUTILITY_AFTER = r"算了|没用|不去了|也没用|没必要|不至于|不打了|不用了|不管用|有什么用|管不了"

# Words that affirm a mention even inside a question: volition or decision (我要, 准备), a
# completed step (已经打了12300, 已咨询律师), a condition with a consequence, or a dare. They count
# in the mention's own clause; dares also count anywhere in its sentence (再不解决我就去工信部
# 投诉，你们看着办吧？), unless the mention's clause itself asks something.
AFFIRM_MARKERS = (
    rf"(?:{_SUBJECT})(?:就|要(?!问|咨询|了解)|会|将|一定|肯定|必须|马上|立刻|准备|打算|决定|已经|已"
    r"|现在就|明天就|今天就|这就|直接|想(?!问|了解|咨询|知道|请教))"
    r"|就(?:去|找|打|向|到|上|发|把|告|要|投诉|销户|销号|转网|携号|换|注销|拆)"
    r"|(?<!不)(?<!没)(?:准备|打算|决定|坚决|一定要|必须)"
    r"|已(?:经)?(?:咨询|联系|找|打|向|去|委托|发|在|投诉|申诉|举报|起诉)|已经"
    r"|那就|扬言|威胁|声称要|表示要|称要|称将|要不要我|逼我|逼得我"
    r"|才(?:会|肯|能)?(?:解决|处理|重视|管|给)"
)
DARE_MARKERS = r"否则|不然|看着办|等着|走着瞧|别怪|信不信|没完|法院见|法庭见"
# A mention is a question when its own clause asks (an interrogative word or a polite asking
# phrase), when the clause just before it asks (请问，...), or when it is the last clause of a
# sentence that ends with a question mark or particle (这个号我不要了，销号？？ still affirms the
# first clause).
ASKING_BEFORE = (
    r"(?:请问|想问(?!清楚|明白)|问一下|问问|了解一下|询问|咨询)[^，,、：:～~\s]*[，,、：:～~\s]?$"
)
QUESTION_ENDING = r"[?？][\s?？!！。…~～]*$|[吗么呢][\s。！!…~～]*$"
CLAUSE_QUESTION = (
    r"多久|什么时候|怎么(?!回事|搞的)|如何|是否|哪(?!怕)|几(?:天|个|号|次)|什么(?!破|玩意|东西|垃圾)"
    r"|有没有|能不能|可不可以|会不会|是不是|吗|呢|咨询|询问|请问|想问(?!清楚|明白)|问一下|问问"
    r"|多少|啥|干嘛|咋"
    r"|了解一下"
)
# Questions that ask how to leave are themselves churn intent (携号转网怎么办理？).
CHURN_REQUEST_MARKERS = (
    r"帮我|给我办|办理|申请|怎么(?:办|弄|操作|转)|如何(?:办|操作|转)|在哪(?:里)?办|需要(?:带)?什么"
    r"|要什么(?:材料|手续|证件)|流程|手续"
)


# Literal keywords per topic (each keyword in one topic), counted in one matcher pass.
TOPIC_KEYWORDS: dict[str, tuple[str, ...]] = {
    "billing": _words(
        "话费 扣费 扣钱 扣了 多扣 乱扣 账单 详单 收费 费用 资费 余额 退费 退款 退钱 充值 缴费 月租 "
        "发票 违约金 滞纳金 扣款 返还 块钱 元"
    ),
    "network": _words(
        "信号 网速 网络 断网 掉线 上不了网 连不上 宽带 光猫 路由器 光纤 基站 卡顿 很卡 打不通 "
        "通话中断 无服务 没网 WiFi wifi WIFI 无线网 4G 5G 4g 5g 测速 装机 移机 报修 故障"
    ),
    "suspension": _words(
        "停机 停号 被停 欠费 复机 开机 双停 单停 关停 停掉 停了 保号 恢复通话 恢复使用"
    ),
    "plan": _words(
        "套餐 合约 降档 升档 副卡 主卡 亲情号 靓号 不限量 限速 流量包 语音包 定向流量 融合 "
        "承诺消费 保底 赠送 送的 月费"
    ),
    "vas": _words(
        "增值业务 增值服务 彩铃 会员 包月 订购 订阅 退订 定制 游戏 短信业务 SP 来电显示 没订过 "
        "没有订 未订购"
    ),
    "service_attitude": _words(
        "态度 客服 工号 营业员 营业厅 工作人员 接线员 挂电话 挂我电话 不耐烦 敷衍 推诿 踢皮球 "
        "没人理 没人管 不回电 回电 推脱 答复 承诺 服务差 装维"
    ),
    "churn": _words(
        "销户 销号 注销号码 注销手机号 携号转网 携转 转网 换运营商 退网 拆机 退宽带 解约 不续约 "
        "不用你们 不再用你们 不想用你们"
    ),
    "roaming": _words(
        "漫游 境外 出国 国外 出境 港澳 香港 澳门 台湾 日本 韩国 泰国 美国 欧洲 新加坡 国际长途 "
        "国际流量"
    ),
}

# Keywords that every mention of a kind holds (its anchors): only clauses holding an anchor of a
# kind go through that kind's patterns. A test checks that each pattern's matches hold one.
MENTION_KEYWORDS: dict[str, tuple[str, ...]] = {
    "regulator": _words(
        "工信部 工业和信息化部 通管局 通信管理局 电信管理局 申诉受理中心 申诉中心 12300 12345 "
        "市长热线 政府热线"
    ),
    "consumer": _words(
        "消协 消费者协会 消保委 消费者权益保护委员会 12315 市场监管局 市场监督管理局 工商局"
    ),
    "legal": _words(
        "律师 起诉 官司 法院 法庭 诉讼 仲裁 法律 告你 告他 告到 告上 告贵 告运营 告移动 告联通 "
        "告电信"
    ),
    "media": _words(
        "媒体 记者 电视台 报社 报纸 央视 焦点访谈 今日说法 晚会 黑猫投诉 爆料 报料 上新闻 上电视"
    ),
    "social": _words(
        "曝光 网上 微博 朋友圈 抖音 小红书 网络上 论坛 贴吧 头条 知乎 快手 热搜 让大家 让网友 "
        "让全网 让所有人 人肉 帖子 发帖 转发 维权帖 拉横幅"
    ),
    "appeal": _words("申诉 升级投诉 投诉升级 越级投诉 上访 投诉到 上级 总部 集团 总公司 省公司"),
    "complaint": ("投诉", "差评"),
    "churn": _words(
        "销户 销号 注销 携号转网 携转 转网 换运营商 换个运营商 换家运营商 别家 换一家 换成 换到 "
        "换去 换用 转成 转到 转去 转用 转投 退网 拆机 退宽带 续约 续费 用你们 用贵公司 用你家 "
        "用我司 停用 不要了 便宜"
    ),
}


def compile_intent(pattern: str) -> re.Pattern[str]:
    """The affirmative pattern of an intent."""
    return re.compile(f"(?:{pattern})")


def compile_negated(pattern: str) -> re.Pattern[str]:
    """Clauses where a negation or hearsay cue governs the intent, or a futility remark follows.

    The cue must come before the intent with no scope-breaking word (就, 否则, 直接, ...) in
    between, so 再不解决我就去工信部 is not negated while 我不打算去工信部 is.
    """
    scoped = rf"(?:(?!{SCOPE_BREAK})[^\U0001F000-\U0001FAFF])*?"
    return re.compile(
        rf"(?:{NEGATION_CUES}|{HEARSAY_CUES}){scoped}(?:{pattern})"
        rf"|(?:{pattern}){scoped}(?:{FUTILITY_AFTER})"
    )
