"""After-sales conversations through the API against the real model, action server and store.

Each test pushes its own buyer's orders through the shop API, talks as that buyer, and then
checks through the shop API that the store holds exactly the tickets expected and no others.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from bot.knowledge import load_faq
from bot.settings import PROJECT_ROOT
from tests.conftest import LiveProduct
from tests.e2e.chat import Chat, buttons, put_order, shop_day, shop_order, shop_tickets, texts
from tests.factories import order_body

pytestmark = pytest.mark.integration


def delivered_order(
    buyer: str, days_ago: int, category: str = "apparel", price_fen: int = 15900
) -> dict[str, Any]:
    return order_body(
        buyer={"id": buyer, "name": "测试买家", "phone": "13712340000"},
        status="delivered",
        total_fen=price_fen,
        items=[
            {
                "sku": "SKU-1",
                "title": "测试商品",
                "quantity": 1,
                "unit_price_fen": price_fen,
                "category": category,
            }
        ],
        created_at=shop_day(days_ago + 3),
        paid_at=shop_day(days_ago + 3),
        shipped_at=shop_day(days_ago + 2),
        delivered_at=shop_day(days_ago),
    )


def unshipped_order(buyer: str, price_fen: int = 39900) -> dict[str, Any]:
    body = delivered_order(buyer, 0, "electronics", price_fen)
    body.update(status="paid", shipped_at=None, delivered_at=None, shipment=None)
    return body


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def test_no_reason_return_on_day_6_opens_a_ticket_where_the_buyer_pays_shipping(
    live_product: LiveProduct,
) -> None:
    order_id = "2026112900000006001"
    put_order(live_product, order_id, delivered_order("e2e-r6", 6))
    chat = Chat(live_product, "e2e-r6")

    asked = chat.say("我要退货")
    assert "原因" in texts(asked)
    summary = chat.say("不想要了")
    assert "退货退款" in texts(summary) and "确认" in texts(summary)
    assert shop_tickets(live_product, order_id) == []  # nothing before the buyer confirms
    done = chat.say("确认")
    assert "工单号" in texts(done)

    [ticket] = shop_tickets(live_product, order_id)
    assert ticket["kind"] == "return_refund"
    assert ticket["shipping_paid_by"] == "buyer"
    assert ticket["refund_fen"] == 15900
    assert ticket["status"] == "requested"
    assert str(ticket["id"]) in texts(done)


def test_no_reason_return_on_day_8_is_refused_with_the_reason(live_product: LiveProduct) -> None:
    order_id = "2026112900000008001"
    put_order(live_product, order_id, delivered_order("e2e-r8", 8))
    chat = Chat(live_product, "e2e-r8")

    chat.say("我要退货")
    refused = texts(chat.say("不想要了"))
    assert "超过7天" in refused and "质量问题" in refused
    assert shop_tickets(live_product, order_id) == []


def test_fresh_food_is_refused_a_no_reason_return(live_product: LiveProduct) -> None:
    order_id = "2026112900000001201"
    put_order(live_product, order_id, delivered_order("e2e-fresh", 1, "fresh_food", 59900))
    chat = Chat(live_product, "e2e-fresh")

    chat.say("我要退货")
    refused = texts(chat.say("不喜欢"))
    assert "生鲜" in refused and "不支持" in refused
    assert shop_tickets(live_product, order_id) == []


def test_broken_item_with_a_photo_opens_a_seller_paid_ticket_holding_the_photo(
    live_product: LiveProduct,
) -> None:
    order_id = "2026112900000002001"
    put_order(live_product, order_id, delivered_order("e2e-broken", 2, "home", 8900))
    chat = Chat(live_product, "e2e-broken")

    first = chat.say("收到的杯子碎了")
    assert {"退货退款", "换货"} <= {b["title"] for b in buttons(first)}
    photos = chat.say("换货")
    assert "照片" in texts(photos)
    uploaded = chat.upload_png(png())
    summary = chat.say("传好了")
    assert "来回运费由我们承担" in texts(summary)
    done = chat.say("确认")
    assert "工单号" in texts(done)

    [ticket] = shop_tickets(live_product, order_id)
    assert ticket["kind"] == "exchange"
    assert ticket["shipping_paid_by"] == "seller"
    assert ticket["reason_code"] == "damaged"
    assert ticket["attachment_ids"] == [uploaded["id"]]


def test_cancelling_an_unshipped_order_cancels_it_and_opens_a_refund(
    live_product: LiveProduct,
) -> None:
    order_id = "2026112900000003001"
    put_order(live_product, order_id, unshipped_order("e2e-cancel"))
    chat = Chat(live_product, "e2e-cancel")

    asked = texts(chat.say("帮我把订单取消了"))
    assert "399" in asked and "确认取消吗" in asked
    done = texts(chat.say("确认取消"))
    assert "已取消" in done and "399" in done

    assert shop_order(live_product, order_id)["status"] == "cancelled"
    [ticket] = shop_tickets(live_product, order_id)
    assert ticket["kind"] == "refund_only"
    assert ticket["refund_fen"] == 39900


def test_a_shipped_order_cannot_be_cancelled_and_stays_as_it_is(live_product: LiveProduct) -> None:
    order_id = "2026112900000004001"
    body = order_body(buyer={"id": "e2e-shipped", "name": "测试", "phone": "13712340001"})
    put_order(live_product, order_id, body)
    chat = Chat(live_product, "e2e-shipped")

    reply = texts(chat.say(f"取消订单{order_id}"))
    assert "已经发货" in reply and "拒收" in reply
    assert shop_order(live_product, order_id)["status"] == "shipped"
    assert shop_tickets(live_product, order_id) == []


def test_a_policy_question_inside_the_flow_is_answered_and_the_flow_resumes(
    live_product: LiveProduct,
) -> None:
    order_id = "2026112900000005001"
    put_order(live_product, order_id, delivered_order("e2e-faq", 3))
    chat = Chat(live_product, "e2e-faq")

    chat.say("我要退货")
    answer = load_faq(PROJECT_ROOT / "knowledge")["return_shipping_fee"].answer
    digression = texts(chat.say("退货的运费谁出啊"))
    assert answer in digression
    assert "原因" in digression  # the form asks its question again
    summary = texts(chat.say("尺码不合适"))
    assert "确认提交吗" in summary


def test_suan_le_stops_the_flow_with_nothing_opened(live_product: LiveProduct) -> None:
    order_id = "2026112900000005101"
    put_order(live_product, order_id, delivered_order("e2e-stop", 3))
    chat = Chat(live_product, "e2e-stop")

    chat.say("我要退货")
    stopped = texts(chat.say("算了"))
    assert "没有为您提交" in stopped
    assert shop_tickets(live_product, order_id) == []
    # The flow is over: the next message is answered on its own.
    assert "不客气" in texts(chat.say("谢谢"))


def test_an_anonymous_visitor_verifies_the_order_before_any_after_sales_step(
    live_product: LiveProduct,
) -> None:
    order_id = "2026112900000005201"
    put_order(live_product, order_id, delivered_order("e2e-anon", 2))
    chat = Chat(live_product, None)

    asked = texts(chat.say(f"订单{order_id}我要退货"))
    assert "后四位" in asked
    assert "测试商品" not in asked
    wrong = texts(chat.say("9999"))
    assert "后四位" in wrong and "原因" not in wrong
    verified = texts(chat.say("0000"))
    assert "原因" in verified
    assert shop_tickets(live_product, order_id) == []


def test_a_half_done_flow_survives_a_restart_of_rasa(live_product: LiveProduct) -> None:
    order_id = "2026112900000005301"
    put_order(live_product, order_id, delivered_order("e2e-restart", 2))
    chat = Chat(live_product, "e2e-restart")
    assert "原因" in texts(chat.say("我要退货"))

    live_product.supervisor.restart("rasa")  # trackers live in Rasa's SQL tracker store

    summary = texts(chat.say("不想要了"))
    assert "确认提交吗" in summary and "退货退款" in summary
    assert "工单号" in texts(chat.say("确认"))
    [ticket] = shop_tickets(live_product, order_id)
    assert ticket["kind"] == "return_refund"
