import itertools

import pytest

from bot.aftersales.tickets import (
    ACTIONS,
    ACTIVE_CLAIM_EXCLUDED,
    COMPLAINT_STATUSES,
    KINDS,
    STATUSES,
    TIMEOUT_ACTIONS,
    TRANSITIONS,
    is_terminal,
    next_status,
)
from bot.errors import IllegalTicketTransition

GOODS = ("return_refund", "exchange", "repair")

# Every legal move, written out by hand so the table is checked against an independent list.
LEGAL: list[tuple[str, str, str, str]] = [
    ("refund_only", "requested", "approve", "approved"),
    ("refund_only", "requested", "reject", "rejected"),
    ("refund_only", "requested", "withdraw", "withdrawn"),
    ("refund_only", "approved", "withdraw", "withdrawn"),
    ("refund_only", "approved", "refund", "refunded"),
    ("refund_only", "refunded", "close", "closed"),
    ("refund_only", "rejected", "close", "closed"),
    *[
        row
        for kind in GOODS
        for row in [
            (kind, "requested", "approve", "awaiting_return"),
            (kind, "requested", "reject", "rejected"),
            (kind, "requested", "withdraw", "withdrawn"),
            (kind, "awaiting_return", "withdraw", "withdrawn"),
            (kind, "awaiting_return", "ship_back", "returned"),
            (kind, "returned", "confirm_receipt", "received"),
            (kind, "rejected", "close", "closed"),
        ]
    ],
    ("return_refund", "received", "refund", "refunded"),
    ("return_refund", "returned", "refund", "refunded"),  # automatic, past the receipt deadline
    ("return_refund", "refunded", "close", "closed"),
    ("exchange", "received", "complete", "exchanged"),
    ("exchange", "exchanged", "close", "closed"),
    ("repair", "received", "complete", "repaired"),
    ("repair", "repaired", "close", "closed"),
    ("complaint", "open", "start", "in_progress"),
    ("complaint", "open", "resolve", "resolved"),
    ("complaint", "in_progress", "resolve", "resolved"),
    ("complaint", "resolved", "reopen", "in_progress"),
    ("complaint", "open", "close", "closed"),
    ("complaint", "in_progress", "close", "closed"),
    ("complaint", "resolved", "close", "closed"),
    *[
        row
        for kind in ("invoice", "order_change", "price_protection", "shipping_urge")
        for row in [
            (kind, "open", "start", "in_progress"),
            (kind, "open", "resolve", "resolved"),
            (kind, "in_progress", "resolve", "resolved"),
            (kind, "open", "reject", "rejected"),
            (kind, "in_progress", "reject", "rejected"),
            (kind, "open", "close", "closed"),
            (kind, "in_progress", "close", "closed"),
            (kind, "resolved", "close", "closed"),
            (kind, "rejected", "close", "closed"),
        ]
    ],
]


@pytest.mark.parametrize(("kind", "status", "action", "target"), LEGAL)
def test_legal_transition_moves_to_its_target(
    kind: str, status: str, action: str, target: str
) -> None:
    assert next_status(kind, status, action) == target


def test_table_holds_exactly_the_legal_moves() -> None:
    from_table = {
        (kind, status, action, target)
        for (kind, action), (sources, target) in TRANSITIONS.items()
        for status in sources
    }
    assert from_table == set(LEGAL)


def test_every_other_move_is_illegal() -> None:
    legal = {(kind, status, action) for kind, status, action, _ in LEGAL}
    for kind, status, action in itertools.product(KINDS, STATUSES + COMPLAINT_STATUSES, ACTIONS):
        if (kind, status, action) in legal:
            continue
        with pytest.raises(IllegalTicketTransition):
            next_status(kind, status, action)


