"""The plain values the after-sales policy works on: order facts, claims, terms and decisions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

REASONS = (
    "no_reason",
    "quality",
    "damaged",
    "wrong_item",
    "not_as_described",
    "missing",
    "not_received",
)
FAULT_REASONS = frozenset({"quality", "damaged", "wrong_item", "not_as_described", "missing"})
SERVICE_TYPES = ("refund_only", "return_refund", "exchange", "repair")


@dataclass(frozen=True)
class ItemFacts:
    item_id: int
    sku: str
    title: str
    category: str
    quantity: int
    unit_price_fen: int


@dataclass(frozen=True)
class OrderFacts:
    order_id: str
    status: str
    total_fen: int
    payment_method: str | None
    created_at: datetime
    paid_at: datetime | None
    shipped_at: datetime | None
    delivered_at: datetime | None
    completed_at: datetime | None
    cancelled_at: datetime | None
    items: tuple[ItemFacts, ...]


@dataclass(frozen=True)
class Claim:
    """An existing after-sales ticket on one item of the order."""

    ticket_id: int
    item_id: int
    kind: str
    status: str


@dataclass(frozen=True)
class Terms:
    """The policy numbers, taken from policy.yml's mapping; the core never reads files."""

    no_reason_days: int
    excluded_categories: frozenset[str]
    after_sales_days: int
    performance_fault_days: int
    warranty_days: int
    claims_per_item: int
    seller_response_days: int
    seller_confirm_receipt_days: int
    processing_working_days_min: int
    processing_working_days_max: int
    ships_within_hours: int

    @classmethod
    def from_policy(cls, values: Mapping[str, Any]) -> Terms:
        """values is policy.yml as a dict; a missing or non-integer key raises ValueError."""
        return cls(
            no_reason_days=_int(values, "no_reason_return.days_after_delivery"),
            excluded_categories=_categories(values, "no_reason_return.excluded_categories"),
            after_sales_days=_int(values, "after_sales.days_after_completion"),
            performance_fault_days=_int(values, "after_sales.performance_fault_exchange_days"),
            warranty_days=_int(values, "after_sales.warranty_days"),
            claims_per_item=_int(values, "after_sales.claims_per_item"),
            seller_response_days=_int(values, "refund.seller_response_days"),
            seller_confirm_receipt_days=_int(values, "refund.seller_confirm_receipt_days"),
            processing_working_days_min=_int(values, "refund.processing_working_days_min"),
            processing_working_days_max=_int(values, "refund.processing_working_days_max"),
            ships_within_hours=_int(values, "shipping.ships_within_hours"),
        )


@dataclass(frozen=True)
class Refusal:
    """Why a service is not offered; reason and alternatives are short Chinese for the buyer."""

    code: str
    reason: str
    alternatives: tuple[str, ...]


@dataclass(frozen=True)
class CancelDecision:
    allowed: bool
    refund_fen: int
    refusal: Refusal | None
    # "refund", "no_payment", "shipped", "delivered", "completed" or "already_cancelled"
    outcome: str


@dataclass(frozen=True)
class ServiceOption:
    service_type: str
    shipping_paid_by: str | None  # "buyer", "seller", or None when no goods travel
    refund_fen: int
    deadlines: dict[str, datetime]


@dataclass(frozen=True)
class ItemDecision:
    item: ItemFacts
    reason: str
    options: tuple[ServiceOption, ...]  # allowed service types, in SERVICE_TYPES order
    refused: dict[str, Refusal]  # every service type that is not allowed, and why

    def option(self, service_type: str) -> ServiceOption | None:
        return next((o for o in self.options if o.service_type == service_type), None)


def _lookup(values: Mapping[str, Any], key: str) -> Any:
    node: Any = values
    for part in key.split("."):
        if not isinstance(node, Mapping) or part not in node:
            raise ValueError(f"policy is missing {key}")
        node = node[part]
    return node


def _int(values: Mapping[str, Any], key: str) -> int:
    value = _lookup(values, key)
    # bool is an int subclass; "yes" in YAML must not become 1
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"policy {key} must be a whole number, not {value!r}")
    return value


def _categories(values: Mapping[str, Any], key: str) -> frozenset[str]:
    value = _lookup(values, key)
    if not isinstance(value, list | tuple | frozenset | set) or not all(
        isinstance(v, str) for v in value
    ):
        raise ValueError(f"policy {key} must be a list of category names")
    return frozenset(value)
