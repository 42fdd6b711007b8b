"""Whether an order allows an order-service request, and why not. Pure; numbers from policy.yml."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.aftersales.facts import OrderFacts
from bot.knowledge import Policy

INVOICE = "invoice"
ORDER_CHANGE = "order_change"
PRICE_PROTECTION = "price_protection"
SHIPPING_URGE = "shipping_urge"
KINDS = (INVOICE, ORDER_CHANGE, PRICE_PROTECTION, SHIPPING_URGE)

NOT_SHIPPED = frozenset({"pending_payment", "paid"})
ON_THE_WAY = "shipped"
RECEIVED = frozenset({"delivered", "completed"})


@dataclass(frozen=True)
class ServiceTerms:
    reply_hours: int  # the shop answers a request within this
    price_protection_days: int  # after payment
    invoice_issue_working_days: int
    vat_special_issue_working_days: int
    reissue_working_days: int
    ships_within_hours: int


def terms_of(policy: Policy) -> ServiceTerms:
    return ServiceTerms(
        reply_hours=policy.number("order_service.reply_hours"),
        price_protection_days=policy.number("price_protection.days_after_payment"),
        invoice_issue_working_days=policy.number("invoice.issue_working_days"),
        vat_special_issue_working_days=policy.number("invoice.vat_special_issue_working_days"),
        reissue_working_days=policy.number("invoice.reissue_working_days"),
        ships_within_hours=policy.number("shipping.ships_within_hours"),
    )


@dataclass(frozen=True)
class ServiceDecision:
    allowed: bool
    reason: str = ""  # why not, said to the buyer
    alternatives: str = ""  # what the buyer can do instead
    # Urging an order that is already on its way: its tracking answers, no request is opened.
    show_tracking: bool = False


def decide(kind: str, order: OrderFacts, now: datetime, terms: ServiceTerms) -> ServiceDecision:
    if kind not in KINDS:
        raise ValueError(f"unknown order service {kind!r}")
    if order.status == "cancelled":
        return ServiceDecision(
            False, "这个订单已经取消了", "如果是想重新下单或者有别的疑问，可以点“转人工”问问客服。"
        )
    return _DECIDERS[kind](order, now, terms)


def _invoice(order: OrderFacts, now: datetime, terms: ServiceTerms) -> ServiceDecision:
    if order.status == "pending_payment":
        return ServiceDecision(
            False, "这个订单还没付款，付款后才能开发票", "付款后再来找我，我帮您提开票申请。"
        )
    return ServiceDecision(True)


def _order_change(order: OrderFacts, now: datetime, terms: ServiceTerms) -> ServiceDecision:
    if order.status in NOT_SHIPPED:
        return ServiceDecision(True)
    if order.status == ON_THE_WAY:
        return ServiceDecision(
            False,
            "这个订单已经发货了，店铺这边改不了地址、时间或商品了",
            "可以直接联系快递改派或约时间；要换颜色尺码的话，签收后可以申请换货；"
            "也可以点“转人工”让客服帮您想办法。",
        )
    return ServiceDecision(
        False,
        "这个订单已经签收了，改不了了",
        "如果是尺码颜色不合适，可以申请换货或退货；需要的话点“转人工”。",
    )


def _price_protection(order: OrderFacts, now: datetime, terms: ServiceTerms) -> ServiceDecision:
    if order.paid_at is None:
        return ServiceDecision(
            False,
            "这个订单还没付款，不存在差价",
            "直接按现在的价格付款就好；有疑问可以点“转人工”。",
        )
    if now - order.paid_at > timedelta(days=terms.price_protection_days):
        return ServiceDecision(
            False,
            f"这个订单付款已经超过{terms.price_protection_days}天，不在价保期内了",
            "如果您觉得情况特殊，可以点“转人工”请客服看看。",
        )
    return ServiceDecision(True)


def _shipping_urge(order: OrderFacts, now: datetime, terms: ServiceTerms) -> ServiceDecision:
    if order.status == "pending_payment":
        return ServiceDecision(
            False, "这个订单还没付款，付款后才会安排发货", "付款后一般很快就能发出。"
        )
    if order.status == ON_THE_WAY:
        return ServiceDecision(True, show_tracking=True)
    if order.status in RECEIVED:
        return ServiceDecision(
            False,
            "物流显示这个订单已经签收了",
            "如果您其实没收到包裹，点“转人工”，客服会帮您找快递核实。",
        )
    return ServiceDecision(True)


_DECIDERS = {
    INVOICE: _invoice,
    ORDER_CHANGE: _order_change,
    PRICE_PROTECTION: _price_protection,
    SHIPPING_URGE: _shipping_urge,
}
