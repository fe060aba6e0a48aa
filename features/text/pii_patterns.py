"""Patterns and word lists of the PII kinds that :mod:`features.text.pii` masks.

Everything here is data: compiled regular expressions, the surname and title lists, the
service numbers that are never personal, and a Luhn check. Patterns only ever match inside one
text (none of their classes holds the NUL that separates texts in a joined buffer).
"""

from __future__ import annotations

import re

PHONE_TOKEN = "<PHONE>"
ID_TOKEN = "<ID>"
EMAIL_TOKEN = "<EMAIL>"
CARD_TOKEN = "<CARD>"
QQ_TOKEN = "<QQ>"
WECHAT_TOKEN = "<WECHAT>"
PASSPORT_TOKEN = "<PASSPORT>"
PLATE_TOKEN = "<PLATE>"
ADDRESS_TOKEN = "<ADDR>"
NAME_TOKEN = "<NAME>"
NUMBER_TOKEN = "<NUMBER>"
MASK_TOKENS = (
    PHONE_TOKEN,
    ID_TOKEN,
    EMAIL_TOKEN,
    CARD_TOKEN,
    QQ_TOKEN,
    WECHAT_TOKEN,
    PASSPORT_TOKEN,
    PLATE_TOKEN,
    ADDRESS_TOKEN,
    NAME_TOKEN,
    NUMBER_TOKEN,
)

_HOTLINES = (
    "110 112 114 119 120 122 10000 10001 10010 10011 10015 10016 10018 10050 10060 10086 "
    "10088 10099 12300 12315 12321 12345 12351 12358 12366 12369 12381 12388 95105 95533 "
    "95555 95566 95588 95599"
)
SERVICE_NUMBERS = frozenset(_HOTLINES.split(" "))
"""Public service and operator hotlines: never masked, never dropped from a vocabulary."""

FULLWIDTH = str.maketrans("０１２３４５６７８９＋－＠Ｘｘ", "0123456789+-@Xx")
CHINESE_DIGITS = "〇零一二三四五六七八九幺"
CHINESE_TO_ASCII = str.maketrans(CHINESE_DIGITS, "001234567891")

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
    "魏苏吕丁任沈姚卢姜崔钟谭陆汪范廖石贾韦夏付邹熊孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾"
    "龚邵万覃武钱严洪赖莫孔汤向常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿"
    "关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙"
    "鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席"
    "卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑"
    "迟邝"
)
"""Single-character surnames (the common ~300), for the title and "my name is" patterns."""

COMPOUND_SURNAMES = (
    "欧阳",
    "司马",
    "诸葛",
    "上官",
    "东方",
    "司徒",
    "慕容",
    "皇甫",
    "尉迟",
    "公孙",
    "令狐",
    "宇文",
    "长孙",
    "夏侯",
    "轩辕",
    "端木",
    "南宫",
    "独孤",
)

# Surname characters that also end everyday words before a title (安装师傅, 分公司经理, 语文老师,
# 班主任老师, 出租车师傅, 有关经理, 宿管阿姨); they still count in "my name is" contexts.
_AMBIGUOUS_BEFORE_ROLE = "安小明和全单时成连商查应师路关司管文任车"
_AMBIGUOUS_BEFORE_PERSON = "和明时"

PERSONAL_TITLES = ("先生", "女士", "小姐")
"""Titles that follow a full name as well as a bare surname (王小明先生, 王先生)."""

ROLE_TITLES = (
    "经理",
    "师傅",
    "老师",
    "阿姨",
    "大爷",
    "大妈",
    "大姐",
    "大哥",
    "主任",
    "律师",
    "医生",
    "警官",
    "老板",
    "总监",
    "组长",
    "工程师",
)
"""Titles that follow a bare surname (张经理, 李师傅)."""

NAME_INTRO_WORDS = ("我叫", "名叫", "叫做", "名字", "姓名", "机主", "户主", "系人", "件人")
"""Two-character words that open a name context (their first two characters for 联系人/收件人)."""

