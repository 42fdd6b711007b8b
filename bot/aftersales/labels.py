"""The Chinese names buyers see for service types, reasons, ticket states and payment methods."""

from __future__ import annotations

SERVICE_LABELS = {
    "refund_only": "仅退款",
    "return_refund": "退货退款",
    "exchange": "换货",
    "repair": "维修",
    "complaint": "投诉",
}

REASON_LABELS = {
    "no_reason": "七天无理由（不想要了/不合适）",
    "quality": "质量问题",
    "damaged": "商品破损",
    "wrong_item": "发错货",
    "not_as_described": "与描述不符",
    "missing": "少件/漏发",
    "not_received": "没收到货",
}

# Buttons offered when the buyer's reason is unclear: the common ones first.
REASON_CHOICES = ("no_reason", "quality", "damaged", "wrong_item", "not_as_described", "missing")

STATUS_LABELS = {
    "requested": "已提交，等待商家处理",
    "approved": "商家已同意",
    "rejected": "商家已拒绝",
    "awaiting_return": "商家已同意，等您寄回商品",
    "returned": "商品已寄回，等待商家确认收货",
    "received": "商家已收到退货",
    "refunded": "已退款",
    "exchanged": "已换货",
    "repaired": "已维修",
    "closed": "已完结",
    "withdrawn": "已撤销",
    "open": "已受理，等待客服处理",
    "in_progress": "客服处理中",
    "resolved": "已处理",
}

# What happens next, by status; {due} is the deadline shown in shop time.
NEXT_STEPS = {
    "requested": "商家会在{due}前处理，超时未处理系统会自动同意",
    "approved": "退款会原路退回，一般{days_min}到{days_max}个工作日到账",
    "awaiting_return": "请把商品寄回，寄出后把快递公司和运单号发给我",
    "returned": "商家会在{due}前确认收货，超时未确认会自动处理",
    "received": "商家正在为您办理，很快会有结果",
    "refunded": "钱已原路退回，如果还没到账可以查一下支付账户的明细",
    "open": "客服会在{due}前联系您",
    "in_progress": "客服正在跟进，有结果会第一时间通知您",
}

PAYMENT_LABELS = {
    "alipay": "支付宝",
    "wechat_pay": "微信",
    "paypal": "PayPal账户",
    "card": "银行卡",
    "bank_transfer": "付款的银行账户",
    "cash_on_delivery": "银行账户（货到付款的订单由客服核对后退回）",
}

SHIPPING_LABELS = {
    "buyer": "退回运费由您承担",
    "seller": "来回运费由我们承担",
}


def yuan(fen: int) -> str:
    """An amount for people: 399 or 399.50, never 399.0."""
    whole, cents = divmod(fen, 100)
    return f"{whole}" if cents == 0 else f"{whole}.{cents:02d}"
