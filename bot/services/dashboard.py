"""The agent console's dashboard numbers, counted from the stored rows for a window of days.

Days are calendar days in the shop's zone, the last of them the one `now` falls on. Stored times
are UTC (SQLite keeps them without a zone), so the window's bounds are compared in UTC.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.enums import ConversationStatus, Priority, Sender, TicketKind
from bot.knowledge import Policy
from bot.services.agents import DEFAULT_PRIORITY, sla_delay
from bot.store.models import Conversation, ConversationEvent, Message, Ticket
from bot.timeutil import SHOP_ZONE, as_utc

PRIORITIES = tuple(priority.value for priority in Priority)
NO_CATEGORY = "other"
NO_REASON = "unknown"


@dataclass(frozen=True)
class DayCount:
    """One calendar day: conversations started that day in which the buyer wrote at least once,
    and how many of them the bot contained (never handed to a person)."""

    day: date
    conversations: int
    contained: int


@dataclass(frozen=True)
class SlaCounts:
    """First-response deadlines of the handoffs (deadline by priority, from knowledge/policy.yml):
    met = an agent replied by the deadline; missed = the reply came after it, or none came and
    it has passed; open = no reply yet and still in time."""

    met: int
    missed: int
    open: int


@dataclass(frozen=True)
class DashboardNumbers:
    """The numbers behind the console's charts for the `days` days that start at `since`.

    - conversations: started in the window, the buyer wrote at least once (a widget opened and
      left silent is not a conversation);
    - contained: of those, the ones never handed to a person, at any time (the bot handled
      them alone); containment_rate is contained / conversations, None when there were none;
    - handoff_reasons: every move to waiting_agent in the window, by its reason;
    - complaints_by_category (category -> priority -> count) and complaints_by_priority
      (every priority, zeros included): complaint tickets opened in the window; a ticket
      without a category counts as "other", one without a priority as the default P3;
    - first_response_sla: every handoff in the window (each move to waiting_agent, so a
      conversation handed off twice counts twice), whatever became of the conversation since
      (resolved and back with the bot included). Its deadline is the handoff's time plus the
      first-response minutes of the conversation's priority (the default P3 when it has none);
      it is answered by the first agent message to the buyer (not an internal note) in that
      conversation at or after the handoff, so a reply to an earlier handoff never answers a
      later one (while an earlier handoff left without a reply is answered, late as a rule, by
      the reply to the next). See SlaCounts for met / missed / open, judged at `now`. The
      events do not record a priority: the conversation keeps its latest handoff's (raised, if
      a more urgent one came while it waited), and every handoff of the conversation is judged
      by it.
    """

    days: int
    since: datetime
    per_day: tuple[DayCount, ...]
    conversations: int
    contained: int
    containment_rate: float | None
    handoff_reasons: Mapping[str, int]
    complaints_by_category: Mapping[str, Mapping[str, int]]
    complaints_by_priority: Mapping[str, int]
    first_response_sla: SlaCounts


def _window(now: datetime, days: int) -> tuple[date, datetime, datetime]:
    """The window's first calendar day in the shop's zone, and the UTC moments it begins and
    ends (the end of `now`'s day: nothing stamped later is counted)."""
    first_day = as_utc(now).astimezone(SHOP_ZONE).date() - timedelta(days=days - 1)
    since = datetime.combine(first_day, datetime.min.time(), SHOP_ZONE).astimezone(UTC)
    until = datetime.combine(
        first_day + timedelta(days=days), datetime.min.time(), SHOP_ZONE
    ).astimezone(UTC)
    return first_day, since, until


def dashboard_numbers(
    session: Session, policy: Policy, *, now: datetime, days: int
) -> DashboardNumbers:
    """The dashboard for the `days` calendar days up to and including `now`'s day."""
    if days < 1:
        raise ValueError(f"days must be at least 1, not {days}")
    first_day, since, until = _window(now, days)
    per_day = _per_day(session, first_day, since, until, days)
    total = sum(day.conversations for day in per_day)
    contained = sum(day.contained for day in per_day)
    handoffs = session.execute(
        select(
            ConversationEvent.conversation_id, ConversationEvent.reason, ConversationEvent.at
        ).where(
            ConversationEvent.to_status == ConversationStatus.WAITING_AGENT,
            ConversationEvent.at >= since,
            ConversationEvent.at < until,
        )
    ).all()
    by_category, by_priority = _complaints(session, since, until)
    return DashboardNumbers(
        days=days,
        since=since,
        per_day=per_day,
        conversations=total,
        contained=contained,
        containment_rate=round(contained / total, 4) if total else None,
        handoff_reasons=dict(Counter(reason or NO_REASON for _, reason, _ in handoffs)),
        complaints_by_category=by_category,
        complaints_by_priority=by_priority,
        first_response_sla=_first_response_sla(
            session, policy, now, [(conversation_id, at) for conversation_id, _, at in handoffs]
        ),
    )


def _per_day(
    session: Session, first_day: date, since: datetime, until: datetime, days: int
) -> tuple[DayCount, ...]:
    talked = select(Message.conversation_id).where(Message.sender == Sender.BUYER).distinct()
    conversations = session.scalars(
        select(Conversation).where(
            Conversation.created_at >= since,
            Conversation.created_at < until,
            Conversation.id.in_(talked),
        )
    ).all()
    ever_handed_off = set(
        session.scalars(
            select(ConversationEvent.conversation_id).where(
                ConversationEvent.to_status == ConversationStatus.WAITING_AGENT,
                ConversationEvent.conversation_id.in_([c.id for c in conversations]),
            )
        )
    )
    counts = {first_day + timedelta(days=n): [0, 0] for n in range(days)}
    for conversation in conversations:
        row = counts[as_utc(conversation.created_at).astimezone(SHOP_ZONE).date()]
        row[0] += 1
        if conversation.id not in ever_handed_off:
            row[1] += 1
    return tuple(DayCount(day, total, contained) for day, (total, contained) in counts.items())


def _complaints(
    session: Session, since: datetime, until: datetime
) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    rows = session.execute(
        select(Ticket.category, Ticket.priority).where(
            Ticket.kind == TicketKind.COMPLAINT,
            Ticket.created_at >= since,
            Ticket.created_at < until,
        )
    ).all()
    by_category: dict[str, Counter[str]] = {}
    by_priority = Counter[str]()
    for category, priority in rows:
        priority = str(priority or DEFAULT_PRIORITY)
        by_category.setdefault(category or NO_CATEGORY, Counter())[priority] += 1
        by_priority[priority] += 1
    return (
        {category: dict(counts) for category, counts in sorted(by_category.items())},
        {priority: by_priority[priority] for priority in PRIORITIES},
    )


def _first_response_sla(
    session: Session, policy: Policy, now: datetime, handoffs: list[tuple[str, datetime]]
) -> SlaCounts:
    """Each handoff (conversation id, when) against its deadline: answered by the conversation's
    first agent message to the buyer stamped at or after the handoff."""
    ids = {conversation_id for conversation_id, _ in handoffs}
    priorities = {
        conversation_id: priority
        for conversation_id, priority in session.execute(
            select(Conversation.id, Conversation.priority).where(Conversation.id.in_(ids))
        )
    }
    replies: dict[str, list[datetime]] = {}
    if handoffs:
        rows = session.execute(
            select(Message.conversation_id, Message.created_at)
            .where(
                Message.conversation_id.in_(ids),
                Message.sender == Sender.AGENT,
                Message.internal.is_(False),
                Message.created_at >= min(at for _, at in handoffs),
            )
            .order_by(Message.created_at, Message.id)
        )
        for conversation_id, created_at in rows:
            replies.setdefault(conversation_id, []).append(as_utc(created_at))
    counts = Counter[str]()
    for conversation_id, at in handoffs:
        handed = as_utc(at)
        due = handed + sla_delay(policy, priorities.get(conversation_id) or DEFAULT_PRIORITY)
        times = replies.get(conversation_id, [])
        first = bisect_left(times, handed)
        if first < len(times):
            counts["met" if times[first] <= due else "missed"] += 1
        else:
            counts["missed" if as_utc(now) > due else "open"] += 1
    return SlaCounts(met=counts["met"], missed=counts["missed"], open=counts["open"])
