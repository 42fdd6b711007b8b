"""The mean of several classifiers' intent rankings (bot/intent_votes.py)."""

from __future__ import annotations

import pytest

from bot.intent_votes import add_vote


def ranking(**confidences: float) -> list[dict[str, object]]:
    return [{"name": name, "confidence": value} for name, value in confidences.items()]


def test_two_disagreeing_members_give_the_mean_best_first() -> None:
    mean = add_vote(ranking(faq=0.6, order_status=0.4), 1, ranking(order_status=0.9, faq=0.1))
    assert [entry["name"] for entry in mean] == ["order_status", "faq"]
    assert mean[0]["confidence"] == pytest.approx(0.65)
    assert mean[1]["confidence"] == pytest.approx(0.35)


def test_a_ranking_already_averaging_two_weighs_twice_as_much() -> None:
    mean = add_vote(ranking(faq=0.9, inform=0.1), 2, ranking(inform=0.9, faq=0.1))
    assert mean[0] == {"name": "faq", "confidence": pytest.approx((0.9 * 2 + 0.1) / 3)}


def test_an_intent_one_member_left_out_counts_as_zero_there() -> None:
    mean = add_vote(ranking(greet=1.0), 1, ranking(thank=0.8, greet=0.2))
    assert mean == [
        {"name": "greet", "confidence": pytest.approx(0.6)},
        {"name": "thank", "confidence": pytest.approx(0.4)},
    ]
