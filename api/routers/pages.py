"""Web pages: the demo shop with the chat widget, the agent console, and their own files."""

from __future__ import annotations

import html
import json
from pathlib import Path

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse

from api.deps import SettingsDep
from bot.security import sign_buyer_id
from bot.seed import DEMO_BUYERS

STATIC = Path(__file__).resolve().parent.parent / "static"
ASSETS = {"widget.js": "text/javascript", "widget.css": "text/css"}
CONSOLE_ASSETS = {"console.js": "text/javascript", "console.css": "text/css"}
# The console shows buyer text to staff: only our own scripts and styles may run on it, and
# no other site may frame it.
CONSOLE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/demo")


@router.get("/demo", response_class=HTMLResponse)
def demo_shop(settings: SettingsDep, buyer: str = Query("b1001", max_length=64)) -> HTMLResponse:
    """A stand-in for the shop's own page: it signs the buyer id as a shop's back end would."""
    if settings.environment == "production":
        raise HTTPException(404, "not found")
    if buyer != "anonymous" and buyer not in DEMO_BUYERS:
        raise HTTPException(404, "unknown demo buyer")
    identity: dict[str, str] = {}
    if buyer != "anonymous":
        identity = {
            "buyerId": buyer,
            "signature": sign_buyer_id(buyer, settings.widget_secret.get_secret_value()),
        }
    page = (STATIC / "demo.html").read_text(encoding="utf-8")
    buyer_links = " · ".join(
        f'<a href="/demo?buyer={b}">{html.escape(info["name"])}</a>'
        for b, info in DEMO_BUYERS.items()
    )
    page = page.replace(
        "{{BUYER_LINKS}}", buyer_links + ' · <a href="/demo?buyer=anonymous">匿名访客</a>'
    )
    # JSON inside a script tag: escape "<" so no buyer-controlled text can close the tag.
    page = page.replace("{{IDENTITY_JSON}}", json.dumps(identity).replace("<", "\\u003c"))
    return HTMLResponse(page)


@router.get("/widget/{asset}")
def widget_asset(asset: str) -> FileResponse:
    if asset not in ASSETS:
        raise HTTPException(404, "not found")
    return FileResponse(STATIC / asset, media_type=ASSETS[asset])


@router.get("/console")
def agent_console() -> FileResponse:
    """The agents' console: a static page; everything it shows comes from the agent API."""
    return FileResponse(STATIC / "console.html", media_type="text/html", headers=CONSOLE_HEADERS)


@router.get("/console/{asset}")
def console_asset(asset: str) -> FileResponse:
    if asset not in CONSOLE_ASSETS:
        raise HTTPException(404, "not found")
    return FileResponse(STATIC / asset, media_type=CONSOLE_ASSETS[asset])
