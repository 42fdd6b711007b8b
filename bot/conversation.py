"""The conversation status machine: allowed transitions as a table, checked in one place."""

from __future__ import annotations

from bot.enums import ConversationStatus as S
from bot.errors import IllegalTransition

ALLOWED: dict[S, frozenset[S]] = {
    S.BOT: frozenset({S.WAITING_AGENT, S.RESOLVED}),
    S.WAITING_AGENT: frozenset({S.WITH_AGENT, S.BOT, S.RESOLVED}),
    S.WITH_AGENT: frozenset({S.RESOLVED, S.BOT, S.WAITING_AGENT}),
    S.RESOLVED: frozenset({S.BOT, S.WAITING_AGENT}),
}


def check_transition(current: S | str, target: S | str) -> S:
    """Returns the target status, or raises IllegalTransition."""
    current, target = S(current), S(target)
    if target not in ALLOWED[current]:
        raise IllegalTransition(current, target)
    return target


def bot_answers(status: S | str) -> bool:
    """Whether buyer messages go to Rasa (otherwise they wait for a person)."""
    return S(status) in (S.BOT, S.RESOLVED)
