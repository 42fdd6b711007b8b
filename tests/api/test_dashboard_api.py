"""The agent console's dashboard: conversations per day, containment, handoff reasons,
complaints and the first-response SLA, counted from conversations and tickets made through the
API and the services; and who may read it.

The API counts up to the real clock; bot.services.dashboard takes `now`, so the tests that
need time to have passed call it with a later (or earlier) `now` over the same rows.
"""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, time, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.enums import ConversationStatus, Priority, TicketKind
from bot.knowledge import Policy, load_policy
from bot.services.conversations import hand_off
from bot.services.dashboard import DashboardNumbers, DayCount, SlaCounts, dashboard_numbers
from bot.services.tickets import open_complaint_ticket
from bot.settings import Settings
from bot.store.models import Conversation, ConversationEvent, Ticket
from bot.store.session import session_scope
from bot.timeutil import SHOP_ZONE, as_utc, utcnow
from tests.agent_fixtures import make_agent, waiting_conversation
from tests.api.conftest import SHOP, RecordingRasa, buyer_headers, new_conversation
from tests.conftest import FIXED_NOW

DASHBOARD = "/api/v1/agent/dashboard"
AGENT = "/api/v1/agent"
NO_COMPLAINTS = {"P1": 0, "P2": 0, "P3": 0, "P4": 0}


def bot_conversation(client: TestClient) -> str:
    """A buyer asks, the bot (the recording fake of Rasa) answers: it stays with the bot."""
    headers = buyer_headers(client, None)
    conversation = new_conversation(client, headers)
    turn = client.post(
        f"/api/v1/conversations/{conversation}/messages",
        json={"text": "发什么快递", "client_message_id": "q1"},
        headers=headers,
    )
    assert turn.json()["status"] == "bot", turn.text
    return conversation


def answered(client: TestClient, agent: dict[str, str], conversation: str) -> None:
    """An agent claims the waiting conversation and replies once."""
    base = f"{AGENT}/conversations/{conversation}"
    assert client.post(f"{base}/claim", headers=agent).status_code == 200
    assert client.post(f"{base}/reply", json={"text": "您好"}, headers=agent).status_code == 200


def shop_day(moment: datetime) -> date:
    return as_utc(moment).astimezone(SHOP_ZONE).date()


def started_on(sessions: sessionmaker[Session], ids: list[str]) -> dict[str, date]:
    """The shop-zone day each conversation was started (read back, so a test that runs across
    midnight still knows which day to expect)."""
    with session_scope(sessions) as session:
        rows = session.scalars(select(Conversation).where(Conversation.id.in_(ids)))
        return {row.id: shop_day(row.created_at) for row in rows}


def handed_off_ago(sessions: sessionmaker[Session], conversation_id: str, ago: timedelta) -> None:
    """Dates the conversation's handoff (its move to waiting_agent) `ago` before now."""
    with session_scope(sessions) as session:
        event = session.scalars(
            select(ConversationEvent).where(
                ConversationEvent.conversation_id == conversation_id,
                ConversationEvent.to_status == ConversationStatus.WAITING_AGENT,
            )
        ).one()
        event.at = utcnow() - ago


def counted(
    sessions: sessionmaker[Session], policy: Policy, now: datetime, days: int
) -> DashboardNumbers:
    with session_scope(sessions) as session:
        return dashboard_numbers(session, policy, now=now, days=days)


def test_every_way_but_an_agent_token_is_refused(
    client: TestClient, sessions: sessionmaker[Session]
) -> None:
    wang = make_agent(sessions, "wang")
    buyer = buyer_headers(client, "b1001")
    for headers in ({}, buyer, SHOP, {"Authorization": "Bearer not-an-agent"}):
        response = client.get(DASHBOARD, headers=headers)
        assert response.status_code == 401, (headers, response.text)
    assert client.get(DASHBOARD, headers=wang).status_code == 200
    assert client.get(f"{DASHBOARD}?days=0", headers=wang).status_code == 422
    assert client.get(f"{DASHBOARD}?days=91", headers=wang).status_code == 422


