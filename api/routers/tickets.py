"""Tickets for the shop's back end (X-Shop-Key) and support agents (bearer token)."""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, status

from api.deps import CurrentStaff, DbSession, PolicyDep
from api.schemas import TicketActionIn, TicketOut, TicketRejectIn
from bot.enums import TicketKind, TicketStatus
from bot.errors import IllegalTicketTransition, MissingTicketDetail, TicketNotFound
from bot.services.tickets import apply_action, get_ticket, list_tickets, ticket_to_dict
from bot.store.models import Ticket
from bot.timeutil import as_utc

router = APIRouter(prefix="/api/v1/tickets", tags=["tickets"])

NOT_FOUND = "工单不存在 / ticket not found"
OptionalNote = TicketActionIn | None


@router.get("", response_model=list[TicketOut])
def read_tickets(
    _staff: CurrentStaff,
    db: DbSession,
    order_id: str | None = None,
    ticket_status: Annotated[TicketStatus | None, Query(alias="status")] = None,
    kind: TicketKind | None = None,
    updated_since: Annotated[
        datetime | None, Query(description="ISO 8601; without a zone it is UTC")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> list[TicketOut]:
    """Oldest change first: poll again with updated_since = the last updated_at seen."""
    since = as_utc(updated_since) if updated_since is not None else None
    tickets = list_tickets(
        db, order_id=order_id, status=ticket_status, kind=kind, updated_since=since, limit=limit
    )
    return [_out(ticket) for ticket in tickets]


@router.get("/{ticket_id}", response_model=TicketOut)
def read_ticket(ticket_id: int, _staff: CurrentStaff, db: DbSession) -> TicketOut:
    try:
        return _out(get_ticket(db, ticket_id))
    except TicketNotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND) from None


@router.post("/{ticket_id}/approve", response_model=TicketOut)
def approve(
    ticket_id: int, staff: CurrentStaff, db: DbSession, policy: PolicyDep, body: OptionalNote = None
) -> TicketOut:
    return _act(db, policy, ticket_id, "approve", staff, body)


@router.post("/{ticket_id}/reject", response_model=TicketOut)
def reject(
    ticket_id: int, body: TicketRejectIn, staff: CurrentStaff, db: DbSession, policy: PolicyDep
) -> TicketOut:
    return _act(db, policy, ticket_id, "reject", staff, body, reason=body.reason)


@router.post("/{ticket_id}/confirm-receipt", response_model=TicketOut)
def confirm_receipt(
    ticket_id: int, staff: CurrentStaff, db: DbSession, policy: PolicyDep, body: OptionalNote = None
) -> TicketOut:
    return _act(db, policy, ticket_id, "confirm_receipt", staff, body)


@router.post("/{ticket_id}/refund", response_model=TicketOut)
def refund(
    ticket_id: int, staff: CurrentStaff, db: DbSession, policy: PolicyDep, body: OptionalNote = None
) -> TicketOut:
    return _act(db, policy, ticket_id, "refund", staff, body)


@router.post("/{ticket_id}/complete", response_model=TicketOut)
def complete(
    ticket_id: int, staff: CurrentStaff, db: DbSession, policy: PolicyDep, body: OptionalNote = None
) -> TicketOut:
    return _act(db, policy, ticket_id, "complete", staff, body)


@router.post("/{ticket_id}/close", response_model=TicketOut)
def close(
    ticket_id: int, staff: CurrentStaff, db: DbSession, policy: PolicyDep, body: OptionalNote = None
) -> TicketOut:
    return _act(db, policy, ticket_id, "close", staff, body)


def _act(
    db: DbSession,
    policy: PolicyDep,
    ticket_id: int,
    action: str,
    staff: str,
    body: TicketActionIn | TicketRejectIn | None,
    **fields: Any,
) -> TicketOut:
    note = body.note if body is not None else None
    try:
        ticket = apply_action(db, ticket_id, action, staff, note, policy=policy, **fields)
    except TicketNotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND) from None
    except IllegalTicketTransition as error:
        raise HTTPException(status.HTTP_409_CONFLICT, str(error)) from None
    except MissingTicketDetail as error:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(error)) from None
    db.commit()
    return _out(ticket)


def _out(ticket: Ticket) -> TicketOut:
    return TicketOut.model_validate(ticket_to_dict(ticket))
