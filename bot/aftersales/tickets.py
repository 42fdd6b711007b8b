"""The ticket state machine: a table of (kind, action) -> (from statuses, to status), checked in
one place. Pure; the service stamps times, writes events and checks notes and fields."""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import IllegalTicketTransition

AFTER_SALES_KINDS = ("refund_only", "return_refund", "exchange", "repair")
# Requests the shop carries out by hand (bot/orderservice): done, or declined with a reason.
SERVICE_KINDS = ("invoice", "order_change", "price_protection", "shipping_urge")
KINDS = (*AFTER_SALES_KINDS, "complaint", *SERVICE_KINDS)
STATUSES = (
    "requested",
    "approved",
    "rejected",
    "awaiting_return",
    "returned",
    "received",
    "refunded",
    "exchanged",
    "repaired",
    "closed",
    "withdrawn",
)
COMPLAINT_STATUSES = ("open", "in_progress", "resolved", "closed")
SERVICE_STATUSES = ("open", "in_progress", "resolved", "rejected", "closed")
ACTIONS = (
    "approve",
    "reject",
    "withdraw",
    "ship_back",
    "confirm_receipt",
    "refund",
    "complete",
    "close",
    "start",
    "resolve",
    "reopen",
)

# Claims in these statuses no longer count against the one-claim-per-item rule.
ACTIVE_CLAIM_EXCLUDED = frozenset({"rejected", "withdrawn"})

Rule = tuple[frozenset[str], str]


def _rule(sources: str, target: str) -> Rule:
    return frozenset(sources.split()), target


def _goods_kind(done: str, settle_action: str, settle_from: str) -> dict[str, Rule]:
    """Kinds where the buyer sends the item back before the seller settles."""
    return {
        "approve": _rule("requested", "awaiting_return"),
        "reject": _rule("requested", "rejected"),
        "withdraw": _rule("requested awaiting_return", "withdrawn"),
        "ship_back": _rule("awaiting_return", "returned"),
        "confirm_receipt": _rule("returned", "received"),
        settle_action: _rule(settle_from, done),
        "close": _rule(f"{done} rejected", "closed"),
    }


_BY_KIND: dict[str, dict[str, Rule]] = {
    "refund_only": {
        "approve": _rule("requested", "approved"),
        "reject": _rule("requested", "rejected"),
        "withdraw": _rule("requested approved", "withdrawn"),
        "refund": _rule("approved", "refunded"),
        "close": _rule("refunded rejected", "closed"),
    },
    # "returned" too: past the receipt deadline the system refunds without a confirmation
    "return_refund": _goods_kind("refunded", "refund", "returned received"),
    "exchange": _goods_kind("exchanged", "complete", "received"),
    "repair": _goods_kind("repaired", "complete", "received"),
    "complaint": {
        "start": _rule("open", "in_progress"),
        "resolve": _rule("open in_progress", "resolved"),
        "reopen": _rule("resolved", "in_progress"),
        # agents may close duplicates or spam without resolving them
        "close": _rule("open in_progress resolved", "closed"),
    },
}

_SERVICE_RULES: dict[str, Rule] = {
    "start": _rule("open", "in_progress"),
    "resolve": _rule("open in_progress", "resolved"),
    "reject": _rule("open in_progress", "rejected"),
    "close": _rule("open in_progress resolved rejected", "closed"),
}
_BY_KIND.update({kind: _SERVICE_RULES for kind in SERVICE_KINDS})

TRANSITIONS: dict[tuple[str, str], Rule] = {
    (kind, action): rule for kind, rules in _BY_KIND.items() for action, rule in rules.items()
}


@dataclass(frozen=True)
class Timeout:
    """What the system does when a ticket sits in a status past one of its due times."""

    due_field: str  # the Ticket column holding the deadline
    action: str
    note: str


_SELLER_SILENT = Timeout("seller_response_due_at", "approve", "卖家超时未处理，系统自动同意")
_NO_RECEIPT_NOTE = "卖家超时未确认收货"

TIMEOUT_ACTIONS: dict[tuple[str, str], Timeout] = {
    **{(kind, "requested"): _SELLER_SILENT for kind in AFTER_SALES_KINDS},
    ("return_refund", "returned"): Timeout("receipt_due_at", "refund", _NO_RECEIPT_NOTE),
    ("exchange", "returned"): Timeout("receipt_due_at", "confirm_receipt", _NO_RECEIPT_NOTE),
    ("repair", "returned"): Timeout("receipt_due_at", "confirm_receipt", _NO_RECEIPT_NOTE),
}

_TERMINAL = frozenset(STATUSES + COMPLAINT_STATUSES) - {
    status for sources, _ in TRANSITIONS.values() for status in sources
}


def next_status(kind: str, status: str, action: str) -> str:
    """The status after action, or IllegalTicketTransition; unknown names are ValueErrors."""
    if kind not in KINDS:
        raise ValueError(f"unknown ticket kind {kind!r}")
    if status not in STATUSES and status not in COMPLAINT_STATUSES:
        raise ValueError(f"unknown ticket status {status!r}")
    if action not in ACTIONS:
        raise ValueError(f"unknown ticket action {action!r}")
    rule = TRANSITIONS.get((kind, action))
    if rule is None or status not in rule[0]:
        raise IllegalTicketTransition(kind, status, action)
    return rule[1]


def is_terminal(status: str) -> bool:
    """No action leads out of this status, for any kind."""
    if status not in STATUSES and status not in COMPLAINT_STATUSES:
        raise ValueError(f"unknown ticket status {status!r}")
    return status in _TERMINAL