# Characters that end a given name: particles, pronouns, verbs and nouns that commonly follow a
# name in a complaint ("我叫王伟是老用户", "机主张丽的号码").
_NAME_STOP = (
    "的了是在和与跟从到给说要想就也都还又不没很已今昨这那你我他她它们啊吧呢吗呀哦嗯号手电"
    "话身证办用交买开来去打家住先女经师老阿主律医警总组工请帮查投反映问客户机卡宽"
)
_GIVEN = rf"(?:(?![{_NAME_STOP}])[\u4e00-\u9fa5])"
_SURNAME = rf"(?:{'|'.join(COMPOUND_SURNAMES)}|[{SURNAMES}])"


def _surname_class(excluded: str) -> str:
    chars = "".join(char for char in SURNAMES if char not in excluded)
    return rf"(?:{'|'.join(COMPOUND_SURNAMES)}|[{chars}])"


_PERSON_SURNAME = _surname_class(_AMBIGUOUS_BEFORE_PERSON)
_ROLE_SURNAME = _surname_class(_AMBIGUOUS_BEFORE_ROLE)

NAME = re.compile(
    # A context that introduces a name, kept; the name (surname and one or two characters) masked.
    rf"(?P<intro>我叫|名叫|叫做|名字(?:是|叫)|姓名(?:是|为)?[：: ]?|机主(?:姓名)?(?:是|为|[：:])"
    rf"|户主(?:是|为|[：:])|联系人(?:是|为|[：:])?|收件人(?:是|为|[：:])?)"
    rf"(?P<named>{_SURNAME}{_GIVEN}{{1,2}})"
    # 姓 + surname: 我姓王, 免贵姓李 (not 百姓).
    rf"|(?<!百)(?P<surname_intro>姓)(?:是)?(?P<surname>{_SURNAME})(?!名)"
    # Surname (and given name) + personal title; surname + role title.
    rf"|(?P<titled>{_PERSON_SURNAME}{_GIVEN}{{0,2}})(?=(?:{'|'.join(PERSONAL_TITLES)}))"
    rf"|(?P<role>{_ROLE_SURNAME})(?=(?:{'|'.join(ROLE_TITLES)}))"
)

_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
PROVINCE_CHARS = _PROVINCES
_PLATE_LETTER = "A-HJ-NP-Za-hj-np-z"
PLATE = re.compile(
    rf"[{_PROVINCES}][{_PLATE_LETTER}][·・• \-]?[{_PLATE_LETTER}0-9]{{5,6}}(?![A-Za-z0-9])"
    r"[挂学警]?"
)
"""Licence plates: province, letter, five (six for new-energy cars) letters or digits."""

PASSPORT = re.compile(
    r"(?<![A-Za-z0-9])(?:[EeGgDdSsPpHhMm][0-9]{8}|[EeCc][A-HJ-NP-Za-hj-np-z][0-9]{7}|[Cc][0-9]{8})"
    r"(?![A-Za-z0-9])"
)
"""Passports (E/G/D/S/P + 8 digits, E + letter + 7) and Hong Kong/Macao permits (C, H, M)."""

EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")

QQ_OR_WECHAT = re.compile(
    r"(?P<qq_intro>(?:QQ|qq|Qq|扣扣|企鹅)(?:号码?|账号)?(?:是|为)?[：: ]?)(?P<qq>[1-9][0-9]{4,10})"
    r"(?![0-9])"
    r"|(?P<wx_intro>(?:微信|VX|vx|Vx|WX|wx|V信|v信)(?:号|账号|ID|id)?(?:是|为)?[：: ]?)"
    r"(?P<wx>[A-Za-z][-_A-Za-z0-9]{5,19})(?![-_A-Za-z0-9])"
)

