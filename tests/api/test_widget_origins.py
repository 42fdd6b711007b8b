"""The widget embedded on a shop's own site calls the API cross-origin: only listed origins may."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.main import create_app
from bot.settings import Settings

SHOP = "https://shop.example"


def preflight(client: TestClient, origin: str) -> dict[str, str]:
    response = client.options(
        "/api/v1/sessions",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    return dict(response.headers)


def test_a_listed_shop_origin_may_call_and_others_may_not(settings: Settings) -> None:
    listed = settings.model_copy(update={"widget_origins": f"{SHOP}/, https://m.shop.example"})
    with TestClient(create_app(listed)) as client:
        assert preflight(client, SHOP).get("access-control-allow-origin") == SHOP
        assert "access-control-allow-origin" not in preflight(client, "https://evil.example")
        session = client.post("/api/v1/sessions", json={}, headers={"Origin": SHOP})
        assert session.status_code == 201
        assert session.headers["access-control-allow-origin"] == SHOP
        assert "access-control-allow-credentials" not in session.headers


def test_without_listed_origins_no_cross_origin_call_is_allowed(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        assert "access-control-allow-origin" not in preflight(client, SHOP)
        session = client.post("/api/v1/sessions", json={}, headers={"Origin": SHOP})
        assert "access-control-allow-origin" not in session.headers