def test_an_empty_shop_has_a_zero_row_for_every_day_and_no_rate(
    client: TestClient, sessions: sessionmaker[Session]
) -> None:
    wang = make_agent(sessions, "wang")
    before = shop_day(utcnow())
    body = client.get(f"{DASHBOARD}?days=3", headers=wang).json()
    after = shop_day(utcnow())
    assert body["days"] == 3
    days = [date.fromisoformat(row["day"]) for row in body["per_day"]]
    assert days[-1] in (before, after)
    assert days == [days[-1] - timedelta(days=n) for n in (2, 1, 0)]
    assert all(row["conversations"] == row["contained"] == 0 for row in body["per_day"])
    assert datetime.fromisoformat(body["since"]).astimezone(SHOP_ZONE) == datetime.combine(
        days[0], time(), SHOP_ZONE
    )
    assert body["conversations"] == body["contained"] == 0
    assert body["containment_rate"] is None
    assert body["handoff_reasons"] == {}
    assert body["complaints_by_category"] == {}
    assert body["complaints_by_priority"] == NO_COMPLAINTS
    assert body["first_response_sla"] == {"met": 0, "missed": 0, "open": 0}


def test_containment_counts_conversations_never_handed_to_a_person(
    client: TestClient, rasa: RecordingRasa, sessions: sessionmaker[Session]
) -> None:
    wang = make_agent(sessions, "wang")
    contained = [bot_conversation(client), bot_conversation(client)]
    new_conversation(client, buyer_headers(client, None))  # opened, the buyer never wrote
    asked = bot_conversation(client)
    with session_scope(sessions) as session:  # as the action server does on request_human
        hand_off(session, asked, "request_human", Priority.P3)
    down, _ = waiting_conversation(client, rasa, sessions)  # Rasa unreachable: handed off
    resolved, _ = waiting_conversation(client, rasa, sessions, buyer="b1002")
    answered(client, wang, resolved)
    back = client.post(f"{AGENT}/conversations/{resolved}/resolve", headers=wang)
    assert back.json()["status"] == "bot"  # with the bot again, but a person was needed

    body = client.get(f"{DASHBOARD}?days=2", headers=wang).json()

    assert body["conversations"] == 5
    assert body["contained"] == 2
    assert body["containment_rate"] == 0.4
    assert body["handoff_reasons"] == {"request_human": 1, "rasa_unreachable": 2}
    days = started_on(sessions, [*contained, asked, down, resolved])
    expected: dict[str, list[int]] = {}
    for conversation, day in days.items():
        row = expected.setdefault(day.isoformat(), [0, 0])
        row[0] += 1
        row[1] += int(conversation in contained)
    shown = {row["day"]: [row["conversations"], row["contained"]] for row in body["per_day"]}
    assert {day: row for day, row in shown.items() if row != [0, 0]} == expected
    assert len(body["per_day"]) == 2


def test_days_are_shop_calendar_days_and_nothing_outside_the_window_counts(
    client: TestClient, rasa: RecordingRasa, sessions: sessionmaker[Session], settings: Settings
) -> None:
    policy = load_policy(settings.knowledge_dir)
    contained = bot_conversation(client)
    waiting, _ = waiting_conversation(client, rasa, sessions)  # P3: 240 minutes to answer
    with session_scope(sessions) as session:
        open_complaint_ticket(
            session,
            buyer_id=None,
            order_id=None,
            conversation_id=waiting,
            text="快递太慢了",
            category="logistics_delay",
            priority="P3",
            reasons=[],
            sla_due_at=utcnow() + timedelta(hours=4),
        )
    started = started_on(sessions, [contained, waiting])
    first = min(started.values())  # both, unless the shop's midnight fell between them
    second = first + timedelta(days=1)

    def noon(day: date) -> datetime:
        return datetime.combine(day, time(12), SHOP_ZONE)

    both = counted(sessions, policy, noon(second), days=2)
    expected = {first: [0, 0], second: [0, 0]}
    for conversation, day in started.items():
        expected[day][0] += 1
        expected[day][1] += int(conversation == contained)
    assert [row.day for row in both.per_day] == [first, second]
    assert {row.day: [row.conversations, row.contained] for row in both.per_day} == expected
    assert (both.conversations, both.contained, both.containment_rate) == (2, 1, 0.5)
    assert both.handoff_reasons == {"rasa_unreachable": 1}
    assert both.complaints_by_category == {"logistics_delay": {"P3": 1}}
    # Noon of the next day is more than 240 minutes after the handoff, with no reply.
    assert both.first_response_sla == SlaCounts(met=0, missed=1, open=0)

    after = counted(sessions, policy, noon(first + timedelta(days=2)), days=1)
    before = counted(sessions, policy, noon(first - timedelta(days=1)), days=5)
    for outside in (after, before):
        assert all(row.conversations == 0 for row in outside.per_day)
        assert (outside.conversations, outside.containment_rate) == (0, None)
        assert outside.handoff_reasons == {}
        assert outside.complaints_by_category == {}
        assert outside.complaints_by_priority == NO_COMPLAINTS
        assert outside.first_response_sla == SlaCounts(met=0, missed=0, open=0)
    assert after.per_day == (DayCount(first + timedelta(days=2), 0, 0),)
    assert before.per_day[-1] == DayCount(first - timedelta(days=1), 0, 0)


