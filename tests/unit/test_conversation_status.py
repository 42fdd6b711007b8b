import pytest

from bot.conversation import ALLOWED, bot_answers, check_transition
from bot.enums import ConversationStatus as S
from bot.errors import IllegalTransition


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.BOT, S.WAITING_AGENT),
        (S.WAITING_AGENT, S.WITH_AGENT),
        (S.WITH_AGENT, S.RESOLVED),
        (S.WITH_AGENT, S.BOT),
        (S.RESOLVED, S.BOT),
    ],
)
def test_handoff_path_is_allowed(current: S, target: S) -> None:
    assert check_transition(current, target) == target


@pytest.mark.parametrize(("current", "target"), [(S.BOT, S.WITH_AGENT), (S.RESOLVED, S.WITH_AGENT)])
def test_agent_cannot_take_a_conversation_that_was_not_queued(current: S, target: S) -> None:
    with pytest.raises(IllegalTransition):
        check_transition(current, target)


def test_every_status_has_a_row_in_the_table() -> None:
    assert set(ALLOWED) == set(S)


def test_unknown_status_is_rejected() -> None:
    with pytest.raises(ValueError):
        check_transition("bot", "sleeping")


def test_only_bot_and_resolved_conversations_go_to_rasa() -> None:
    assert [s for s in S if bot_answers(s)] == [S.BOT, S.RESOLVED]
