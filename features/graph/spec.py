"""Registry entries of every column the graph family outputs."""

from __future__ import annotations

from functools import partial

from features.registry import FeatureSpec

_spec = partial(FeatureSpec, family="graph")

FEATURES: list[FeatureSpec] = [
    _spec(
        "g_degree",
        description_en="Distinct customers called, texted or sharing a family plan in the last "
        "complete months (default 3)",
        description_zh="近几个完整月（默认3个月）通话、短信或同一家庭套餐的不同联系人数",
        dtype="int",
        reason_en="in touch with {value:.0f} other customers in recent months",
        reason_zh="近几个月与{value:.0f}位客户有往来",
    ),
    _spec(
        "g_weighted_degree",
        description_en="Total tie strength: calls and SMS with other customers, each "
        "family-plan month counted as a strong tie",
        description_zh="联系强度总和：与其他客户的通话和短信次数，家庭套餐按强关系加权计入",
        reason_en="intense contact with other customers (tie strength {value:.0f})",
        reason_zh="与其他客户往来频繁（联系强度{value:.0f}）",
    ),
    _spec(
        "g_pagerank",
        description_en="Influence in the contact network: weighted PageRank, scaled so the "
        "average customer has 1",
        description_zh="社交影响力：联系网络上的加权PageRank，全体客户均值为1",
        reason_en="influence in the contact network is {value:.1f}x the average customer's",
        reason_zh="社交影响力为普通客户的{value:.1f}倍",
    ),
    _spec(
        "g_core_number",
        description_en="k-core number: the largest k such that the customer belongs to a group "
        "in which everyone has at least k contacts inside the group",
        description_zh="k核数：客户所在紧密圈子中每人至少有k位圈内联系人的最大k值",
        dtype="int",
        reason_en="sits in a tightly knit circle (k-core {value:.0f})",
        reason_zh="身处紧密的社交圈（{value:.0f}核）",
    ),
    _spec(
        "g_clustering",
        description_en="Local clustering coefficient: share of pairs of the customer's contacts "
        "who are in touch with each other",
        description_zh="局部聚类系数：客户的联系人之间彼此也有往来的比例",
        reason_en="{value:.0%} of the customer's contacts know each other",
        reason_zh="其联系人中{value:.0%}彼此相识",
    ),
    _spec(
        "g_community_size",
        description_en="Customers in the same contact community (1 for a customer without "
        "contacts)",
        description_zh="所在社群的客户数（无联系人的客户为1）",
        dtype="int",
        reason_en="belongs to a contact community of {value:.0f} customers",
        reason_zh="所在社群共{value:.0f}位客户",
    ),
    _spec(
        "g_community_complaint_rate",
        description_en="Share of the other members of the customer's community who complained "
        "in the last 30 days",
        description_zh="所在社群其他成员中近30天投诉过的比例",
        reason_en="{value:.0%} of the customer's community complained in the last 30 days",
        reason_zh="所在社群{value:.0%}的成员近30天投诉过",
    ),
    _spec(
        "g_neighbor_complaint_share",
        description_en="Share of the customer's contacts who complained in the last 30 days",
        description_zh="近30天投诉过的联系人占比",
        reason_en="{value:.0%} of contacts complained in the last 30 days",
        reason_zh="近30天{value:.0%}的联系人曾投诉",
    ),
    _spec(
        "g_neighbor_complaint_share_weighted",
        description_en="Share of the customer's tie strength that goes to contacts who "
        "complained in the last 30 days",
        description_zh="联系强度中流向近30天投诉过的联系人的占比",
        reason_en="{value:.0%} of calls and messages are with contacts who complained in the "
        "last 30 days",
        reason_zh="{value:.0%}的通话短信往来对象近30天曾投诉",
    ),
    _spec(
        "g_neighbor_escalation_share",
        description_en="Share of the customer's contacts who escalated a complaint in the last "
        "30 days",
        description_zh="近30天升级投诉的联系人占比",
        reason_en="{value:.0%} of contacts escalated a complaint in the last 30 days",
        reason_zh="近30天{value:.0%}的联系人曾升级投诉",
    ),
    _spec(
        "g_neighbor_escalation_share_weighted",
        description_en="Share of the customer's tie strength that goes to contacts who "
        "escalated a complaint in the last 30 days",
        description_zh="联系强度中流向近30天升级投诉的联系人的占比",
        reason_en="{value:.0%} of calls and messages are with contacts who escalated a "
        "complaint in the last 30 days",
        reason_zh="{value:.0%}的通话短信往来对象近30天曾升级投诉",
    ),
    _spec(
        "g_family_plan_members",
        description_en="Other customers on the same family plan in recent months",
        description_zh="近几个月同一家庭套餐的其他成员数",
        dtype="int",
        reason_en="shares a family plan with {value:.0f} other customers",
        reason_zh="家庭套餐内另有{value:.0f}位成员",
    ),
    _spec(
        "g_follow_in_degree",
        description_en="Customers of the operator who follow this customer on social media",
        description_zh="在社交媒体上关注该客户的本网客户数",
        dtype="int",
        reason_en="followed by {value:.0f} other customers on social media",
        reason_zh="有{value:.0f}位本网客户关注其社交账号",
    ),
]