def test_a_conversation_counts_on_its_day_in_the_shops_zone_not_in_utc(
    client: TestClient, sessions: sessionmaker[Session], settings: Settings
) -> None:
    # Started through the API, then dated either side of Shanghai's midnight (UTC+8).
    late_evening = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)  # 23:30 on the 20th in the shop
    after_midnight = datetime(2026, 11, 20, 16, 30, tzinfo=UTC)  # 00:30 on the 21st
    with session_scope(sessions) as session:
        for conversation, started in (
            (bot_conversation(client), late_evening),
            (bot_conversation(client), after_midnight),
        ):
            session.get_one(Conversation, conversation).created_at = started

    numbers = counted(
        sessions,
        load_policy(settings.knowledge_dir),
        datetime(2026, 11, 21, 12, tzinfo=SHOP_ZONE),
        days=2,
    )
    assert numbers.per_day == (
        DayCount(date(2026, 11, 20), conversations=1, contained=1),
        DayCount(date(2026, 11, 21), conversations=1, contained=1),
    )
    assert numbers.since == datetime(2026, 11, 19, 16, tzinfo=UTC)


def test_complaints_in_the_window_are_counted_by_category_and_priority(
    client: TestClient, seeded: sessionmaker[Session], settings: Settings
) -> None:
    wang = make_agent(seeded, "wang")
    now = utcnow()
    filed = [
        ("quality_defect", "P2", now),
        ("quality_defect", "P2", now),
        ("quality_defect", "P1", now),
        ("logistics_delay", "P3", now),
        ("service_attitude", "P1", now - timedelta(days=30)),  # before the window
    ]
    with session_scope(seeded) as session:
        for category, priority, opened in filed:
            open_complaint_ticket(
                session,
                buyer_id=None,
                order_id=None,
                conversation_id=None,
                text="质量太差了",
                category=category,
                priority=priority,
                reasons=[],
                sla_due_at=opened + timedelta(hours=1),
                now=opened,
            )

    body = client.get(f"{DASHBOARD}?days=14", headers=wang).json()

    assert body["complaints_by_category"] == {
        "logistics_delay": {"P3": 1},
        "quality_defect": {"P1": 1, "P2": 2},
    }
    assert list(body["complaints_by_category"]) == ["logistics_delay", "quality_defect"]
    assert body["complaints_by_priority"] == {"P1": 1, "P2": 2, "P3": 1, "P4": 0}


def test_an_after_sales_ticket_is_not_a_complaint(
    seeded: sessionmaker[Session], settings: Settings
) -> None:
    numbers = counted(seeded, load_policy(settings.knowledge_dir), FIXED_NOW, days=3)
    with session_scope(seeded) as session:  # the demo's open return, a day before FIXED_NOW
        refund = session.scalars(
            select(Ticket).where(Ticket.kind == TicketKind.RETURN_REFUND)
        ).one()
        assert numbers.since <= as_utc(refund.created_at) <= FIXED_NOW
    assert numbers.complaints_by_category == {}
    assert numbers.complaints_by_priority == NO_COMPLAINTS


def test_first_response_sla_met_missed_and_open(
    client: TestClient, rasa: RecordingRasa, sessions: sessionmaker[Session], settings: Settings
) -> None:
    wang = make_agent(sessions, "wang")
    policy = load_policy(settings.knowledge_dir)  # P1 15 minutes, P2 60, P3 240
    in_time, _ = waiting_conversation(client, rasa, sessions)  # P3
    answered(client, wang, in_time)
    waiting_conversation(client, rasa, sessions, priority=Priority.P1)  # nobody answers it
    slower, _ = waiting_conversation(client, rasa, sessions, priority=Priority.P2)
    answered(client, wang, slower)

    body = client.get(f"{DASHBOARD}?days=2", headers=wang).json()
    assert body["first_response_sla"] == {"met": 2, "missed": 0, "open": 1}

    # Twenty minutes on, the P1 conversation nobody answered is past its deadline.
    later = counted(sessions, policy, utcnow() + timedelta(minutes=20), days=2)
    assert later.first_response_sla == SlaCounts(met=2, missed=1, open=0)

    # Had the P2 deadline been zero minutes, its reply came too late.
    values = copy.deepcopy(policy.values)
    values["triage"]["first_response_sla_minutes"]["P2"] = 0
    strict = counted(sessions, Policy(values), utcnow(), days=2)
    assert strict.first_response_sla == SlaCounts(met=1, missed=1, open=1)


