"""The policy question behind a request is offered beside the request's flow, only when asked."""

from __future__ import annotations

import pytest

from bot.faq.choosing import ANSWER_CONFIDENCE, Ranked
from bot.faq.related import related_topic

SURE = [Ranked("delivery_service", 0.92), Ranked("order_tracking", 0.03)]


@pytest.mark.parametrize(
    "text", ["能送到家门口吗", "快递能送货上门不？", "晚上能派送么", "送不送上楼啊"]
)
def test_a_question_sent_to_order_status_gets_the_sure_topic(text: str) -> None:
    assert related_topic("order_status", text, SURE, names_an_order=False) == "delivery_service"


def test_a_request_that_asks_nothing_gets_no_topic() -> None:
    assert related_topic("cancel_order", "帮我取消订单", SURE, names_an_order=False) is None


def test_a_question_about_a_named_order_is_about_that_order() -> None:
    text = "2026110100000000022 能送到家门口吗"
    assert related_topic("order_status", text, SURE, names_an_order=True) is None


def test_an_unsure_selector_offers_nothing() -> None:
    unsure = [Ranked("delivery_service", ANSWER_CONFIDENCE - 0.01)]
    assert related_topic("order_status", "能送到家门口吗", unsure, names_an_order=False) is None
    assert related_topic("order_status", "能送到家门口吗", [], names_an_order=False) is None


@pytest.mark.parametrize("intent", ["faq", "complain", "request_human", "greet", "inform"])
def test_only_request_flows_carry_the_button(intent: str) -> None:
    assert related_topic(intent, "能送到家门口吗", SURE, names_an_order=False) is None


def test_a_sure_topic_unrelated_to_the_request_is_not_offered() -> None:
    advice = [Ranked("product_advice", 0.8)]
    text = "好的 那我那个耳机的单子到哪了"
    assert related_topic("order_status", text, advice, names_an_order=False) is None
    assert related_topic("report_defect", "这个尺码偏大吗", advice, names_an_order=False) == (
        "product_advice"
    )
