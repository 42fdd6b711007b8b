"""Buyer sessions and conversations: auth, ownership, storage first, idempotent retries."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.rasa_client import BotReply
from bot.store.models import Message
from bot.store.session import session_scope
from tests.api.conftest import RecordingRasa, buyer_headers, new_conversation


def test_signed_buyer_and_anonymous_sessions(client: TestClient) -> None:
    assert "Authorization" in buyer_headers(client, "b1001")
    assert "Authorization" in buyer_headers(client, None)


def test_bad_signatures_get_no_session(client: TestClient) -> None:
    wrong = client.post("/api/v1/sessions", json={"buyer_id": "b1001", "signature": "0" * 64})
    assert wrong.status_code == 401
    half = client.post("/api/v1/sessions", json={"buyer_id": "b1001"})
    assert half.status_code == 422
    junk = client.post("/api/v1/sessions", json={"buyer_id": "b1001", "signature": "<script>"})
    assert junk.status_code == 422


def test_buyer_routes_need_a_valid_token(client: TestClient) -> None:
    assert client.post("/api/v1/conversations").status_code == 401
    bad = {"Authorization": "Bearer forged.token"}
    assert client.post("/api/v1/conversations", headers=bad).status_code == 401


def test_message_is_forwarded_with_the_conversation_id_and_replies_kept(
    client: TestClient, rasa: RecordingRasa
) -> None:
    rasa.replies = [
        BotReply("您想查哪个订单？", {"buttons": [{"title": "充电宝", "payload": "/inform"}]}),
        BotReply("", {"custom": {"handoff": True}}),
    ]
    headers = buyer_headers(client, "b1001")
    conversation = new_conversation(client, headers)
    url = f"/api/v1/conversations/{conversation}/messages"
    turn = client.post(
        url, json={"text": "我的快递到哪了", "client_message_id": "m1"}, headers=headers
    )
    assert turn.status_code == 200
    body = turn.json()
    assert rasa.calls == [(conversation, "我的快递到哪了")]
    assert body["status"] == "bot"
    assert body["messages"][0]["buttons"] == [{"title": "充电宝", "payload": "/inform"}]
    assert body["messages"][1]["custom"] == {"handoff": True}
    history = client.get(url, headers=headers).json()["messages"]
    assert [m["sender"] for m in history] == ["buyer", "bot", "bot"]


def test_a_retried_message_returns_the_same_replies_without_a_second_rasa_call(
    client: TestClient, rasa: RecordingRasa
) -> None:
    headers = buyer_headers(client, "b1001")
    url = f"/api/v1/conversations/{new_conversation(client, headers)}/messages"
    message = {"text": "在吗", "client_message_id": "retry-1"}
    first = client.post(url, json=message, headers=headers).json()
    second = client.post(url, json=message, headers=headers).json()
    assert len(rasa.calls) == 1
    assert second["repeated"] is True
    assert second["messages"] == first["messages"]
    assert len(client.get(url, headers=headers).json()["messages"]) == 2
    reused = client.post(
        url, json={"text": "别的话", "client_message_id": "retry-1"}, headers=headers
    )
    assert reused.status_code == 409


def test_rasa_down_keeps_the_message_apologises_and_queues_for_a_person(
    client: TestClient, rasa: RecordingRasa, sessions: sessionmaker[Session]
) -> None:
    rasa.down = True
    headers = buyer_headers(client, "b1001")
    conversation = new_conversation(client, headers)
    url = f"/api/v1/conversations/{conversation}/messages"
    turn = client.post(url, json={"text": "退款呢", "client_message_id": "x1"}, headers=headers)
    assert turn.status_code == 200
    body = turn.json()
    assert body["status"] == "waiting_agent"
    assert "人工" in body["messages"][0]["text"]
    with session_scope(sessions) as session:
        texts = session.scalars(select(Message.text).where(Message.sender == "buyer")).all()
        assert texts == ["退款呢"]
    state = client.get(f"/api/v1/conversations/{conversation}", headers=headers).json()
    assert state["handoff_reason"] == "rasa_unreachable"
    # While a person is awaited, later messages are stored and not sent to Rasa; the buyer
    # hears only a short "still waiting" acknowledgement from the system.
    rasa.down = False
    later = client.post(url, json={"text": "还在吗", "client_message_id": "x2"}, headers=headers)
    assert later.json()["status"] == "waiting_agent"
    assert [m["sender"] for m in later.json()["messages"]] == ["system"]
    assert [text for _, text in rasa.calls] == ["退款呢"]


def test_other_peoples_conversations_look_missing(client: TestClient) -> None:
    owner = buyer_headers(client, "b1001")
    conversation = new_conversation(client, owner)
    for intruder in (buyer_headers(client, "b1002"), buyer_headers(client, None)):
        assert (
            client.get(f"/api/v1/conversations/{conversation}", headers=intruder).status_code == 404
        )
        url = f"/api/v1/conversations/{conversation}/messages"
        assert client.get(url, headers=intruder).status_code == 404
        sent = client.post(url, json={"text": "hi", "client_message_id": "a"}, headers=intruder)
        assert sent.status_code == 404
    assert client.get("/api/v1/conversations/nope", headers=owner).status_code == 404


def test_bad_message_bodies_are_rejected_and_nothing_stored(
    client: TestClient, rasa: RecordingRasa
) -> None:
    headers = buyer_headers(client, "b1001")
    url = f"/api/v1/conversations/{new_conversation(client, headers)}/messages"
    for body in (
        {"text": "", "client_message_id": "a"},
        {"text": "   ", "client_message_id": "a"},
        {"text": "x" * 2001, "client_message_id": "a"},
        {"text": 42, "client_message_id": "a"},
        {"text": "hi"},
        {"text": "hi", "client_message_id": "<script>"},
    ):
        assert client.post(url, json=body, headers=headers).status_code == 422, body
    assert client.post(url, content=b"{not json", headers=headers).status_code == 422
    assert rasa.calls == []
    assert client.get(url, headers=headers).json()["messages"] == []


def test_hostile_buyer_text_is_stored_verbatim(client: TestClient) -> None:
    headers = buyer_headers(client, "b1001")
    url = f"/api/v1/conversations/{new_conversation(client, headers)}/messages"
    text = "<img src=x onerror=alert(1)>'; DELETE FROM messages;--"
    client.post(url, json={"text": text, "client_message_id": "h"}, headers=headers)
    assert client.get(url, headers=headers).json()["messages"][0]["text"] == text


def test_silence_from_rasa_is_an_action_error_and_goes_to_a_person(
    client: TestClient, rasa: RecordingRasa
) -> None:
    rasa.replies = []
    headers = buyer_headers(client, "b1001")
    conversation = new_conversation(client, headers)
    url = f"/api/v1/conversations/{conversation}/messages"
    turn = client.post(url, json={"text": "查订单", "client_message_id": "s1"}, headers=headers)
    body = turn.json()
    assert body["status"] == "waiting_agent"
    assert body["messages"][0]["sender"] == "system" and "人工" in body["messages"][0]["text"]
    state = client.get(f"/api/v1/conversations/{conversation}", headers=headers).json()
    assert state["handoff_reason"] == "bot_error"


def test_a_button_press_is_stored_as_its_title_and_rasa_gets_the_payload(
    client: TestClient, rasa: RecordingRasa
) -> None:
    headers = buyer_headers(client, "b1001")
    conversation = new_conversation(client, headers)
    payload = '/inform{"order_id": "2026110100000000033"}'
    response = client.post(
        f"/api/v1/conversations/{conversation}/messages",
        json={"text": "20000毫安充电宝", "client_message_id": "press-1", "payload": payload},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    assert rasa.calls == [(conversation, payload)]
    history = client.get(f"/api/v1/conversations/{conversation}/messages", headers=headers)
    [pressed] = [m for m in history.json()["messages"] if m["sender"] == "buyer"]
    assert pressed["text"] == "20000毫安充电宝"
    assert pressed["button_payload"] == payload


def test_a_faq_topic_picked_from_the_offered_questions_reaches_rasa(
    client: TestClient, rasa: RecordingRasa
) -> None:
    headers = buyer_headers(client, "b1001")
    conversation = new_conversation(client, headers)
    payload = '/faq{"faq_topic": "refund_time"}'
    response = client.post(
        f"/api/v1/conversations/{conversation}/messages",
        json={"text": "退款多久到账", "client_message_id": "faq-pick", "payload": payload},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    assert rasa.calls == [(conversation, payload)]


def test_a_payload_that_is_not_a_quick_reply_is_refused(
    client: TestClient, rasa: RecordingRasa
) -> None:
    headers = buyer_headers(client, "b1001")
    conversation = new_conversation(client, headers)
    bad = ["inform", "/inform{" + "x" * 600 + "}", "/Inform", "/restart", "/faq", '/faq{"x": 1}']
    for payload in bad:
        response = client.post(
            f"/api/v1/conversations/{conversation}/messages",
            json={"text": "好的", "client_message_id": "bad-payload", "payload": payload},
            headers=headers,
        )
        assert response.status_code == 422, payload
    assert rasa.calls == []


def test_history_after_an_id_returns_only_the_missed_messages(
    client: TestClient, rasa: RecordingRasa
) -> None:
    headers = buyer_headers(client, "b1001")
    url = f"/api/v1/conversations/{new_conversation(client, headers)}/messages"
    rasa.replies = [BotReply("第一句")]
    client.post(url, json={"text": "你好", "client_message_id": "h1"}, headers=headers)
    seen = client.get(url, headers=headers).json()["messages"][-1]["id"]
    rasa.replies = [BotReply("第二句")]
    client.post(url, json={"text": "在吗", "client_message_id": "h2"}, headers=headers)
    missed = client.get(url, params={"after": seen}, headers=headers).json()["messages"]
    assert [m["text"] for m in missed] == ["在吗", "第二句"]
    assert client.get(url, params={"after": -1}, headers=headers).status_code == 422


def test_the_same_bot_reply_is_never_sent_twice_in_a_row(
    client: TestClient, rasa: RecordingRasa
) -> None:
    headers = buyer_headers(client, "b1001")
    url = f"/api/v1/conversations/{new_conversation(client, headers)}/messages"
    rasa.replies = [BotReply("抱歉，我没太看懂您的意思。")]
    first = client.post(url, json={"text": "啊啊", "client_message_id": "r1"}, headers=headers)
    second = client.post(url, json={"text": "啊啊啊", "client_message_id": "r2"}, headers=headers)
    [one], [two] = first.json()["messages"], second.json()["messages"]
    assert one["text"] == "抱歉，我没太看懂您的意思。"
    assert two["text"] != one["text"]
    assert any(button["payload"] == "/request_human" for button in two["buttons"])


@pytest.mark.parametrize(
    ("payload", "accepted"),
    [
        ("/request_invoice", True),
        ("/urge_shipment", True),
        ('/request_invoice{"x": 1}', False),  # a service button carries nothing
        ("/restart", False),
        ("/cancel_order", True),  # offered beside a bare 拍错了
        ('/cancel_order{"order_id": "2026110100000000011"}', False),
        ("/session_start", False),
    ],
)
def test_only_the_bots_own_button_payloads_are_accepted(
    client: TestClient, rasa: RecordingRasa, payload: str, accepted: bool
) -> None:
    headers = buyer_headers(client, "b1001")
    conversation = new_conversation(client, headers)
    response = client.post(
        f"/api/v1/conversations/{conversation}/messages",
        json={"text": "帮我开发票", "client_message_id": "svc", "payload": payload},
        headers=headers,
    )
    assert (response.status_code == 200) is accepted
    assert (rasa.calls == [(conversation, payload)]) is accepted
