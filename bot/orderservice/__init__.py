"""Order services the shop carries out by hand: invoices, changes before shipment, price
protection and urging shipment. Pure: which requests an order allows (rules.py) and what a
buyer's words give for them (details.py). bot.services.order_service opens the tickets."""

from bot.orderservice.rules import ServiceDecision, ServiceTerms, decide, terms_of

__all__ = ["ServiceDecision", "ServiceTerms", "decide", "terms_of"]
