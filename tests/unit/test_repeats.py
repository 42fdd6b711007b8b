"""The bot never sends the same words twice in a row."""

from bot.rasa_client import BotReply
from bot.repeats import HUMAN_BUTTON, SAID_ALREADY, avoid_repeats


def test_a_reply_identical_to_the_previous_one_is_rephrased_with_a_person_offered() -> None:
    question = BotReply("想退哪个订单呢？", {"buttons": [{"title": "A", "payload": "/inform"}]})
    [reply] = avoid_repeats("想退哪个订单呢？", [question])
    assert reply.text != question.text
    assert reply.payload["buttons"][0]["title"] == "A"  # the choices stay
    assert HUMAN_BUTTON in reply.payload["buttons"]


def test_whitespace_does_not_hide_a_repeat() -> None:
    [reply] = avoid_repeats("好的 收到", [BotReply("好的  收到\n")])
    assert reply.text in SAID_ALREADY


def test_the_note_itself_is_never_sent_twice_in_a_row() -> None:
    [first] = avoid_repeats("一样的话", [BotReply("一样的话")])
    [second] = avoid_repeats(first.text, [BotReply(first.text)])
    assert second.text != first.text


def test_repeats_inside_one_turn_are_caught_too() -> None:
    replies = avoid_repeats(None, [BotReply("同一句"), BotReply("同一句")])
    assert replies[0].text == "同一句" and replies[1].text != "同一句"


def test_different_replies_and_cards_pass_unchanged() -> None:
    card = BotReply("", {"custom": {"type": "order_card"}})
    replies = [BotReply("第一句"), card, BotReply("第二句")]
    assert avoid_repeats("第一句了", replies) == replies
