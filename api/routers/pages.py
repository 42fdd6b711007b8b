"""Web pages: the demo shop with the chat widget, the agent console, and their own files.

Nothing on these pages comes from another site: the widget, the console and Chart.js (installed
from the npm registry into node_modules/ by setup) are all served from here.
"""

from __future__ import annotations

import html
from pathlib import Path

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import FileResponse, HTMLResponse
from sqlalchemy import select

from api.deps import DbSession, SettingsDep
from bot.aftersales.labels import yuan
from bot.cards import ORDER_STATUS_LABELS
from bot.orders.store import WITH_DETAILS
from bot.security import sign_buyer_id
from bot.seed import DEMO_BUYERS
from bot.store.models import Order, OrderItem
from bot.timeutil import shop_time

STATIC = Path(__file__).resolve().parent.parent / "static"
NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"
ASSETS = {"widget.js": "text/javascript", "widget.css": "text/css"}
SHOP_ASSETS = {"shop.css": "text/css"}
CONSOLE_ASSETS = {"console.js": "text/javascript", "console.css": "text/css"}
# Third-party browser code, by the name the pages use, from the npm package's own build.
VENDOR = {"chart.umd.js": NODE_MODULES / "chart.js" / "dist" / "chart.umd.min.js"}
# Pages that show buyer text: only our own scripts and styles may run on them.
STRICT_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
CONSOLE_HEADERS = {
    "Content-Security-Policy": STRICT_POLICY,
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
SHOP_HEADERS = {"Content-Security-Policy": STRICT_POLICY, "Cache-Control": "no-store"}
ANONYMOUS = "anonymous"
PRODUCT_LIMIT = 8
ORDER_LIMIT = 8

router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(
    settings: SettingsDep, db: DbSession, buyer: str = Query("b1001", max_length=64)
) -> HTMLResponse:
    return demo_shop(settings, db, buyer)


@router.get("/demo", response_class=HTMLResponse)
def demo_shop(
    settings: SettingsDep, db: DbSession, buyer: str = Query("b1001", max_length=64)
) -> HTMLResponse:
    """A stand-in for the shop's own page: it signs the buyer id as a shop's back end would."""
    if settings.environment == "production":
        raise HTTPException(404, "not found")
    if buyer != ANONYMOUS and buyer not in DEMO_BUYERS:
        raise HTTPException(404, "unknown demo buyer")
    embed = {"src": "/widget/widget.js", "data-shop": "demo"}
    if buyer != ANONYMOUS:
        embed["data-buyer-id"] = buyer
        embed["data-signature"] = sign_buyer_id(buyer, settings.widget_secret.get_secret_value())
    page = (STATIC / "demo.html").read_text(encoding="utf-8")
    name = DEMO_BUYERS[buyer]["name"] if buyer != ANONYMOUS else "匿名访客"
    fills = {
        "{{BUYER_NAME}}": html.escape(name),
        "{{BUYER_SWITCH}}": _buyer_switch(buyer),
        "{{PRODUCTS}}": _products(db),
        "{{ORDERS}}": _orders(db, buyer),
        "{{WIDGET_EMBED}}": "<script " + _attrs(embed) + " defer></script>",
    }
    for marker, value in fills.items():
        page = page.replace(marker, value)
    return HTMLResponse(page, headers=SHOP_HEADERS)


def _attrs(values: dict[str, str]) -> str:
    return " ".join(f'{key}="{html.escape(value)}"' for key, value in values.items())


def _buyer_switch(current: str) -> str:
    choices = [(b, info["name"]) for b, info in DEMO_BUYERS.items()] + [(ANONYMOUS, "匿名访客")]
    links = []
    for buyer, name in choices:
        selected = ' aria-current="page" class="current"' if buyer == current else ""
        links.append(f'<a href="/?buyer={html.escape(buyer)}"{selected}>{html.escape(name)}</a>')
    return "".join(links)


def _products(db: DbSession) -> str:
    """The shop's goods, as the order store knows them (one card per SKU)."""
    rows = db.execute(
        select(OrderItem.sku, OrderItem.title, OrderItem.unit_price_fen)
        .group_by(OrderItem.sku, OrderItem.title, OrderItem.unit_price_fen)
        .order_by(OrderItem.sku)
        .limit(PRODUCT_LIMIT)
    ).all()
    if not rows:
        return '<p class="muted">暂无商品</p>'
    cards = [
        '<li class="product">'
        f'<div class="thumb" aria-hidden="true">{html.escape(title[:2])}</div>'
        f'<div class="title">{html.escape(title)}</div>'
        f'<div class="price">¥{yuan(price)}</div></li>'
        for _sku, title, price in rows
    ]
    return '<ul class="products">' + "".join(cards) + "</ul>"


def _orders(db: DbSession, buyer: str) -> str:
    if buyer == ANONYMOUS:
        return (
            '<p class="muted">您还没有登录。可以直接在右下角咨询客服；'
            "查询订单时，客服会请您提供订单号和下单手机号后四位。</p>"
        )
    orders = db.scalars(
        select(Order)
        .where(Order.buyer_id == buyer)
        .options(*WITH_DETAILS)
        .order_by(Order.created_at.desc())
        .limit(ORDER_LIMIT)
    ).all()
    if not orders:
        return '<p class="muted">暂无订单</p>'
    rows = []
    for order in orders:
        items = "、".join(f"{item.title} ×{item.quantity}" for item in order.items)
        status = ORDER_STATUS_LABELS.get(order.status, order.status)
        summary = order.items[0].title if order.items else "订单"
        rows.append(
            f'<li class="order" data-order-id="{html.escape(order.id)}">'
            '<div class="order-head">'
            f'<span class="order-id">订单号 {html.escape(order.id)}</span>'
            f'<span class="status status-{html.escape(order.status)}">{html.escape(status)}</span>'
            "</div>"
            f'<div class="order-items">{html.escape(items)}</div>'
            '<div class="order-foot">'
            f'<span class="muted">{html.escape(shop_time(order.created_at))} 下单 · '
            f"实付 ¥{yuan(order.total_fen)}</span>"
            f'<button type="button" class="ask" data-kefu-order="{html.escape(order.id)}" '
            f'data-kefu-title="{html.escape(summary)}">咨询这个订单</button>'
            "</div></li>"
        )
    return '<ul class="orders">' + "".join(rows) + "</ul>"


@router.get("/widget/{asset}")
def widget_asset(asset: str) -> FileResponse:
    if asset not in ASSETS:
        raise HTTPException(404, "not found")
    return FileResponse(STATIC / asset, media_type=ASSETS[asset])


@router.get("/shop/{asset}")
def shop_asset(asset: str) -> FileResponse:
    if asset not in SHOP_ASSETS:
        raise HTTPException(404, "not found")
    return FileResponse(STATIC / asset, media_type=SHOP_ASSETS[asset])


@router.get("/vendor/{asset}")
def vendor_asset(asset: str) -> FileResponse:
    """Browser libraries installed from the npm registry (package.json), served from here."""
    path = VENDOR.get(asset)
    if path is None:
        raise HTTPException(404, "not found")
    if not path.is_file():
        raise HTTPException(404, f"{asset} is not installed: run `npm ci` (make setup does)")
    return FileResponse(path, media_type="text/javascript")


@router.get("/console")
def agent_console() -> FileResponse:
    """The agents' console: a static page; everything it shows comes from the agent API."""
    return FileResponse(STATIC / "console.html", media_type="text/html", headers=CONSOLE_HEADERS)


@router.get("/console/{asset}")
def console_asset(asset: str) -> FileResponse:
    if asset not in CONSOLE_ASSETS:
        raise HTTPException(404, "not found")
    return FileResponse(STATIC / asset, media_type=CONSOLE_ASSETS[asset])
