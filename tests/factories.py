"""Small builders of valid order bodies, so each test changes only what it is about."""

from __future__ import annotations

import copy
from typing import Any

ORDER_BODY: dict[str, Any] = {
    "buyer": {"id": "b9001", "name": "赵六", "phone": "13712345678"},
    "status": "shipped",
    "payment_method": "alipay",
    "total_fen": 19900,
    "items": [
        {
            "sku": "PB-20",
            "title": "20000毫安充电宝",
            "quantity": 1,
            "unit_price_fen": 19900,
            "category": "electronics",
        }
    ],
    "created_at": "2026-11-01T10:00:00+08:00",
    "paid_at": "2026-11-01T10:01:00+08:00",
    "shipped_at": "2026-11-01T18:00:00+08:00",
    "delivered_at": None,
    "completed_at": None,
    "shipment": {
        "courier": "顺丰速运",
        "tracking_no": "SF1234567890",
        "events": [
            {"time": "2026-11-01T18:00:00+08:00", "location": "深圳市", "description": "已揽收"},
            {
                "time": "2026-11-02T08:00:00+08:00",
                "location": "杭州转运中心",
                "description": "已发出",
            },
        ],
    },
}


def order_body(**changes: Any) -> dict[str, Any]:
    body = copy.deepcopy(ORDER_BODY)
    body.update(changes)
    return body
