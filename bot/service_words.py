"""Which after-sales service a buyer's own words name.

The NLU tags spans such as 换个, 返厂维修 or 只退款不退货 as `service_type`; a span it never saw
in training comes back with the raw words as its value. Actions need one of the four service
types (DESIGN.md), so the raw words are mapped here, and a span that names no service (一双,
bare 退款, which does not say whether goods go back) is dropped. See docs/nlu-labelling.md.
"""

from __future__ import annotations

from bot.text import normalize

# The values of bot.enums.ServiceType, spelt out: this module also runs inside Rasa's Python
# 3.10 environment (addons/service_type.py), where bot.enums (StrEnum, 3.11) cannot be imported.
# tests/unit/test_service_words.py keeps the two in step.
REFUND_ONLY = "refund_only"
RETURN_REFUND = "return_refund"
EXCHANGE = "exchange"
REPAIR = "repair"
SERVICE_TYPES = frozenset({REFUND_ONLY, RETURN_REFUND, EXCHANGE, REPAIR})

# Refund words that leave open whether the goods go back: not a service type on their own.
_UNSPECIFIED_REFUND = frozenset({"退款", "退钱", "tk", "推款", "退款申请"})
_REFUND_ONLY_WORDS = ("仅退款", "只退款", "只退钱", "不退货", "只要退款")
_REPAIR_WORDS = ("修", "返厂")
_EXCHANGE_WORDS = ("换", "hh")
_RETURN_WORDS = ("退", "th")


def service_type_of(words: str) -> str | None:
    """The service these words ask for, or None when they name none."""
    text = normalize(words).strip()
    if not text:
        return None
    if text in SERVICE_TYPES:
        return text
    if text in _UNSPECIFIED_REFUND:
        return None
    # Order matters: 只退款不退货 contains 退, 换新维修 would be a repair of the new one.
    for keywords, service in (
        (_REFUND_ONLY_WORDS, REFUND_ONLY),
        (_REPAIR_WORDS, REPAIR),
        (_EXCHANGE_WORDS, EXCHANGE),
        (_RETURN_WORDS, RETURN_REFUND),
    ):
        if any(keyword in text for keyword in keywords):
            return service
    return None