@pytest.mark.parametrize(
    ("kind", "status", "action"),
    [
        ("refund_only", "requested", "refund"),  # the seller must approve first
        ("return_refund", "awaiting_return", "refund"),  # nothing sent back yet
        ("exchange", "received", "refund"),  # an exchange never pays money back
        ("return_refund", "requested", "ship_back"),
        ("repair", "returned", "withdraw"),  # the item is already with the seller
        ("exchange", "approved", "approve"),
        ("refund_only", "closed", "approve"),
        ("return_refund", "withdrawn", "approve"),
        ("complaint", "closed", "reopen"),
        ("complaint", "open", "approve"),
        ("return_refund", "requested", "resolve"),
    ],
)
def test_illegal_transition_raises(kind: str, status: str, action: str) -> None:
    with pytest.raises(IllegalTicketTransition) as raised:
        next_status(kind, status, action)
    assert (raised.value.kind, raised.value.status, raised.value.action) == (kind, status, action)
    assert status in str(raised.value)
    assert action in str(raised.value)


def test_reject_needs_no_note_here_the_service_checks_it() -> None:
    assert next_status("return_refund", "requested", "reject") == "rejected"


@pytest.mark.parametrize(
    ("kind", "status", "action"),
    [
        ("gift_card", "requested", "approve"),
        ("refund_only", "lost", "approve"),
        ("refund_only", "requested", "escalate"),
    ],
)
def test_unknown_names_are_value_errors(kind: str, status: str, action: str) -> None:
    with pytest.raises(ValueError):
        next_status(kind, status, action)


@pytest.mark.parametrize(
    ("kind", "actions", "end"),
    [
        ("refund_only", ["approve", "refund", "close"], "closed"),
        ("return_refund", ["approve", "ship_back", "confirm_receipt", "refund"], "refunded"),
        ("exchange", ["approve", "ship_back", "confirm_receipt", "complete"], "exchanged"),
        ("repair", ["approve", "ship_back", "confirm_receipt", "complete", "close"], "closed"),
        ("complaint", ["start", "resolve", "reopen", "resolve", "close"], "closed"),
    ],
)
def test_whole_journey_per_kind(kind: str, actions: list[str], end: str) -> None:
    status = "open" if kind == "complaint" else "requested"
    for action in actions:
        status = next_status(kind, status, action)
    assert status == end


def test_timeouts_are_the_agreed_ones() -> None:
    table = {key: (t.due_field, t.action) for key, t in TIMEOUT_ACTIONS.items()}
    assert table == {
        ("refund_only", "requested"): ("seller_response_due_at", "approve"),
        ("return_refund", "requested"): ("seller_response_due_at", "approve"),
        ("exchange", "requested"): ("seller_response_due_at", "approve"),
        ("repair", "requested"): ("seller_response_due_at", "approve"),
        ("return_refund", "returned"): ("receipt_due_at", "refund"),
        ("exchange", "returned"): ("receipt_due_at", "confirm_receipt"),
        ("repair", "returned"): ("receipt_due_at", "confirm_receipt"),
    }
    assert TIMEOUT_ACTIONS["return_refund", "requested"].note == "卖家超时未处理，系统自动同意"
    assert all(t.note for t in TIMEOUT_ACTIONS.values())


@pytest.mark.parametrize(("kind", "status"), list(TIMEOUT_ACTIONS))
def test_every_timeout_action_is_legal_from_its_status(kind: str, status: str) -> None:
    next_status(kind, status, TIMEOUT_ACTIONS[kind, status].action)


@pytest.mark.parametrize(
    ("status", "terminal"),
    [
        ("closed", True),
        ("withdrawn", True),
        ("requested", False),
        ("rejected", False),  # still to be closed
        ("refunded", False),
        ("returned", False),
        ("resolved", False),  # a complaint can be reopened
        ("open", False),
    ],
)
def test_terminal_statuses(status: str, terminal: bool) -> None:
    assert is_terminal(status) is terminal


def test_rejected_and_withdrawn_claims_free_the_item() -> None:
    assert frozenset({"rejected", "withdrawn"}) == ACTIVE_CLAIM_EXCLUDED
