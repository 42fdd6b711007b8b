from __future__ import annotations

import pytest

from bot.enums import ServiceType
from bot.service_words import SERVICE_TYPES, service_type_of


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("退货", ServiceType.RETURN_REFUND),
        ("退貨", ServiceType.RETURN_REFUND),
        ("退掉", ServiceType.RETURN_REFUND),
        ("th", ServiceType.RETURN_REFUND),
        ("仅退款", ServiceType.REFUND_ONLY),
        ("只退款不退货", ServiceType.REFUND_ONLY),
        ("换个尺码", ServiceType.EXCHANGE),
        ("換一雙", ServiceType.EXCHANGE),
        ("返厂维修", ServiceType.REPAIR),
        ("上门维修", ServiceType.REPAIR),
        ("保修", ServiceType.REPAIR),
        ("exchange", ServiceType.EXCHANGE),
    ],
)
def test_service_words_map_to_one_of_the_four_service_types(
    words: str, expected: ServiceType
) -> None:
    assert service_type_of(words) == expected


@pytest.mark.parametrize("words", ["退款", "退钱", "tk", "一双", "只", "", "  "])
def test_words_that_name_no_service_give_none(words: str) -> None:
    assert service_type_of(words) is None


def test_the_service_words_module_names_exactly_the_service_types_of_the_store() -> None:
    assert {service.value for service in ServiceType} == SERVICE_TYPES
