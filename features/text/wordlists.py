"""Word lists for real helpdesk texts: telecom segmentation words, anger slang, rights words.

Written for the language of real operator threads (Weibo customer-service posts, WeChat and app
messages, hotline transcripts), not for the synthetic grammar. The telecom words extend the
packaged jieba user dictionary; the slang overlays the curated anger list; the rights words are
counted as a feature of their own.
"""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    """Space-separated words of a literal list (keeps long Chinese word lists compact)."""
    return tuple(text.split())


OPERATORS: tuple[str, ...] = _words(
    "中国移动 中国联通 中国电信 中国广电 移动 联通 电信 广电 10086 10010 10000 10099 "
    "移动公司 联通公司 电信公司 营业厅 网上营业厅 掌上营业厅 中国移动APP 联通APP 电信APP "
    "虚拟运营商 170号段 铁通"
)
PROVINCES: tuple[str, ...] = _words(
    "北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 "
    "湖南 广东 海南 四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门 "
    "北京移动 上海移动 广东移动 浙江移动 江苏移动 四川移动 山东移动 河南移动 湖北移动 湖南移动 "
    "广东联通 北京联通 上海联通 广东电信 上海电信 江苏电信 四川电信 省公司 地市公司 分公司"
)
NETWORK_TERMS: tuple[str, ...] = _words(
    "2G 3G 4G 5G 4G+ 5G-A VoLTE 千兆 百兆 宽带 光猫 光纤 路由器 机顶盒 IPTV 魔百盒 "
    "流量 套餐 副卡 携号转网 携转 流量卡 物联网卡 大王卡 号卡 SIM卡 eSIM 实名制 实名认证 "
    "销户 过户 补卡 换卡 停机保号 信号塔 基站 室分 弱覆盖 信号格 无服务 飞行模式 "
    "定向流量 通用流量 全国流量 本地流量 日租卡 限速 达量限速 提速降费 合约期 违约金 "
    "宽带续费 宽带到期 光猫亮红灯 LOS灯 装维师傅 上门维修 报障 工单 工单号 受理编号 "
    "话费账单 话费详单 积分 话费券 权益包 视频彩铃 云盘 和彩云 咪咕 沃音乐 天翼云盘"
)
AUTHORITIES: tuple[str, ...] = _words(
    "工信部 工业和信息化部 通信管理局 通管局 电信用户申诉受理中心 12300 12315 12345 消协 "
    "消费者协会 消保委 市场监管局 市场监督管理局 市长热线 领导留言板 人民网领导留言板 "
    "黑猫投诉 消费保 人民日报 新京报 央视新闻 澎湃新闻 南方都市报 新华社 中国消费者报"
)
SLANG: tuple[str, ...] = _words(
    "无语 服了 真服了 醉了 呵呵 吐槽 坑爹 垃圾 心累 憋屈 一言难尽 奇葩 扯淡 寒心 不如狗 "
    "答非所问 摆设 差评 一星 智障 睁眼说瞎话 无力吐槽 闹心 糟心 鸡肋 蛋疼 笑死 被坑 套路 "
    "割韭菜 智商税 心寒 跑断腿 气人 逗我 吃相 离谱 绝了 拉黑 好欺负"
)

TELECOM_WORDS: tuple[str, ...] = tuple(
    dict.fromkeys((*OPERATORS, *PROVINCES, *NETWORK_TERMS, *AUTHORITIES, *SLANG))
)
"""Extra jieba words: operators, provinces, network generations and products, authorities and
slang (so each stays one token)."""

SLANG_ANGER: dict[str, float] = {
    **dict.fromkeys(
        _words(
            "服了 真服了 醉了 呵呵 坑爹 垃圾 不如狗 智障 睁眼说瞎话 割韭菜 好欺负 吃相太难看 "
            "被坑 欺负人 憋屈 气人 无语 无力吐槽 心寒 寒心 扯淡 忍不了 受不了 "
            "还想怎样 别以为 看透了 什么态度 吸血鬼 一拖再拖"
        ),
        1.0,
    ),
    **dict.fromkeys(
        _words(
            "吐槽 心累 一言难尽 奇葩 答非所问 摆设 差评 一星 闹心 糟心 鸡肋 蛋疼 套路 智商税 "
            "跑断腿 逗我 离谱 拉黑 卸载 投诉无门 石沉大海 没人管 没人理 不了了之 踢皮球 推来推去 "
            "拖着 莫名 答复都没有 没人联系 没一个管用 没结果 还是没人"
        ),
        0.5,
    ),
}
"""Internet slang and complaint idioms of anger with weights (overlays the curated list)."""

RIGHTS_WORDS: tuple[str, ...] = _words(
    "维权 曝光 消协 消费者协会 消保委 12315 12300 找媒体 律师 律师函 起诉 权益 消费者权益 "
    "讨说法 要说法 讨个说法 要个说法 投诉无门 黑猫投诉 消费保 举报 欺诈 霸王条款 法律责任 "
    "赔偿 索赔 315 三一五 拉横幅 求扩散 求转发 求关注"
)
"""Consumer-rights vocabulary (维权, 曝光, 消协, 12315, 找媒体, 律师, ...)."""
