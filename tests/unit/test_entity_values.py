from __future__ import annotations

import pytest

from bot.entity_values import canonical_entity_value

# The same order number typed with full-width digits, as some phone keyboards do.
FULL_WIDTH_ORDER = "2026110100000000033".translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"})


@pytest.mark.parametrize(
    ("entity", "value", "expected"),
    [
        ("order_id", "2026110100000000033", "2026110100000000033"),
        ("order_id", FULL_WIDTH_ORDER, "2026110100000000033"),
        ("order_id", "48", None),
        ("order_id", "123456789012345678901", None),
        ("phone", "13800001234", "13800001234"),
        ("phone", "12315", None),
        ("phone", "12800001234", None),
        ("phone_tail", "1234", "1234"),
        ("phone_tail", "4", None),
        ("service_type", "换一双", "exchange"),
        ("service_type", "一双", None),
        ("courier", "顺丰", "顺丰"),
    ],
)
def test_canonical_entity_values(entity: str, value: str, expected: str | None) -> None:
    assert canonical_entity_value(entity, value) == expected
