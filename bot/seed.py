"""Deterministic demo data that covers every order state and after-sales policy edge.

Times are relative to `now`, so "delivered 2 days ago" stays true whenever the demo is seeded.
Seeding twice gives the same database: orders are upserted by id.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.enums import TicketKind
from bot.orders.payload import OrderPayload
from bot.orders.store import upsert_order
from bot.security import hash_agent_token
from bot.services.tickets import open_after_sales_ticket
from bot.store.models import Agent, Order, Ticket
from bot.timeutil import utcnow

DEMO_BUYERS = {
    "b1001": {"id": "b1001", "name": "张三", "phone": "13800001234"},
    "b1002": {"id": "b1002", "name": "李四", "phone": "13900005678"},
    "b1003": {"id": "b1003", "name": "王芳", "phone": "15000002468"},
}
DEMO_AGENT_NAME = "xiaomei"
DEMO_AGENT_TOKEN = "demo-agent-token-xiaomei"  # development only; real agents get random ones

# Named so tests and the README can refer to them.
UNPAID = "2026110100000000011"
PAID_NOT_SHIPPED = "2026110100000000022"
IN_TRANSIT = "2026110100000000033"
DELIVERED_2_DAYS = "2026110100000000044"
DELIVERED_10_DAYS = "2026110100000000055"
COMPLETED_20_DAYS = "2026110100000000066"
FRESH_FOOD = "2026110100000000077"
CUSTOM_MADE = "2026110100000000088"
OPEN_REFUND = "2026110100000000099"
HIGH_VALUE = "2026110100000000110"
CANCELLED = "2026110100000000121"
DIGITAL = "2026110100000000132"


def _item(sku: str, title: str, price_fen: int, category: str, quantity: int = 1) -> dict[str, Any]:
    return {
        "sku": sku,
        "title": title,
        "quantity": quantity,
        "unit_price_fen": price_fen,
        "category": category,
    }


def _events(start: datetime, steps: list[tuple[str, str]]) -> list[dict[str, Any]]:
    return [
        {
            "time": (start + timedelta(hours=9 * index)).isoformat(),
            "location": loc,
            "description": text,
        }
        for index, (loc, text) in enumerate(steps)
    ]


def demo_orders(now: datetime) -> dict[str, dict[str, Any]]:
    def ago(days: float = 0, hours: float = 0) -> datetime:
        return now - timedelta(days=days, hours=hours)

    def order(
        buyer: str, status: str, items: list[dict[str, Any]], created: datetime, **times: Any
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "buyer": DEMO_BUYERS[buyer],
            "status": status,
            "payment_method": times.pop("payment_method", "alipay"),
            "total_fen": sum(i["unit_price_fen"] * i["quantity"] for i in items),
            "items": items,
            "created_at": created.isoformat(),
        }
        for key, value in times.items():
            body[key] = value.isoformat() if isinstance(value, datetime) else value
        return body

    def shipment(
        courier: str, tracking_no: str, shipped: datetime, steps: list[tuple[str, str]]
    ) -> dict[str, Any]:
        return {"courier": courier, "tracking_no": tracking_no, "events": _events(shipped, steps)}

    transit_steps = [
        ("深圳市", "卖家已发货，快递员已揽收"),
        ("深圳转运中心", "快件已到达深圳转运中心"),
        ("深圳转运中心", "快件已从深圳转运中心发出，下一站杭州转运中心"),
        ("杭州转运中心", "快件已到达杭州转运中心"),
    ]
    delivered_steps = [
        ("广州市", "快递员已揽收"),
        ("广州转运中心", "快件已发往上海"),
        ("上海市浦东新区", "快递员正在派送"),
        ("上海市浦东新区", "已签收，签收人：本人"),
    ]
    return {
        UNPAID: order(
            "b1002",
            "pending_payment",
            [_item("SC-01", "羊毛围巾", 12900, "apparel")],
            ago(hours=2),
            payment_method=None,
        ),
        PAID_NOT_SHIPPED: order(
            "b1001",
            "paid",
            [_item("EP-07", "降噪蓝牙耳机", 39900, "electronics")],
            ago(hours=5),
            paid_at=ago(hours=5),
        ),
        IN_TRANSIT: order(
            "b1001",
            "shipped",
            [_item("PB-20", "20000毫安充电宝", 19900, "electronics")],
            ago(days=3),
            paid_at=ago(days=3),
            shipped_at=ago(days=2),
            shipment=shipment("顺丰速运", "SF1402398765432", ago(days=2), transit_steps),
        ),
        DELIVERED_2_DAYS: order(
            "b1001",
            "delivered",
            [
                _item("TS-11", "纯棉短袖T恤", 7900, "apparel", 2),
                _item("SK-02", "运动袜三双装", 2900, "apparel"),
            ],
            ago(days=6),
            paid_at=ago(days=6),
            shipped_at=ago(days=5),
            delivered_at=ago(days=2),
            shipment=shipment("中通快递", "ZT7312345678901", ago(days=5), delivered_steps),
        ),
        DELIVERED_10_DAYS: order(
            "b1002",
            "delivered",
            [_item("CU-05", "不锈钢保温杯", 8900, "home")],
            ago(days=14),
            paid_at=ago(days=14),
            shipped_at=ago(days=13),
            delivered_at=ago(days=10),
            shipment=shipment("圆通速递", "YT9876543210123", ago(days=13), delivered_steps),
        ),
        COMPLETED_20_DAYS: order(
            "b1003",
            "completed",
            [_item("RC-30", "智能电饭煲", 45900, "electronics")],
            ago(days=27),
            paid_at=ago(days=27),
            shipped_at=ago(days=26),
            delivered_at=ago(days=24),
            completed_at=ago(days=20),
            shipment=shipment("京东物流", "JD0098765432101", ago(days=26), delivered_steps),
        ),
        FRESH_FOOD: order(
            "b1003",
            "delivered",
            [_item("FD-88", "阳澄湖大闸蟹礼盒", 59900, "fresh_food")],
            ago(days=3),
            paid_at=ago(days=3),
            shipped_at=ago(days=2),
            delivered_at=ago(days=1),
            shipment=shipment("顺丰速运", "SF1409876501234", ago(days=2), delivered_steps),
        ),
        CUSTOM_MADE: order(
            "b1002",
            "delivered",
            [_item("PN-01", "定制刻字钢笔", 26800, "custom_made")],
            ago(days=9),
            paid_at=ago(days=9),
            shipped_at=ago(days=6),
            delivered_at=ago(days=3),
            shipment=shipment("韵达快递", "YD4321098765432", ago(days=6), delivered_steps),
        ),
        OPEN_REFUND: order(
            "b1003",
            "delivered",
            [_item("SH-42", "轻便跑步鞋", 32900, "apparel")],
            ago(days=9),
            paid_at=ago(days=9),
            shipped_at=ago(days=8),
            delivered_at=ago(days=5),
            shipment=shipment("申通快递", "ST7788990011223", ago(days=8), delivered_steps),
        ),
        HIGH_VALUE: order(
            "b1001",
            "shipped",
            [_item("NB-14", "14英寸轻薄笔记本电脑", 899900, "electronics")],
            ago(days=2),
            paid_at=ago(days=2),
            shipped_at=ago(days=1),
            payment_method="card",
            shipment=shipment("顺丰速运", "SF1401122334455", ago(days=1), transit_steps[:2]),
        ),
        CANCELLED: order(
            "b1002",
            "cancelled",
            [_item("LP-03", "口红礼盒", 29900, "beauty")],
            ago(days=4),
            paid_at=ago(days=4),
            cancelled_at=ago(days=4, hours=-1),
            payment_method="wechat_pay",
        ),
        DIGITAL: order(
            "b1003",
            "completed",
            [_item("VC-12", "视频会员年卡兑换码", 19800, "digital")],
            ago(days=1),
            paid_at=ago(days=1),
            completed_at=ago(days=1),
            payment_method="wechat_pay",
        ),
    }


def seed_demo(session: Session, now: datetime | None = None) -> None:
    now = now or utcnow()
    for order_id, body in demo_orders(now).items():
        upsert_order(session, order_id, OrderPayload.model_validate(body))
    _seed_open_refund(session, now)
    _seed_demo_agent(session)


def _seed_open_refund(session: Session, now: datetime) -> None:
    """A no-reason return the seller has not answered yet, opened a day ago."""
    exists = session.scalars(select(Ticket).where(Ticket.order_id == OPEN_REFUND)).first()
    if exists is not None:
        return
    order = session.get(Order, OPEN_REFUND)
    assert order is not None and order.items
    item = order.items[0]
    open_after_sales_ticket(
        session,
        order_id=OPEN_REFUND,
        order_item_id=item.id,
        kind=TicketKind.RETURN_REFUND,
        reason_code="no_reason",
        reason_text="鞋码偏小，七天无理由退货",
        shipping_paid_by="buyer",
        refund_fen=item.unit_price_fen * item.quantity,
        buyer_id="b1003",
        conversation_id=None,
        now=now - timedelta(days=1),
    )


def _seed_demo_agent(session: Session) -> None:
    agent = session.scalars(select(Agent).where(Agent.name == DEMO_AGENT_NAME)).one_or_none()
    if agent is None:
        session.add(
            Agent(
                name=DEMO_AGENT_NAME,
                display_name="小美",
                token_hash=hash_agent_token(DEMO_AGENT_TOKEN),
            )
        )
