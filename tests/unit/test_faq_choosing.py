"""When the bot answers a FAQ topic at once, when it offers a choice, and when it has nothing."""

from __future__ import annotations

import pytest

from bot.faq.choosing import ANSWER_CONFIDENCE, MIN_SEARCH_SCORE, Ranked, choose
from bot.faq.search import FaqSearch, shop_tokenizer
from bot.knowledge import load_faq
from bot.settings import PROJECT_ROOT

TOPICS = {"refund_time", "refund_method", "invoice", "payment_methods"}


def test_a_sure_selector_answers_its_topic() -> None:
    choice = choose([Ranked("refund_time", ANSWER_CONFIDENCE)], [], TOPICS)
    assert choice.answer == "refund_time" and not choice.offers


def test_beside_an_answer_the_runners_up_are_offered() -> None:
    selector = [Ranked("refund_time", 0.8), Ranked("refund_method", 0.1), Ranked("invoice", 0.01)]
    matches = [Ranked("refund_time", 12.0), Ranked("payment_methods", MIN_SEARCH_SCORE)]
    choice = choose(selector, matches, TOPICS)
    assert choice.answer == "refund_time"
    assert choice.offers == ("refund_method", "payment_methods")
    assert choice.shown == ("refund_time", "refund_method", "payment_methods")


def test_an_unsure_selector_offers_its_picks_and_the_searchs_in_turn() -> None:
    selector = [Ranked("refund_time", 0.4), Ranked("refund_method", 0.3), Ranked("invoice", 0.2)]
    matches = [Ranked("payment_methods", MIN_SEARCH_SCORE + 1), Ranked("refund_time", 9.0)]
    choice = choose(selector, matches, TOPICS)
    assert choice.answer is None
    assert choice.offers == ("refund_time", "payment_methods", "refund_method")


def test_weak_candidates_are_not_offered_and_unknown_topics_never() -> None:
    selector = [Ranked("retired_topic", 0.9), Ranked("invoice", 0.01)]
    matches = [Ranked("refund_time", MIN_SEARCH_SCORE - 0.1)]
    choice = choose(selector, matches, TOPICS)
    assert choice.found_nothing


def test_a_picked_button_answers_that_topic_whatever_the_selector_says() -> None:
    choice = choose([Ranked("invoice", 0.99)], [], TOPICS, picked="refund_method")
    assert choice.answer == "refund_method"
    assert choose([], [], TOPICS, picked="no_such_topic").found_nothing


@pytest.fixture(scope="module")
def search() -> FaqSearch:
    knowledge = PROJECT_ROOT / "knowledge"
    return FaqSearch(load_faq(knowledge), shop_tokenizer(knowledge))


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("退款一般几天能到账啊？？", "refund_time"),
        ("你们发什么快递", "courier_companies"),
        ("能不能用支付宝付款", "payment_methods"),
    ],
)
def test_the_search_finds_the_topic_of_a_plain_question(
    search: FaqSearch, question: str, topic: str
) -> None:
    found = search.search(question)
    assert found and found[0].topic == topic and found[0].score >= MIN_SEARCH_SCORE


def test_the_search_ignores_order_numbers_and_punctuation(search: FaqSearch) -> None:
    assert search.search("4302918876512034？？。。") == []
    assert search.tokens("订单4302918876512034退款多久到") == search.tokens("订单 退款多久到")


def test_a_question_from_another_domain_finds_nothing_strong(search: FaqSearch) -> None:
    found = search.search("明天北京下雨吗")
    assert all(match.score < MIN_SEARCH_SCORE for match in found)
