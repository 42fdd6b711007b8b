"""Complaint triage for the shop's back end and agents: category, priority and reasons."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel, ConfigDict, StringConstraints

from api.deps import DbSession, SettingsDep, current_staff
from bot.errors import OrderNotFound
from bot.orders import ORDER_ID_PATTERN
from bot.services.triage import triage_complaint
from bot.triage import ModelMissing, Triager, get_triager

# The shop key or an agent token (api.deps.current_staff); buyers are refused.
router = APIRouter(prefix="/api/v1/triage", tags=["triage"], dependencies=[Depends(current_staff)])


class TriageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
    order_id: Annotated[str, StringConstraints(pattern=ORDER_ID_PATTERN)] | None = None


class TriageOut(BaseModel):
    category: str
    priority: str
    reasons: list[str]


def loaded_triager(settings: SettingsDep) -> Triager:
    """The process's model, loaded on first use and kept (bot.triage.get_triager caches it)."""
    try:
        return get_triager(settings.triage_model_dir, settings.knowledge_dir)
    except ModelMissing:
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE,
            "投诉分诊模型尚未训练，请先运行 make train / "
            f"the triage model is not trained yet (no model at {settings.triage_model_dir}): "
            "run `make train`",
        ) from None


@router.post("", response_model=TriageOut)
def triage_text(
    body: TriageIn,
    db: DbSession,
    triager: Annotated[Triager, Depends(loaded_triager)],
) -> TriageOut:
    try:
        result = triage_complaint(db, triager, body.text, body.order_id)
    except OrderNotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "订单不存在 / order not found") from None
    return TriageOut(category=result.category, priority=result.priority, reasons=result.reasons)
