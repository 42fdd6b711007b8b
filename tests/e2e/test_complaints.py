"""Complaints through the API against the real model: triage, ticket, handoff or promise."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import httpx
import pytest

from bot.security import hash_agent_token
from bot.store.models import Agent
from bot.store.session import create_db_engine, make_session_factory, session_scope
from tests.conftest import LiveProduct
from tests.e2e.chat import Chat, texts

pytestmark = pytest.mark.integration


def complaint_tickets(product: LiveProduct) -> list[dict[str, object]]:
    response = httpx.get(
        f"{product.api}/api/v1/tickets",
        params={"kind": "complaint"},
        headers={"X-Shop-Key": product.shop_key},
    )
    assert response.status_code == 200, response.text
    return list(response.json())


def live_agent(product: LiveProduct, name: str) -> httpx.Client:
    """An agent created as the CLI does (only the token's hash is stored), signed in."""
    token = f"e2e-token-{name}"
    factory = make_session_factory(create_db_engine(product.db_url))
    with session_scope(factory) as session:
        session.add(Agent(name=name, display_name="小美", token_hash=hash_agent_token(token)))
    agent = httpx.Client(
        base_url=product.api, timeout=60, headers={"Authorization": f"Bearer {token}"}
    )
    assert agent.post("/api/v1/agent/presence", json={"online": True}).status_code == 200
    return agent


def read_events(product: LiveProduct, token: str, seen: list[dict[str, Any]]) -> None:
    """What the console sees: the agents' event stream, until the test closes it."""
    with httpx.stream(
        "GET", f"{product.api}/api/v1/agent/events", params={"token": token}, timeout=90
    ) as stream:
        for line in stream.iter_lines():
            if line.startswith("data: "):
                seen.append(json.loads(line.removeprefix("data: ")))
                if seen[-1].get("change") == "resolved":
                    return


def test_a_power_bank_on_fire_is_p1_an_agent_takes_over_and_hands_back(
    live_product: LiveProduct,
) -> None:
    agent = live_agent(live_product, "e2e-xiaomei")
    seen: list[dict[str, Any]] = []
    watcher = threading.Thread(
        target=read_events, args=(live_product, "e2e-token-e2e-xiaomei", seen), daemon=True
    )
    watcher.start()
    time.sleep(1)  # the console is listening before the buyer writes

    chat = Chat(live_product, "e2e-fire")
    turn = chat.say("你们卖的充电宝起火了，我要去12315投诉")
    assert turn["status"] == "waiting_agent"
    assert "加急" in texts(turn) and "人工" in texts(turn)
    [ticket] = [t for t in complaint_tickets(live_product) if t["conversation_id"] == chat.id]
    assert ticket["priority"] == "P1"
    assert ticket["category"] == "quality_defect"  # the power bank's own fault
    assert "安全隐患：起火" in ticket["reasons"]  # type: ignore[operator]
    assert ticket["sla_due_at"]
    # Rasa is paused: the next message waits for the person, the bot does not answer it.
    later = chat.say("人呢？")
    assert later["status"] == "waiting_agent"
    assert all(message["sender"] != "bot" for message in later["messages"])

    [entry] = [
        e for e in agent.get("/api/v1/agent/queue").json() if e["conversation_id"] == chat.id
    ]
    assert entry["priority"] == "P1" and entry["category"] == ticket["category"]
    view = agent.get(f"/api/v1/agent/conversations/{chat.id}").json()
    assert "安全隐患：起火" in view["triage"]["reasons"]
    assert agent.post(f"/api/v1/agent/conversations/{chat.id}/claim").status_code == 200
    reply = "您好，我是客服小美，请先拔掉电源，远离充电宝，我们马上为您处理。"
    assert agent.post(
        f"/api/v1/agent/conversations/{chat.id}/reply", json={"text": reply}
    ).is_success
    history = chat.http.get(f"/api/v1/conversations/{chat.id}/messages").json()["messages"]
    assert reply in [message["text"] for message in history if message["sender"] == "agent"]
    assert agent.post(f"/api/v1/agent/conversations/{chat.id}/resolve").is_success

    back = chat.say("好的谢谢")
    assert back["status"] == "bot"
    assert [message["sender"] for message in back["messages"]] == ["bot"]  # Rasa answers again

    watcher.join(timeout=30)
    changes = [event.get("change") for event in seen if event.get("conversation_id") == chat.id]
    assert "waiting" in changes and "claimed" in changes and "resolved" in changes
    print("transcript:\n" + chat.transcript())
    print("console events:", json.dumps(seen, ensure_ascii=False))


def test_a_calm_complaint_about_slow_replies_is_a_ticket_without_handoff(
    live_product: LiveProduct,
) -> None:
    chat = Chat(live_product, "e2e-calm")
    turn = chat.say("我要投诉")
    assert "发生了什么" in texts(turn)
    filed = chat.say("你们客服回复太慢了，问个问题等了好久才有人回")
    assert filed["status"] == "bot"
    assert "工单号" in texts(filed) and "转人工" in texts(filed)
    [ticket] = [t for t in complaint_tickets(live_product) if t["conversation_id"] == chat.id]
    assert ticket["priority"] in ("P3", "P4")
    assert ticket["category"] == "service_attitude"
    print("transcript:\n" + chat.transcript())
    print("ticket:", json.dumps(ticket, ensure_ascii=False))
