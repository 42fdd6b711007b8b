"""Bulk import of orders from JSON lines, each line {"order_id": ..., ...the PUT body...}.

Each line is its own transaction: a bad line is reported with its number and changes nothing,
while the good lines land.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy.orm import Session, sessionmaker

from bot.entity_values import ORDER_ID_PATTERN
from bot.orders.payload import OrderPayload
from bot.orders.store import upsert_order
from bot.store.session import session_scope


@dataclass
class ImportReport:
    imported: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def import_jsonl(factory: sessionmaker[Session], path: Path) -> ImportReport:
    report = ImportReport()
    with path.open(encoding="utf-8") as lines:
        for line_no, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                order_id, payload = _parse_line(line)
                with session_scope(factory) as session:
                    upsert_order(session, order_id, payload)
            except (ValueError, ValidationError) as error:
                report.errors.append((line_no, _short(error)))
                continue
            report.imported += 1
    return report


def _parse_line(line: str) -> tuple[str, OrderPayload]:
    data = json.loads(line)
    if not isinstance(data, dict):
        raise ValueError("each line must be a JSON object")
    order_id = str(data.pop("order_id", ""))
    if not re.fullmatch(ORDER_ID_PATTERN, order_id):
        raise ValueError("order_id must be 16 to 20 digits")
    return order_id, OrderPayload.model_validate(data)


def _short(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(
            f"{'.'.join(str(part) for part in item['loc']) or 'body'}: {item['msg']}"
            for item in error.errors()
        )
    return str(error)
