"""What one item of an order was actually paid, in whole fen."""

from __future__ import annotations

from bot.aftersales.facts import ItemFacts, OrderFacts


def item_paid_fen(order: OrderFacts, item: ItemFacts) -> int:
    """The item's subtotal; when the order total is below the items' sum (coupons, discounts),
    the total is shared pro rata, rounded down, and the last item takes the remainder so the
    shares add up to the total exactly. A total above the sum (shipping) is not refunded."""
    index = next((i for i, it in enumerate(order.items) if it.item_id == item.item_id), None)
    if index is None:
        raise ValueError(f"order {order.order_id} has no item {item.item_id}")
    subtotals = [it.quantity * it.unit_price_fen for it in order.items]
    items_sum = sum(subtotals)
    if order.total_fen >= items_sum:
        return subtotals[index]
    shares = [sub * order.total_fen // items_sum for sub in subtotals[:-1]]
    if index < len(shares):
        return shares[index]
    return order.total_fen - sum(shares)
