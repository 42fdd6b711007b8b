"""The agent console's API through TestClient: auth, claiming, replies, notes, transfer, resolve,
the conversation view and the live streams."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.enums import Priority
from bot.rasa_client import BotReply, RasaUnavailable
from bot.services.conversations import hand_off
from bot.store.models import Agent, ConversationEvent
from bot.store.session import session_scope
from tests.agent_fixtures import (
    add_complaint,
    make_agent,
    next_event,
    sse_events,
    token_of,
    waiting_conversation,
)
from tests.api.conftest import SHOP, RecordingRasa, buyer_headers, new_conversation

AGENT = "/api/v1/agent"

ROUTES = [
    ("POST", "/presence", {"online": True}),
    ("GET", "/queue", None),
    ("GET", "/conversations?box=mine", None),
    ("GET", "/conversations/{id}", None),
    ("POST", "/conversations/{id}/claim", None),
    ("POST", "/conversations/{id}/reply", {"text": "您好"}),
    ("POST", "/conversations/{id}/notes", {"text": "老客户"}),
    ("POST", "/conversations/{id}/typing", None),
    ("POST", "/conversations/{id}/transfer", {"agent": "li"}),
    ("POST", "/conversations/{id}/resolve", None),
    ("GET", "/canned-replies", None),
]


def claimed_by_wang(
    client: TestClient, rasa: RecordingRasa, sessions: sessionmaker[Session]
) -> tuple[dict[str, str], str, dict[str, str], str]:
    """Agent wang's headers, a conversation he has claimed, its buyer's headers, its agent URL."""
    wang = make_agent(sessions, "wang")
    conversation, buyer = waiting_conversation(client, rasa, sessions)
    base = f"{AGENT}/conversations/{conversation}"
    client.post(f"{base}/claim", headers=wang)
    return wang, conversation, buyer, base


@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
def test_every_agent_route_refuses_no_token_a_buyer_token_and_the_shop_key(
    client: TestClient,
    rasa: RecordingRasa,
    sessions: sessionmaker[Session],
    method: str,
    path: str,
    body: dict[str, object] | None,
) -> None:
    conversation, buyer = waiting_conversation(client, rasa, sessions)
    url = AGENT + path.format(id=conversation)
    for headers in ({}, buyer, SHOP, {"Authorization": "Bearer not-an-agent"}):
        response = client.request(method, url, json=body, headers=headers)
        assert response.status_code == 401, (headers, response.text)


def test_presence_is_stored_and_echoed(client: TestClient, sessions: sessionmaker[Session]) -> None:
    wang = make_agent(sessions, "wang")
    assert client.post(f"{AGENT}/presence", json={"online": True}, headers=wang).json() == {
        "online": True
    }
    with session_scope(sessions) as session:
        agent = session.scalars(select(Agent).where(Agent.name == "wang")).one()
        assert agent.online is True
        assert agent.last_seen_at is not None
    off = client.post(f"{AGENT}/presence", json={"online": False}, headers=wang)
    assert off.json() == {"online": False}
    assert client.post(f"{AGENT}/presence", json={}, headers=wang).status_code == 422


def test_queue_puts_urgent_first_and_shows_the_complaint_and_last_words(
    client: TestClient, rasa: RecordingRasa, sessions: sessionmaker[Session]
) -> None:
    wang = make_agent(sessions, "wang")
    calm, _ = waiting_conversation(client, rasa, sessions, text="人工客服在吗")
    fire, _ = waiting_conversation(
        client, rasa, sessions, buyer="b1002", text="充电宝冒烟了！！" * 10, priority=Priority.P1
    )
    add_complaint(sessions, fire, "safety", "P1")
    queue = client.get(f"{AGENT}/queue", headers=wang).json()
    assert [entry["conversation_id"] for entry in queue] == [fire, calm]
    first, second = queue
    assert first["priority"] == "P1"
    assert first["category"] == "safety"
    assert first["position"] == 1
    assert first["last_buyer_text"] == ("充电宝冒烟了！！" * 10)[:80]
    assert first["buyer_id"] == "b1002"
    assert second["priority"] == "P3"
    assert second["category"] is None
    assert second["reason"] == "rasa_unreachable"
    assert second["position"] == 2
    assert "T" in second["sla_due_at"]


def test_claim_then_a_second_agent_gets_409_and_unknown_is_404(
    client: TestClient, rasa: RecordingRasa, sessions: sessionmaker[Session]
) -> None:
    wang, li = make_agent(sessions, "wang"), make_agent(sessions, "li")
    conversation, buyer = waiting_conversation(client, rasa, sessions)
    claimed = client.post(f"{AGENT}/conversations/{conversation}/claim", headers=wang)
    assert claimed.status_code == 200
    assert claimed.json()["status"] == "with_agent"
    assert claimed.json()["agent"] == "wang"
    again = client.post(f"{AGENT}/conversations/{conversation}/claim", headers=li)
    assert again.status_code == 409
    assert again.json() == {"detail": "已被其他客服接入 / already claimed"}
    assert client.post(f"{AGENT}/conversations/nope/claim", headers=li).status_code == 404
    assert (
        client.get(f"/api/v1/conversations/{conversation}", headers=buyer).json()["status"]
        == "with_agent"
    )
    with session_scope(sessions) as session:
        reasons = session.scalars(
            select(ConversationEvent.reason).where(
                ConversationEvent.conversation_id == conversation
            )
        ).all()
    assert "claimed:wang" in reasons
    mine = client.get(f"{AGENT}/conversations?box=mine", headers=wang).json()
    assert [c["id"] for c in mine] == [conversation]
    assert client.get(f"{AGENT}/conversations?box=mine", headers=li).json() == []
    assert client.get(f"{AGENT}/conversations?box=other", headers=li).status_code == 422


def test_only_the_holder_may_reply_note_transfer_or_resolve(
    client: TestClient, rasa: RecordingRasa, sessions: sessionmaker[Session]
) -> None:
    wang, li = make_agent(sessions, "wang"), make_agent(sessions, "li")
    conversation, _ = waiting_conversation(client, rasa, sessions)
    base = f"{AGENT}/conversations/{conversation}"
    actions = [
        ("reply", {"text": "您好"}),
        ("notes", {"text": "备注"}),
        ("typing", None),
        ("transfer", {"agent": "li"}),
        ("resolve", None),
    ]
    for action, body in actions:  # not claimed by anyone yet
        assert client.post(f"{base}/{action}", json=body, headers=wang).status_code == 403
    client.post(f"{base}/claim", headers=wang)
    for action, body in actions:  # another agent's conversation
        assert client.post(f"{base}/{action}", json=body, headers=li).status_code == 403
    for action, body in actions:
        url = f"{AGENT}/conversations/missing/{action}"
        assert client.post(url, json=body, headers=wang).status_code == 404


def test_bad_bodies_are_422(
    client: TestClient, rasa: RecordingRasa, sessions: sessionmaker[Session]
) -> None:
    wang, _conversation, _, base = claimed_by_wang(client, rasa, sessions)
    for body in ({"text": ""}, {"text": "   "}, {"text": "长" * 2001}, {"text": "x", "y": 1}, {}):
        assert client.post(f"{base}/reply", json=body, headers=wang).status_code == 422
        assert client.post(f"{base}/notes", json=body, headers=wang).status_code == 422
    assert client.post(f"{base}/transfer", json={"agent": ""}, headers=wang).status_code == 422
    assert client.post(f"{base}/reply", json={"text": "长" * 2000}, headers=wang).status_code == 200


def test_agent_reply_reaches_the_buyer_and_notes_never_do(
    client: TestClient, rasa: RecordingRasa, sessions: sessionmaker[Session]
) -> None:
    wang, conversation, buyer, base = claimed_by_wang(client, rasa, sessions)
    reply = client.post(f"{base}/reply", json={"text": "您好，我是小王"}, headers=wang)
    assert reply.status_code == 200
    assert reply.json()["sender"] == "agent"
    assert reply.json()["agent_name"] == "客服wang"
    note = client.post(f"{base}/notes", json={"text": "内部：此买家是VIP"}, headers=wang)
    assert note.json()["internal"] is True
    history = client.get(f"/api/v1/conversations/{conversation}/messages", headers=buyer).json()
    texts = [m["text"] for m in history["messages"]]
    assert "您好，我是小王" in texts
    assert "内部：此买家是VIP" not in texts
    assert not any(m["internal"] for m in history["messages"])
    view = client.get(base, headers=wang).json()
    notes = [m for m in view["messages"] if m["internal"]]
    assert [m["text"] for m in notes] == ["内部：此买家是VIP"]
    assert notes[0]["agent_name"] == "客服wang"
    assert view["conversation"]["agent"] == "wang"
    # The buyer's later messages go to the agent, not to Rasa, and get no "still waiting".
    calls = len(rasa.calls)
    turn = client.post(
        f"/api/v1/conversations/{conversation}/messages",
        json={"text": "好的谢谢", "client_message_id": "later"},
        headers=buyer,
    ).json()
    assert turn["messages"] == []
    assert len(rasa.calls) == calls


def test_transfer_hands_the_conversation_to_another_agent(
    client: TestClient, rasa: RecordingRasa, sessions: sessionmaker[Session]
) -> None:
    wang, li = make_agent(sessions, "wang"), make_agent(sessions, "li")
    conversation, _ = waiting_conversation(client, rasa, sessions)
    base = f"{AGENT}/conversations/{conversation}"
    client.post(f"{base}/claim", headers=wang)
    nobody = client.post(f"{base}/transfer", json={"agent": "zhao"}, headers=wang)
    assert nobody.status_code == 404
    moved = client.post(f"{base}/transfer", json={"agent": "li"}, headers=wang)
    assert moved.status_code == 200
    assert moved.json()["agent"] == "li"
    assert moved.json()["status"] == "with_agent"
    assert client.post(f"{base}/reply", json={"text": "x"}, headers=wang).status_code == 403
    assert client.post(f"{base}/reply", json={"text": "我是小李"}, headers=li).status_code == 200
    with session_scope(sessions) as session:
        reasons = session.scalars(select(ConversationEvent.reason)).all()
    assert "transfer:wang->li" in reasons


def test_resolve_resumes_rasa_and_the_bot_greets_the_buyer_back(
    client: TestClient, rasa: RecordingRasa, sessions: sessionmaker[Session]
) -> None:
    wang, conversation, buyer, base = claimed_by_wang(client, rasa, sessions)
    resolved = client.post(f"{base}/resolve", headers=wang)
    assert resolved.status_code == 200
    assert resolved.json()["status"] == "bot"
    assert resolved.json()["agent"] is None
    assert rasa.calls[-1] == (conversation, "<resume>")
    history = client.get(f"/api/v1/conversations/{conversation}/messages", headers=buyer).json()
    assert history["status"] == "bot"
    assert history["messages"][-1]["sender"] == "bot"
    assert "客服已经处理完啦" in history["messages"][-1]["text"]
    with session_scope(sessions) as session:
        statuses = session.scalars(
            select(ConversationEvent.to_status)
            .where(ConversationEvent.conversation_id == conversation)
            .order_by(ConversationEvent.id)
        ).all()
    assert statuses[-3:] == ["with_agent", "resolved", "bot"]
    done = client.get(f"{AGENT}/conversations?box=resolved", headers=wang).json()
    assert [c["id"] for c in done] == [conversation]
    assert client.get(f"{AGENT}/conversations?box=mine", headers=wang).json() == []
    # Back with the bot: the next message goes to Rasa again.
    client.post(
        f"/api/v1/conversations/{conversation}/messages",
        json={"text": "再问个问题", "client_message_id": "after"},
        headers=buyer,
    )
    assert rasa.calls[-1] == (conversation, "再问个问题")


class ResumeFails(RecordingRasa):
    def resume(self, sender_id: str) -> None:
        raise RasaUnavailable("connection refused")


def test_a_failed_rasa_resume_never_loses_the_resolve(
    client: TestClient, rasa: RecordingRasa, sessions: sessionmaker[Session]
) -> None:
    wang = make_agent(sessions, "wang")
    conversation, buyer = waiting_conversation(client, rasa, sessions)
    client.app.state.rasa = ResumeFails()  # type: ignore[attr-defined]
    base = f"{AGENT}/conversations/{conversation}"
    client.post(f"{base}/claim", headers=wang)
    assert client.post(f"{base}/resolve", headers=wang).status_code == 200
    state = client.get(f"/api/v1/conversations/{conversation}", headers=buyer).json()
    assert state["status"] == "bot"


def test_conversation_view_has_orders_tickets_and_triage(
    client: TestClient, rasa: RecordingRasa, seeded: sessionmaker[Session]
) -> None:
    wang = make_agent(seeded, "wang")
    conversation, _ = waiting_conversation(client, rasa, seeded, priority=Priority.P1)
    add_complaint(seeded, conversation, "delivery", "P2")
    add_complaint(seeded, conversation, "safety", "P1")
    view = client.get(f"{AGENT}/conversations/{conversation}", headers=wang)
    assert view.status_code == 200
    body = view.json()
    assert body["conversation"]["status"] == "waiting_agent"
    assert body["conversation"]["priority"] == "P1"
    assert body["triage"] == {
        "category": "safety",
        "priority": "P1",
        "reasons": {"signals": ["safety"]},
    }
    assert [m["sender"] for m in body["messages"]] == ["buyer", "system"]
    assert body["orders"], "b1001 has seeded orders"
    assert {"order_id", "status", "summary", "total_fen"} <= set(body["orders"][0])
    assert {t["category"] for t in body["tickets"]} >= {"safety", "delivery"}
    assert client.get(f"{AGENT}/conversations/missing", headers=wang).status_code == 404


def test_an_anonymous_conversation_has_no_orders_and_no_triage(
    client: TestClient, rasa: RecordingRasa, sessions: sessionmaker[Session]
) -> None:
    wang = make_agent(sessions, "wang")
    conversation, _ = waiting_conversation(client, rasa, sessions, buyer=None)
    body = client.get(f"{AGENT}/conversations/{conversation}", headers=wang).json()
    assert body["orders"] == []
    assert body["triage"] is None
    assert body["conversation"]["buyer_id"] is None


def test_canned_replies_have_policy_numbers_filled_in(
    client: TestClient, sessions: sessionmaker[Session]
) -> None:
    wang = make_agent(sessions, "wang")
    replies = client.get(f"{AGENT}/canned-replies", headers=wang).json()
    assert replies
    assert all(set(reply) == {"title", "text"} for reply in replies)
    assert not any("{" in reply["text"] for reply in replies)
    assert any("7天" in reply["text"] for reply in replies)


def test_agent_stream_hears_buyer_messages_and_new_waiting_conversations(
    client: TestClient, rasa: RecordingRasa, sessions: sessionmaker[Session]
) -> None:
    wang = make_agent(sessions, "wang")
    with sse_events(client, f"{AGENT}/events?token={token_of(wang)}") as events:
        conversation, _ = waiting_conversation(client, rasa, sessions, text="在吗在吗")
        message = next_event(events, "message")
        assert message["conversation_id"] == conversation
        assert message["message"]["sender"] == "buyer"
        assert message["message"]["text"] == "在吗在吗"
        queued = next_event(events, "queue")
        assert queued["conversation_id"] == conversation
        assert queued["change"] == "waiting"


def test_agent_stream_needs_an_agent_token(
    client: TestClient, sessions: sessionmaker[Session]
) -> None:
    buyer = buyer_headers(client, "b1001")
    assert client.get(f"{AGENT}/events").status_code == 401
    assert client.get(f"{AGENT}/events?token={token_of(buyer)}").status_code == 401
    assert client.get(f"{AGENT}/events?token=test-shop-key").status_code == 401


def test_buyer_stream_hears_the_claim_and_the_agent_reply_but_no_notes(
    client: TestClient, rasa: RecordingRasa, sessions: sessionmaker[Session]
) -> None:
    wang = make_agent(sessions, "wang")
    conversation, buyer = waiting_conversation(client, rasa, sessions)
    base = f"{AGENT}/conversations/{conversation}"
    url = f"/api/v1/conversations/{conversation}/events?token={token_of(buyer)}"
    with sse_events(client, url) as events:
        client.post(f"{base}/claim", headers=wang)
        status = next_event(events, "status")
        assert status == {
            "type": "status",
            "conversation_id": conversation,
            "status": "with_agent",
            "agent_name": "客服wang",
        }
        client.post(f"{base}/notes", json={"text": "内部备注"}, headers=wang)
        client.post(f"{base}/reply", json={"text": "您好"}, headers=wang)
        message = next_event(events, "message")
        assert message["message"]["text"] == "您好"
        assert message["message"]["agent_name"] == "客服wang"
        client.post(f"{base}/resolve", headers=wang)
        assert next_event(events, "status")["status"] == "bot"
        greeting = next_event(events, "message")
        assert greeting["message"]["sender"] == "bot"


def test_the_buyer_sees_the_holding_agent_typing_and_nothing_is_stored(
    client: TestClient, rasa: RecordingRasa, sessions: sessionmaker[Session]
) -> None:
    wang, conversation, buyer, base = claimed_by_wang(client, rasa, sessions)
    before = client.get(base, headers=wang).json()["messages"]
    url = f"/api/v1/conversations/{conversation}/events?token={token_of(buyer)}"
    with sse_events(client, url) as events:
        typing = client.post(f"{base}/typing", headers=wang)
        assert typing.status_code == 204
        assert next_event(events, "typing") == {
            "type": "typing",
            "conversation_id": conversation,
            "agent_name": "客服wang",
        }
    assert client.get(base, headers=wang).json()["messages"] == before
    # The agents' own stream carries no typing events: only the buyer's topic does.
    with sse_events(client, f"{AGENT}/events?token={token_of(wang)}") as agent_events:
        client.post(f"{base}/typing", headers=wang)
        client.post(f"{base}/notes", json={"text": "记一下"}, headers=wang)
        heard = [agent_events.get(timeout=5)]
        while heard[-1]["type"] != "message":
            heard.append(agent_events.get(timeout=5))
    assert heard[-1]["message"]["text"] == "记一下"
    assert "typing" not in [e["type"] for e in heard]


def test_buyer_stream_of_someone_elses_conversation_is_404(
    client: TestClient, rasa: RecordingRasa, sessions: sessionmaker[Session]
) -> None:
    owner = buyer_headers(client, "b1001")
    conversation = new_conversation(client, owner)
    other = buyer_headers(client, "b1002")
    url = f"/api/v1/conversations/{conversation}/events?token="
    assert client.get(url + token_of(other)).status_code == 404
    assert client.get(url + "forged.token").status_code == 401
    assert (
        client.get(f"/api/v1/conversations/missing/events?token={token_of(owner)}").status_code
        == 404
    )


def test_a_waiting_buyer_gets_one_acknowledgement_per_interval_with_queue_and_wait(
    client: TestClient, rasa: RecordingRasa, sessions: sessionmaker[Session]
) -> None:
    wang = make_agent(sessions, "wang")
    client.post(f"{AGENT}/presence", json={"online": True}, headers=wang)
    waiting_conversation(client, rasa, sessions, buyer="b1002")
    conversation, buyer = waiting_conversation(client, rasa, sessions)
    url = f"/api/v1/conversations/{conversation}/messages"
    first = client.post(url, json={"text": "还要等多久", "client_message_id": "w1"}, headers=buyer)
    (ack,) = first.json()["messages"]
    assert ack["sender"] == "system"
    assert "前面还有1位" in ack["text"]
    assert "4分钟" in ack["text"]  # 1 ahead x 4 minutes / 1 agent online
    second = client.post(url, json={"text": "人呢", "client_message_id": "w2"}, headers=buyer)
    assert second.json()["messages"] == []
    assert len(rasa.calls) == 2  # only the two first messages, while Rasa was "down"


class HandsOffLikeTheActionServer(RecordingRasa):
    """Rasa whose action server queues the conversation (in its own session) while answering."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        super().__init__()
        self.sessions = sessions

    def send(self, sender_id: str, text: str) -> list[BotReply]:
        with session_scope(self.sessions) as session:
            hand_off(session, sender_id, "request_human", Priority.P2)
        super().send(sender_id, text)
        return [BotReply("好的，正在为您转接人工客服～")]


def test_a_handoff_by_the_action_server_reaches_the_agents_stream(
    client: TestClient, sessions: sessionmaker[Session]
) -> None:
    wang = make_agent(sessions, "wang")
    client.app.state.rasa = HandsOffLikeTheActionServer(sessions)  # type: ignore[attr-defined]
    buyer = buyer_headers(client, "b1001")
    conversation = new_conversation(client, buyer)
    with sse_events(client, f"{AGENT}/events?token={token_of(wang)}") as events:
        turn = client.post(
            f"/api/v1/conversations/{conversation}/messages",
            json={"text": "转人工", "client_message_id": "h1"},
            headers=buyer,
        )
        assert turn.json()["status"] == "waiting_agent"
        queued = next_event(events, "queue")
        assert queued == {
            "type": "queue",
            "change": "waiting",
            "conversation_id": conversation,
            "status": "waiting_agent",
            "priority": "P2",
        }
    queue = client.get(f"{AGENT}/queue", headers=wang).json()
    assert [entry["conversation_id"] for entry in queue] == [conversation]
