"""Whole conversations through the API against the real trained model and action server."""

from __future__ import annotations

import httpx
import pytest

from bot import seed
from bot.knowledge import load_faq
from bot.settings import PROJECT_ROOT
from tests.conftest import LiveProduct
from tests.e2e.chat import Chat, shop_tickets, texts
from tests.factories import order_body

pytestmark = pytest.mark.integration


def test_where_is_my_order_names_the_real_courier_and_last_event(live_product: LiveProduct) -> None:
    order_id = "2026112012340000777"
    shop = {"X-Shop-Key": live_product.shop_key}
    body = order_body(buyer={"id": "live01", "name": "陈七", "phone": "13612345678"})
    assert httpx.put(
        f"{live_product.api}/api/v1/orders/{order_id}", json=body, headers=shop
    ).is_success
    event = {
        "time": "2026-11-03T09:30:00+08:00",
        "location": "杭州市西湖区",
        "description": "快递员正在派送",
    }
    pushed = httpx.post(
        f"{live_product.api}/api/v1/orders/{order_id}/shipment-events",
        json={"events": [event]},
        headers=shop,
    )
    assert pushed.json()["added"] == 1

    reply = texts(Chat(live_product, "live01").say("查一下我的订单到哪了"))
    assert "顺丰速运" in reply
    assert "SF1234567890" in reply
    assert "快递员正在派送" in reply


def test_buyer_with_several_orders_picks_one_with_a_button(live_product: LiveProduct) -> None:
    chat = Chat(live_product, "b1001")
    turn = chat.say("我的快递到哪了")
    buttons = [button for message in turn["messages"] for button in message["buttons"]]
    assert len(buttons) >= 2
    [chosen] = [button for button in buttons if seed.IN_TRANSIT in button["payload"]]
    picked = chat.say(chosen["payload"])
    # The status and its order card, nothing else (no "did not understand").
    [answer] = [message for message in picked["messages"] if message["text"]]
    assert "顺丰速运" in answer["text"] and "快件已到达杭州转运中心" in answer["text"]
    [card] = [message["custom"] for message in picked["messages"] if message["custom"]]
    assert card["type"] == "order_card" and card["order"]["id"] == seed.IN_TRANSIT


def test_anonymous_visitor_sees_an_order_only_after_verifying(live_product: LiveProduct) -> None:
    chat = Chat(live_product, None)
    first = texts(chat.say(f"帮我查下订单{seed.IN_TRANSIT}"))
    assert "后四位" in first and "顺丰" not in first
    assert "顺丰" not in texts(chat.say("尾号0000"))
    chat = Chat(live_product, None)
    chat.say(f"帮我查下订单{seed.IN_TRANSIT}")
    assert "顺丰速运" in texts(chat.say("手机尾号1234"))


def test_policy_question_is_answered_from_knowledge(live_product: LiveProduct) -> None:
    answer = load_faq(PROJECT_ROOT / "knowledge")["return_shipping_fee"].answer
    assert texts(Chat(live_product, "b1002").say("退货的运费谁出啊")) == answer


def test_asking_for_a_person_hands_the_conversation_over(live_product: LiveProduct) -> None:
    chat = Chat(live_product, "b1003")
    turn = chat.say("转人工")
    assert turn["status"] == "waiting_agent"
    assert "人工" in texts(turn)
    later = chat.say("我等着呢")
    assert later["status"] == "waiting_agent"
    # Not silence: one short acknowledgement from the system, never a bot answer.
    assert [message["sender"] for message in later["messages"]] == ["system"]
    history = chat.http.get(f"/api/v1/conversations/{chat.id}/messages").json()["messages"]
    assert [m["text"] for m in history if m["sender"] == "buyer"] == ["转人工", "我等着呢"]


def test_full_width_digits_and_traditional_characters_are_understood(
    live_product: LiveProduct,
) -> None:
    full_width = seed.IN_TRANSIT.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    reply = texts(Chat(live_product, "b1001").say(f"訂單{full_width}到哪裡了？？？"))
    assert "顺丰速运" in reply and seed.IN_TRANSIT in reply


def test_the_service_button_beside_a_policy_answer_files_the_request(
    live_product: LiveProduct,
) -> None:
    chat = Chat(live_product, "b1001")
    asked = chat.say("帮我开发票", payload="/request_invoice")
    assert "哪个订单" in texts(asked)  # b1001 has several orders: which one
    chat.say(seed.PAID_NOT_SHIPPED)
    filed = chat.say("个人")
    assert "开票申请已经提交" in texts(filed) and "抬头：个人" in texts(filed)
    [ticket] = [
        t for t in shop_tickets(live_product, seed.PAID_NOT_SHIPPED) if t["kind"] == "invoice"
    ]
    assert ticket["details"]["title"] == "个人" and ticket["status"] == "open"
