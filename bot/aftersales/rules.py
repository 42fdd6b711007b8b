"""The after-sales policy as pure functions: what a buyer may do with an order or one item, now.

Times are aware datetimes (naive ones are taken as UTC, as SQLite returns them); calendar days
are counted in the shop's zone, Asia/Shanghai, so a parcel signed for at 23:50 there counts as
delivered that day."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from bot.aftersales import refusals
from bot.aftersales.facts import (
    FAULT_REASONS,
    REASONS,
    SERVICE_TYPES,
    CancelDecision,
    Claim,
    ItemDecision,
    ItemFacts,
    OrderFacts,
    Refusal,
    ServiceOption,
    Terms,
)
from bot.aftersales.refunds import item_paid_fen
from bot.aftersales.tickets import ACTIVE_CLAIM_EXCLUDED
from bot.timeutil import SHOP_ZONE, as_utc

__all__ = [
    "FAULT_REASONS",
    "REASONS",
    "SERVICE_TYPES",
    "CancelDecision",
    "Claim",
    "ItemDecision",
    "ItemFacts",
    "OrderFacts",
    "Refusal",
    "ServiceOption",
    "Terms",
    "after_sales_decision",
    "can_cancel",
    "claimable_items",
    "item_paid_fen",
    "shop_day_number",
]

# Which window governs each service a reason allows; services not listed do not fit the reason.
_REPAIRABLE = {"return_refund": "after_sales", "exchange": "after_sales", "repair": "warranty"}
_RETURNABLE = {"return_refund": "after_sales", "exchange": "after_sales"}
_WINDOWS: dict[str, dict[str, str]] = {
    "no_reason": {"return_refund": "no_reason", "exchange": "no_reason"},
    "quality": _REPAIRABLE,
    "damaged": _REPAIRABLE,
    "wrong_item": _RETURNABLE,
    "not_as_described": _RETURNABLE,
    "missing": {"refund_only": "after_sales", **_RETURNABLE},  # nothing to send back
    "not_received": {"refund_only": "after_sales"},
}


@dataclass(frozen=True)
class _Open:
    apply_by: datetime | None  # None: the window has no end yet (delivered, not completed)


def shop_day_number(start: datetime, now: datetime) -> int:
    """Calendar days from start to now in Asia/Shanghai; the same day is day 0."""
    return (_shop_date(now) - _shop_date(start)).days


def can_cancel(order: OrderFacts, now: datetime, terms: Terms) -> CancelDecision:
    """An order can be cancelled until it ships; a paid one is refunded in full."""
    status = order.status
    if status == "pending_payment":
        return CancelDecision(True, 0, None, "no_payment")
    if status == "paid":
        return CancelDecision(True, order.total_fen, None, "refund")
    if status == "shipped":
        return CancelDecision(False, 0, refusals.shipped_cannot_cancel(terms), "shipped")
    if status == "delivered":
        in_window = shop_day_number(_received_at(order), now) <= terms.no_reason_days
        return CancelDecision(
            False, 0, refusals.delivered_cannot_cancel(terms, in_window), "delivered"
        )
    if status == "completed":
        return CancelDecision(False, 0, refusals.completed_cannot_cancel(terms), "completed")
    if status == "cancelled":
        refusal = refusals.cancelled(terms, order.paid_at is not None)
        return CancelDecision(False, 0, refusal, "already_cancelled")
    raise ValueError(f"unknown order status {status!r}")


def after_sales_decision(
    order: OrderFacts,
    item_id: int,
    reason: str,
    claims: Iterable[Claim],
    now: datetime,
    terms: Terms,
) -> ItemDecision:
    """Every service type for one item and reason: allowed with its terms, or refused and why."""
    if reason not in REASONS:
        raise ValueError(f"unknown after-sales reason {reason!r}")
    item = _find_item(order, item_id)
    blocker = _order_refusal(order, terms) or _claim_refusal(claims, item_id, terms)
    if blocker is not None:
        return ItemDecision(item, reason, (), dict.fromkeys(SERVICE_TYPES, blocker))
    now = as_utc(now)
    paid = item_paid_fen(order, item)
    respond_by = {"seller_response_by": now + timedelta(days=terms.seller_response_days)}
    if order.status == "paid":
        # nothing has travelled yet: money back only (the bot cancels the order if all go)
        only = ServiceOption("refund_only", None, paid, dict(respond_by))
        not_yet = {s: refusals.not_shipped() for s in SERVICE_TYPES if s != "refund_only"}
        return ItemDecision(item, reason, (only,), not_yet)

    windows = _WINDOWS[reason]
    verdicts = {s: _window(w, order, item, reason, now, terms) for s, w in windows.items()}
    options = []
    for service in SERVICE_TYPES:
        verdict = verdicts.get(service)
        if isinstance(verdict, _Open):
            deadlines = dict(respond_by)
            if verdict.apply_by is not None:
                deadlines["apply_by"] = verdict.apply_by
            # exchange and repair give goods back, not money
            refund = paid if service in ("refund_only", "return_refund") else 0
            options.append(ServiceOption(service, _shipping(service, reason), refund, deadlines))
    allowed = [o.service_type for o in options]
    refused: dict[str, Refusal] = {}
    for service in SERVICE_TYPES:
        verdict = verdicts.get(service)
        if isinstance(verdict, Refusal):
            refused[service] = verdict
        elif verdict is None:
            refused[service] = refusals.not_applicable(service, reason, allowed)
    return ItemDecision(item, reason, tuple(options), refused)


def claimable_items(
    order: OrderFacts, claims: Iterable[Claim], now: datetime, terms: Terms
) -> tuple[ItemFacts, ...]:
    """Items that some reason would still give a service for."""
    claims = tuple(claims)
    return tuple(
        item
        for item in order.items
        if any(
            after_sales_decision(order, item.item_id, reason, claims, now, terms).options
            for reason in REASONS
        )
    )


def _window(
    name: str, order: OrderFacts, item: ItemFacts, reason: str, now: datetime, terms: Terms
) -> _Open | Refusal:
    received = _received_at(order)
    if name == "no_reason":
        if item.category in terms.excluded_categories:
            return refusals.category_excluded(terms, item.category)
        if shop_day_number(received, now) > terms.no_reason_days:
            return refusals.no_reason_window_closed(terms)
        return _Open(_end_of_shop_day(received, terms.no_reason_days))
    if name == "warranty":
        if shop_day_number(received, now) > terms.warranty_days:
            return refusals.warranty_expired(terms)
        return _Open(_end_of_shop_day(received, terms.warranty_days))
    # the after-sales window: open while delivered, then until N days after completion
    if order.status != "completed" or order.completed_at is None:
        return _Open(None)
    if shop_day_number(order.completed_at, now) > terms.after_sales_days:
        warranty = _window("warranty", order, item, reason, now, terms)
        repair_open = "repair" in _WINDOWS[reason] and isinstance(warranty, _Open)
        return refusals.after_sales_window_closed(terms, repair_open)
    return _Open(_end_of_shop_day(order.completed_at, terms.after_sales_days))


def _shipping(service: str, reason: str) -> str | None:
    if service == "refund_only":
        return None  # no goods travel
    return "buyer" if reason not in FAULT_REASONS else "seller"  # whoever is at fault pays


def _order_refusal(order: OrderFacts, terms: Terms) -> Refusal | None:
    if order.status == "pending_payment":
        return refusals.not_paid()
    if order.status == "cancelled":
        return refusals.cancelled(terms, order.paid_at is not None)
    if order.status == "shipped":
        return refusals.in_transit(terms)
    if order.status in ("paid", "delivered", "completed"):
        return None
    raise ValueError(f"unknown order status {order.status!r}")


def _claim_refusal(claims: Iterable[Claim], item_id: int, terms: Terms) -> Refusal | None:
    # complaints are not after-sales claims; rejected or withdrawn claims free the item again
    active = [
        c
        for c in claims
        if c.item_id == item_id and c.kind != "complaint" and c.status not in ACTIVE_CLAIM_EXCLUDED
    ]
    if len(active) < terms.claims_per_item:
        return None
    return refusals.claim_exists(terms, active[0].ticket_id)


def _find_item(order: OrderFacts, item_id: int) -> ItemFacts:
    for item in order.items:
        if item.item_id == item_id:
            return item
    raise ValueError(f"order {order.order_id} has no item {item_id}")


def _received_at(order: OrderFacts) -> datetime:
    # digital goods can complete without a delivery: completion is when the buyer got them
    received = order.delivered_at or order.completed_at
    if received is None:
        raise ValueError(f"order {order.order_id} is {order.status} but has no delivery time")
    return received


def _shop_date(moment: datetime) -> date:
    return as_utc(moment).astimezone(SHOP_ZONE).date()


def _end_of_shop_day(start: datetime, days: int) -> datetime:
    """The last moment of the Shanghai calendar day `days` after start's, in UTC."""
    last_day = _shop_date(start) + timedelta(days=days)
    return datetime.combine(last_day, time.max, tzinfo=SHOP_ZONE).astimezone(UTC)
