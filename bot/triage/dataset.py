"""Labelled complaint texts: data/triage/*.yml and held-out sets in the same shape.

version: 1
items:
  - text: 充电宝充着电冒烟了
    category: quality_defect
    priority: P1            # optional; only evaluations read it
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

CATEGORIES = (
    "quality_defect",
    "not_as_described",
    "wrong_or_missing_item",
    "logistics_delay",
    "logistics_lost",
    "logistics_damaged",
    "not_shipped",
    "after_sales_unresolved",
    "service_attitude",
    "false_advertising",
    "other",
)


class DatasetError(ValueError):
    """A labelled file is not version 1, or an item lacks a text or has an unknown label."""


@dataclass(frozen=True)
class LabelledText:
    text: str
    category: str
    priority: str | None = None
    order_total_fen: int | None = None
    prior_contacts: int = 0
    sla_missed: bool = False


def load_labelled(path: Path) -> list[LabelledText]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("version") != 1:
        raise DatasetError(f"{path} must be a mapping with version: 1")
    items = data.get("items")
    if not isinstance(items, list) or not items:
        raise DatasetError(f"{path} needs a non-empty items list")
    labelled = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not str(item.get("text") or "").strip():
            raise DatasetError(f"{path} item {number} needs a text")
        category = item.get("category")
        if category not in CATEGORIES:
            raise DatasetError(f"{path} item {number}: unknown category {category!r}")
        priority = item.get("priority")
        if priority is not None and priority not in ("P1", "P2", "P3", "P4"):
            raise DatasetError(f"{path} item {number}: unknown priority {priority!r}")
        total = item.get("order_total_fen")
        labelled.append(
            LabelledText(
                text=str(item["text"]).strip(),
                category=str(category),
                priority=priority,
                order_total_fen=int(total) if total is not None else None,
                prior_contacts=int(item.get("prior_contacts") or 0),
                sla_missed=bool(item.get("sla_missed", False)),
            )
        )
    return labelled
