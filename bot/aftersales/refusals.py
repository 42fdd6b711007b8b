"""Buyer-facing refusals: a stable code, a short Chinese reason and at least one way forward.

Numbers come from Terms so the wording never disagrees with policy.yml."""

from __future__ import annotations

from collections.abc import Iterable

from bot.aftersales.facts import Refusal, Terms

HUMAN = "转人工客服帮您看看"  # a person is always a valid last alternative

SERVICE_LABELS = {
    "refund_only": "仅退款",
    "return_refund": "退货退款",
    "exchange": "换货",
    "repair": "维修",
}

CATEGORY_LABELS = {
    "custom_made": "定制商品",
    "fresh_food": "生鲜食品",
    "digital": "数字商品",
    "periodical": "报纸期刊",
}


def _refusal(code: str, reason: str, *alternatives: str) -> Refusal:
    return Refusal(code, reason, (*alternatives, HUMAN))


def refuse_delivery(terms: Terms) -> tuple[str, str]:
    return (
        "快递送到时可以拒收，包裹退回后为您退款",
        f"签收后在{terms.no_reason_days}天内申请无理由退货",
    )


def not_paid() -> Refusal:
    return _refusal("not_paid", "订单还没付款，暂时不涉及售后", "不想要了可以直接取消订单")


def cancelled(terms: Terms, was_paid: bool) -> Refusal:
    if was_paid:
        days = f"{terms.processing_working_days_min}-{terms.processing_working_days_max}"
        return _refusal("cancelled", "订单已经取消了", f"已付的款会在{days}个工作日内原路退回")
    return _refusal("cancelled", "订单已经取消了", "还需要的话可以重新下单")


def shipped_cannot_cancel(terms: Terms) -> Refusal:
    return _refusal("in_transit", "订单已经发货，没法直接取消了", *refuse_delivery(terms))


def in_transit(terms: Terms) -> Refusal:
    return _refusal("in_transit", "包裹还在路上，签收后才能申请售后", *refuse_delivery(terms))


def delivered_cannot_cancel(terms: Terms, no_reason_open: bool) -> Refusal:
    ways = ["商品有质量问题可以申请退换货，来回运费由我们承担"]
    if no_reason_open:
        ways.insert(0, f"签收后{terms.no_reason_days}天内可以申请无理由退货（特殊商品除外）")
    return _refusal("delivered", "订单已经签收，不能再取消了", *ways)


def completed_cannot_cancel(terms: Terms) -> Refusal:
    return _refusal(
        "completed",
        "订单已经完成，不能再取消了",
        f"商品有质量问题，订单完成后{terms.after_sales_days}天内可以申请退换货",
    )


def not_shipped() -> Refusal:
    return _refusal(
        "not_shipped",
        "订单还没发货，不用寄回商品，直接退款就可以",
        "申请仅退款，款项原路退回",
        "整单都不要了可以直接取消订单",
    )


def claim_exists(terms: Terms, ticket_id: int) -> Refusal:
    return _refusal(
        "claim_exists",
        f"这件商品已经有售后单（编号{ticket_id}），每件商品只能申请{terms.claims_per_item}次售后",
        f"可以查看售后单{ticket_id}的处理进度",
    )


def category_excluded(terms: Terms, category: str) -> Refusal:
    label = CATEGORY_LABELS.get(category, "特殊商品")
    return _refusal(
        "category_excluded",
        f"这件商品属于{label}，不支持{terms.no_reason_days}天无理由退货",
        "如果有质量问题、发错货或与描述不符，可以申请退换货，运费由我们承担",
    )


def no_reason_window_closed(terms: Terms) -> Refusal:
    return _refusal(
        "no_reason_window_closed",
        f"签收已经超过{terms.no_reason_days}天，过了无理由退货的期限",
        "如果商品有质量问题，可以按质量问题申请退换或维修",
    )


def after_sales_window_closed(terms: Terms, repair_open: bool) -> Refusal:
    ways = ["商品还在保修期内，可以申请维修"] if repair_open else []
    return _refusal(
        "after_sales_window_closed",
        f"订单完成已经超过{terms.after_sales_days}天，过了退换货的期限",
        *ways,
    )


def warranty_expired(terms: Terms) -> Refusal:
    return _refusal(
        "warranty_expired",
        f"商品已经超过{terms.warranty_days}天的保修期",
        "可以联系品牌官方售后付费维修",
    )


def not_applicable(service_type: str, reason: str, allowed: Iterable[str]) -> Refusal:
    """The service does not fit the reason; points the buyer to the services that do."""
    if reason == "not_received":
        text = "没收到货不用寄回，直接申请退款就可以"
    elif service_type == "refund_only":
        text = "收到的商品需要寄回后才能退款"
    else:
        text = "维修只适用于商品有质量问题或损坏的情况"
    ways = [f"改为申请{SERVICE_LABELS[s]}" for s in allowed]
    return _refusal("not_applicable", text, *ways)
