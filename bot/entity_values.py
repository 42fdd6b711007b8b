"""The canonical value of an entity the NLU tagged, or None when the span cannot be one.

DIET tags by context, so now and then it marks 48 in 说好48小时发货 as an order number or
12315 as a phone. An order number has 16 to 20 digits and a phone 11, so such spans are
dropped rather than handed to actions. This module also runs inside Rasa's Python 3.10
environment (addons/entity_values.py): standard library and bot.text only.
"""

from __future__ import annotations

import re

from bot.service_words import service_type_of
from bot.text import normalize

ORDER_ID_PATTERN = r"^\d{16,20}$"
PHONE_PATTERN = r"^1[3-9]\d{9}$"
PHONE_TAIL_PATTERN = r"^\d{4}$"

_DIGIT_PATTERNS = {
    "order_id": re.compile(ORDER_ID_PATTERN),
    "phone": re.compile(PHONE_PATTERN),
    "phone_tail": re.compile(PHONE_TAIL_PATTERN),
}


def canonical_entity_value(entity: str, value: str) -> str | None:
    """The value actions should see; entities we do not police pass through unchanged."""
    if entity == "service_type":
        return service_type_of(value)
    pattern = _DIGIT_PATTERNS.get(entity)
    if pattern is None:
        return value
    digits = normalize(value).strip()
    return digits if pattern.match(digits) else None
