"""The order a flow is about, read for one action call: one session, plain results."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from rasa_sdk import Tracker

from actions.context import policy, sessions
from bot.aftersales import ItemDecision, ItemFacts, Refusal, Terms
from bot.aftersales.labels import PAYMENT_LABELS
from bot.errors import OrderNotFound
from bot.services import aftersales
from bot.services.aftersales import Case, NeedsVerification
from bot.store.session import session_scope


@dataclass(frozen=True)
class CaseState:
    """What the form needs to know about the order in discussion, or why it cannot see it."""

    case: Case | None
    needs_verification: bool = False
    missing: bool = False

    @property
    def items(self) -> tuple[ItemFacts, ...]:
        return self.case.facts.items if self.case else ()


def terms() -> Terms:
    return aftersales.terms_of(policy())


# The cases read during one form validation, by (conversation, order). A validation asks for the
# order many times (required_slots runs three times, each extract and validate reads it); the
# order and its claims do not change meanwhile. Only found cases are kept: a visitor who proves
# the order in the same run must be read again.
_cases_this_run: ContextVar[dict[tuple[str, str], Case] | None] = ContextVar(
    "cases_this_run", default=None
)


@contextmanager
def one_read_per_order() -> Iterator[None]:
    token = _cases_this_run.set({})
    try:
        yield
    finally:
        _cases_this_run.reset(token)


def read_case(tracker: Tracker, order_id: str | None = None) -> CaseState:
    order_id = order_id or tracker.get_slot("order_id")
    if not order_id:
        return CaseState(None)
    key = (str(tracker.sender_id), str(order_id))
    kept = _cases_this_run.get()
    if kept is not None and key in kept:
        return CaseState(kept[key])
    with session_scope(sessions()) as session:
        try:
            case = aftersales.load_case(session, tracker.sender_id, str(order_id))
        except NeedsVerification:
            return CaseState(None, needs_verification=True)
        except OrderNotFound:
            return CaseState(None, missing=True)
    if kept is not None:
        kept[key] = case
    return CaseState(case)


def claimable(case: Case) -> tuple[ItemFacts, ...]:
    return aftersales.claimable(case, terms())


def nothing_claimable(case: Case) -> Refusal:
    return aftersales.why_nothing_is_claimable(case, terms())


def decision(case: Case, item_id: int, reason: str) -> ItemDecision:
    return aftersales.decide(case, item_id, reason, terms())


def find_item(case: Case, item_id: int | None) -> ItemFacts | None:
    return next((item for item in case.facts.items if item.item_id == item_id), None)


def payment_label(case: Case) -> str:
    return PAYMENT_LABELS.get(case.order.payment_method or "", "原支付账户")


def refusal_text(refusal: Refusal) -> dict[str, str]:
    """The values of utter_aftersales_refused: the reason and every way that remains."""
    ways = "；".join(refusal.alternatives)
    return {"reason": refusal.reason, "alternatives": f"您可以：{ways}。"}