LANDLINE = re.compile(
    r"(?<![0-9])(?:[(（]0[1-9][0-9]{1,2}[)）][ \-]?|0(?:10|2[0-9]|[3-9][0-9]{2})[ \-]?)"
    r"[1-9][0-9]{6,7}(?:[ \-]?(?:转|ext)[ \-]?[0-9]{1,5})?(?![0-9])"
    r"|(?P<intro>(?:座机|固话|固定电话|家里电话|家庭电话|办公电话|办公室电话|宅电|单位电话|联系电话)"
    r"(?:号码?)?(?:是|为)?[：: ]?)(?P<local>[2-9][0-9]{6,7})(?![0-9])"
)
"""Landlines: with an area code (010-12345678, (028)58291283), or after a phone word."""

# A trailing 一 that starts a word (一直, 一下, 一次) is not part of the number before it.
_NUMERAL = rf"(?!一[直下次样起个点天共定般些会切再])[0-9{CHINESE_DIGITS}]"
CHINESE_NUMBER = re.compile(rf"(?=[0-9 \-]*[{CHINESE_DIGITS}]){_NUMERAL}(?:[ \-]?{_NUMERAL}){{6,}}")
"""A number of seven or more digits written (at least partly) in Chinese numerals."""

NUMBER_RUN = re.compile(r"[+0-9][0-9 \-]{9,}[0-9Xx]")
"""Runs of digits, spaces and dashes long enough to hold a phone, ID or card number."""

NUMBER = re.compile(
    r"(?P<id>(?<![0-9A-Za-z])[1-9][0-9]{5} ?(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])"
    r"(?:0[1-9]|[12][0-9]|3[01]) ?[0-9]{3}[0-9Xx](?![0-9A-Za-z]))"
    r"|(?P<card>(?<![0-9])[3-6][0-9]{3}(?:[ \-]?[0-9]{4}){3}(?:[ \-]?[0-9]{1,3})?(?![0-9]))"
    r"|(?P<phone>(?<![0-9])(?:(?:\+|00)?86[ \-]?|0|(?:17951|12593|17911|10193|17909)[ \-]?)?"
    r"1[3-9][0-9](?:[ \-]?[0-9]){8}(?![0-9]))"
    r"|(?P<long>(?<![0-9])[0-9]{12,})"
)
"""Inside a :data:`NUMBER_RUN`: ID numbers, bank cards, mobiles (with country, trunk or IP-call
prefixes) and any other run of twelve or more digits."""

MOBILE = re.compile(r"1[3-9][0-9]{9}")

_STREET_NAME = r"(?:(?![在住是的到于我家址区市县镇省乡村号楼栋幢室，。、\s])[\u4e00-\u9fa5]){1,6}"
_BUILDING = r"[0-9]+(?:栋|幢|座|号楼|号院)"
_UNIT = r"[0-9]+单元"
_ROOM = r"[0-9]+(?:室|号房|层|楼|户)?"
# A day of the month reads like a house number (线路5号开始断网): a number followed by a time or
# action word is not an address.
_NOT_A_DAY = r"(?![开起到至那之前后晚早上下中当左以再又扣就才一的])"
ADDRESS = re.compile(
    rf"{_STREET_NAME}(?:大道|大街|路|街|巷|胡同)[0-9]+(?:-[0-9]+)?号{_NOT_A_DAY}(?:院|楼)?"
    rf"(?:{_BUILDING})?(?:{_UNIT})?(?:[0-9]+(?:室|号房|层|楼|户))?"
    rf"|[0-9]+弄[0-9]+号(?:[0-9]+(?:室|号房))?"
    rf"|{_BUILDING}(?:{_UNIT}{_ROOM}|[0-9]+(?:室|号房|户)|[0-9]{{3,4}}(?![0-9]))"
    rf"|{_UNIT}[0-9]+(?:室|号房|户)?"
    r"|(?<![0-9])[0-9]{3,4}(?:室|号房)"
)
"""Street-level addresses: street + number (+ building, unit, room), or building + unit/room.
Province, city and district names are kept: they are coarse and not personal."""


def luhn_valid(digits: str) -> bool:
    """Whether a digit string passes the Luhn check of bank card numbers."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if position % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0
