"""Statuses and kinds, stored by name (strings), never by position."""

from enum import StrEnum


class OrderStatus(StrEnum):
    PENDING_PAYMENT = "pending_payment"
    PAID = "paid"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class ItemCategory(StrEnum):
    """What the return policy needs to know about an item; most goods are ordinary."""

    ORDINARY = "ordinary"
    ELECTRONICS = "electronics"
    APPAREL = "apparel"
    HOME = "home"
    BEAUTY = "beauty"
    FOOD = "food"
    FRESH_FOOD = "fresh_food"
    CUSTOM_MADE = "custom_made"
    DIGITAL = "digital"
    PERIODICAL = "periodical"


class PaymentMethod(StrEnum):
    ALIPAY = "alipay"
    WECHAT_PAY = "wechat_pay"
    PAYPAL = "paypal"
    CARD = "card"
    BANK_TRANSFER = "bank_transfer"
    CASH_ON_DELIVERY = "cash_on_delivery"


class ConversationStatus(StrEnum):
    BOT = "bot"
    WAITING_AGENT = "waiting_agent"
    WITH_AGENT = "with_agent"
    RESOLVED = "resolved"


class Sender(StrEnum):
    BUYER = "buyer"
    BOT = "bot"
    AGENT = "agent"
    SYSTEM = "system"


class TicketKind(StrEnum):
    """An after-sales ticket's kind is its service type; then complaints, then the order-service
    requests the shop handles by hand (bot/orderservice)."""

    REFUND_ONLY = "refund_only"
    RETURN_REFUND = "return_refund"
    EXCHANGE = "exchange"
    REPAIR = "repair"
    COMPLAINT = "complaint"
    INVOICE = "invoice"
    ORDER_CHANGE = "order_change"
    PRICE_PROTECTION = "price_protection"
    SHIPPING_URGE = "shipping_urge"


class TicketStatus(StrEnum):
    # After-sales tickets (bot.aftersales.tickets holds the allowed transitions).
    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    AWAITING_RETURN = "awaiting_return"
    RETURNED = "returned"
    RECEIVED = "received"
    REFUNDED = "refunded"
    EXCHANGED = "exchanged"
    REPAIRED = "repaired"
    WITHDRAWN = "withdrawn"
    # Complaints.
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    # Both.
    CLOSED = "closed"


class ServiceType(StrEnum):
    REFUND_ONLY = "refund_only"
    RETURN_REFUND = "return_refund"
    EXCHANGE = "exchange"
    REPAIR = "repair"


class Priority(StrEnum):
    P1 = "P1"
    P2 = "P2"
    P3 = "P3"
    P4 = "P4"
