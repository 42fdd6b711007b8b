import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main as cli
from bot.orders.bulk import import_jsonl
from bot.settings import get_settings
from bot.store.models import Order
from bot.store.session import session_scope
from tests.factories import order_body


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_good_lines_land_and_bad_lines_are_reported_by_number(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    good = json.dumps({"order_id": "2026110199990000001", **order_body()}, ensure_ascii=False)
    other = json.dumps({"order_id": "2026110199990000002", **order_body()}, ensure_ascii=False)
    bad_status = json.dumps({"order_id": "2026110199990000003", **order_body(status="lost")})
    no_id = json.dumps(order_body())
    path = write_lines(tmp_path / "orders.jsonl", [good, "{broken", bad_status, "", no_id, other])
    report = import_jsonl(sessions, path)
    assert report.imported == 2
    assert [line for line, _ in report.errors] == [2, 3, 5]
    assert "status" in report.errors[1][1]
    with session_scope(sessions) as session:
        assert session.scalar(select(func.count()).select_from(Order)) == 2


def test_cli_import_exits_non_zero_when_a_line_is_rejected(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    get_settings.cache_clear()
    try:
        good = json.dumps({"order_id": "2026110199990000001", **order_body()})
        assert cli(["import-orders", str(write_lines(tmp_path / "a.jsonl", [good]))]) == 0
        assert cli(["import-orders", str(write_lines(tmp_path / "b.jsonl", ["[1, 2]"]))]) == 1
    finally:
        get_settings.cache_clear()
