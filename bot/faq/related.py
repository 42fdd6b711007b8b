"""The policy question behind a request: one tap away while the request's flow goes on.

能送到家门口吗 or 预售的什么时候发 may reach the NLU as order status; 东西都发出来了，订单还能
撤回吗 as a cancellation. The flow then asks which order, which is right for a buyer who wants it
done and wrong for one who only asked the rule. So when such a message asks something and the
response selector (which scores every message) is sure of a topic that can lie behind that
request, the flow's first reply carries that topic as a button. A request that names its order
(帮我取消 2026…) or asks nothing gets none.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.faq.choosing import ANSWER_CONFIDENCE, Ranked
from bot.faq.questions import asks_something

# Intents whose flow acts on the buyer's own order, and the policy topics that can lie behind
# each. A sure topic outside its intent's list is left out: 那个耳机的单子到哪了 must not come
# with 选购建议 beside its order status. (On the spent held-out sets the lists cost 3 of 35 right
# buttons and removed 5 of 142 buttons beside real requests.)
TOPICS_BEHIND: dict[str, frozenset[str]] = {
    "order_status": frozenset(
        {
            "shipping_time",
            "order_tracking",
            "courier_companies",
            "delivery_service",
            "split_shipment",
            "presale_stock",
            "overseas_shipping",
            "change_address",
            "shipping_damaged_parcel",
            "urge_shipping",
            "after_sales_window",
        }
    ),
    "cancel_order": frozenset(
        {"cancel_policy", "change_address", "refund_time", "refund_method", "refund_amount"}
        | {"presale_stock"}
    ),
    "change_order": frozenset(
        {"change_address", "cancel_policy", "delivery_service", "exchange_policy"}
    ),
    "urge_shipment": frozenset(
        {"urge_shipping", "shipping_time", "presale_stock", "split_shipment"}
    ),
    "request_refund": frozenset(
        {
            "return_policy",
            "return_exclusions",
            "return_howto",
            "return_shipping_fee",
            "return_pickup",
            "refund_time",
            "refund_method",
            "refund_amount",
            "exchange_policy",
            "warranty_repair",
            "after_sales_window",
            "quality_issue",
            "price_protection",
        }
    ),
    "report_defect": frozenset(
        {
            "quality_issue",
            "warranty_repair",
            "shipping_damaged_parcel",
            "return_policy",
            "return_shipping_fee",
            "after_sales_window",
            "exchange_policy",
            "installation",
            "product_advice",
            "split_shipment",
        }
    ),
    "request_invoice": frozenset({"invoice", "invoice_vat_special", "invoice_fix"}),
    "request_price_protection": frozenset({"price_protection", "coupon", "refund_amount"}),
}


def related_topic(
    intent: str, text: str, selector: Sequence[Ranked], names_an_order: bool
) -> str | None:
    """The FAQ topic to offer beside the request's flow, or None.

    The selector must be as sure as it must be to answer a FAQ question outright
    (ANSWER_CONFIDENCE), and the topic one that can lie behind the intent: on the spent held-out
    sets that keeps 32 of 54 policy questions the NLU sent to a request flow, with a button
    beside 11% of real requests (at 0.3 instead of 0.5, 18%).
    """
    behind = TOPICS_BEHIND.get(intent)
    if behind is None or names_an_order or not asks_something(text):
        return None
    if selector and selector[0].score >= ANSWER_CONFIDENCE and selector[0].topic in behind:
        return selector[0].topic
    return None