def test_a_reply_to_an_earlier_handoff_does_not_answer_the_next_one(
    client: TestClient, rasa: RecordingRasa, sessions: sessionmaker[Session], settings: Settings
) -> None:
    wang = make_agent(sessions, "wang")
    policy = load_policy(settings.knowledge_dir)
    conversation, buyer = waiting_conversation(client, rasa, sessions)
    answered(client, wang, conversation)
    client.post(f"{AGENT}/conversations/{conversation}/resolve", headers=wang)
    rasa.down = True  # the buyer comes back and the bot is down again: a second handoff
    again = client.post(
        f"/api/v1/conversations/{conversation}/messages",
        json={"text": "还在吗", "client_message_id": "again"},
        headers=buyer,
    )
    assert again.json()["status"] == "waiting_agent", again.text

    body = client.get(f"{DASHBOARD}?days=2", headers=wang).json()
    # Two handoffs: the first answered in time, the second not answered yet.
    assert body["first_response_sla"] == {"met": 1, "missed": 0, "open": 1}
    assert body["handoff_reasons"] == {"rasa_unreachable": 2}
    assert (body["conversations"], body["contained"]) == (1, 0)

    # Past the second handoff's P3 deadline (240 minutes), still without a reply of its own.
    later = counted(sessions, policy, utcnow() + timedelta(minutes=241), days=2)
    assert later.first_response_sla == SlaCounts(met=1, missed=1, open=0)


def test_a_handoff_answered_in_time_then_resolved_still_counts_as_met(
    client: TestClient, rasa: RecordingRasa, sessions: sessionmaker[Session], settings: Settings
) -> None:
    wang = make_agent(sessions, "wang")
    policy = load_policy(settings.knowledge_dir)
    conversation, _ = waiting_conversation(client, rasa, sessions)  # P3: 240 minutes
    answered(client, wang, conversation)
    back = client.post(f"{AGENT}/conversations/{conversation}/resolve", headers=wang)
    assert back.json()["status"] == "bot"  # waiting_since cleared: only the events remember

    body = client.get(f"{DASHBOARD}?days=2", headers=wang).json()
    assert body["first_response_sla"] == {"met": 1, "missed": 0, "open": 0}
    # Answered, so it stays met once the deadline has long passed.
    later = counted(sessions, policy, utcnow() + timedelta(hours=5), days=2)
    assert later.first_response_sla == SlaCounts(met=1, missed=0, open=0)


def test_a_handoff_answered_late_then_resolved_counts_as_missed(
    client: TestClient, rasa: RecordingRasa, sessions: sessionmaker[Session]
) -> None:
    wang = make_agent(sessions, "wang")
    conversation, _ = waiting_conversation(client, rasa, sessions)  # P3: 240 minutes
    handed_off_ago(sessions, conversation, timedelta(minutes=241))
    answered(client, wang, conversation)
    back = client.post(f"{AGENT}/conversations/{conversation}/resolve", headers=wang)
    assert back.json()["status"] == "bot"

    body = client.get(f"{DASHBOARD}?days=2", headers=wang).json()
    assert body["first_response_sla"] == {"met": 0, "missed": 1, "open": 0}
    assert body["handoff_reasons"] == {"rasa_unreachable": 1}


def test_an_internal_note_does_not_answer_a_handoff(
    client: TestClient, rasa: RecordingRasa, sessions: sessionmaker[Session], settings: Settings
) -> None:
    wang = make_agent(sessions, "wang")
    policy = load_policy(settings.knowledge_dir)
    conversation, _ = waiting_conversation(client, rasa, sessions)  # P3: 240 minutes
    base = f"{AGENT}/conversations/{conversation}"
    assert client.post(f"{base}/claim", headers=wang).status_code == 200
    note = client.post(f"{base}/notes", json={"text": "老客户"}, headers=wang)
    assert note.status_code == 200, note.text

    body = client.get(f"{DASHBOARD}?days=2", headers=wang).json()
    assert body["first_response_sla"] == {"met": 0, "missed": 0, "open": 1}
    later = counted(sessions, policy, utcnow() + timedelta(minutes=241), days=2)
    assert later.first_response_sla == SlaCounts(met=0, missed=1, open=0)
