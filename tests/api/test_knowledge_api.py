"""The shop re-reads knowledge/ on the running API; a broken edit is refused, the last good
copy stays in use, and buyers cannot call it."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from bot.settings import PROJECT_ROOT, Settings
from tests.api.conftest import buyer_headers

SHOP = {"X-Shop-Key": "test-shop-key"}


@pytest.fixture
def knowledge_dir(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(PROJECT_ROOT / "knowledge", target)
    return target


@pytest.fixture
def shop_client(settings: Settings, knowledge_dir: Path) -> Iterator[TestClient]:
    with TestClient(create_app(settings.model_copy(update={"knowledge_dir": knowledge_dir}))) as c:
        yield c


def _replace(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


def test_reload_reports_the_knowledge_in_use(shop_client: TestClient) -> None:
    response = shop_client.post("/api/v1/knowledge/reload", headers=SHOP)
    assert response.status_code == 200, response.text
    body = response.json()
    assert "refund_time" in body["faq_topics"] and body["version"] >= 1


def test_a_broken_edit_is_refused_and_the_last_good_copy_stays(
    shop_client: TestClient, knowledge_dir: Path
) -> None:
    before = shop_client.get("/api/v1/knowledge", headers=SHOP).json()
    _replace(knowledge_dir / "faq.yml", "{refund.seller_response_days}", "{refund.typo_days}")
    response = shop_client.post("/api/v1/knowledge/reload", headers=SHOP)
    assert response.status_code == 422
    assert "typo_days" in response.json()["detail"]
    assert shop_client.get("/api/v1/knowledge", headers=SHOP).json() == before


def test_an_edited_policy_number_is_used_by_the_api_at_once(
    shop_client: TestClient, knowledge_dir: Path
) -> None:
    _replace(knowledge_dir / "policy.yml", "seller_response_days: 5", "seller_response_days: 6")
    assert shop_client.post("/api/v1/knowledge/reload", headers=SHOP).status_code == 200
    policy = shop_client.app.state.knowledge.snapshot().policy  # type: ignore[attr-defined]
    assert policy.number("refund.seller_response_days") == 6


@pytest.mark.parametrize("headers", [{}, {"X-Shop-Key": "wrong"}])
def test_without_the_shop_key_the_reload_is_refused(
    shop_client: TestClient, headers: dict[str, str]
) -> None:
    assert shop_client.post("/api/v1/knowledge/reload", headers=headers).status_code == 401


def test_a_buyer_cannot_reload(shop_client: TestClient) -> None:
    headers = buyer_headers(shop_client, "b1001")
    assert shop_client.post("/api/v1/knowledge/reload", headers=headers).status_code == 401
