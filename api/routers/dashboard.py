"""The agent console's dashboard: numbers for the charts (bot.services.dashboard counts them).

GET /api/v1/agent/dashboard?days=14 (agent token). Days are calendar days in the shop's zone;
what each number means is documented on bot.services.dashboard.DashboardNumbers.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from api.deps import CurrentAgent, DbSession, PolicyDep
from bot.services.dashboard import DashboardNumbers, dashboard_numbers
from bot.timeutil import utcnow

router = APIRouter(prefix="/api/v1/agent", tags=["agent"])


class DayCount(BaseModel):
    day: date
    conversations: int
    contained: int


class SlaCounts(BaseModel):
    met: int
    missed: int
    open: int


class DashboardOut(BaseModel):
    days: int
    since: datetime
    per_day: list[DayCount]
    conversations: int
    contained: int
    containment_rate: float | None  # None when there was no conversation
    handoff_reasons: dict[str, int]
    complaints_by_category: dict[str, dict[str, int]]  # category -> priority -> count
    complaints_by_priority: dict[str, int]
    first_response_sla: SlaCounts

    @classmethod
    def of(cls, numbers: DashboardNumbers) -> DashboardOut:
        sla = numbers.first_response_sla
        return cls(
            days=numbers.days,
            since=numbers.since,
            per_day=[
                DayCount(day=row.day, conversations=row.conversations, contained=row.contained)
                for row in numbers.per_day
            ],
            conversations=numbers.conversations,
            contained=numbers.contained,
            containment_rate=numbers.containment_rate,
            handoff_reasons=dict(numbers.handoff_reasons),
            complaints_by_category={
                category: dict(counts)
                for category, counts in numbers.complaints_by_category.items()
            },
            complaints_by_priority=dict(numbers.complaints_by_priority),
            first_response_sla=SlaCounts(met=sla.met, missed=sla.missed, open=sla.open),
        )


@router.get("/dashboard", response_model=DashboardOut)
def dashboard(
    _agent: CurrentAgent,
    db: DbSession,
    policy: PolicyDep,
    days: Annotated[int, Query(ge=1, le=90)] = 14,
) -> DashboardOut:
    return DashboardOut.of(dashboard_numbers(db, policy, now=utcnow(), days=days))
