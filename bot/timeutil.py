"""Times are stored in UTC and shown to people in the shop's zone, Asia/Shanghai."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

SHOP_ZONE = ZoneInfo("Asia/Shanghai")


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime; naive input is taken to be UTC already (as SQLite returns it)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def shop_time(moment: datetime) -> str:
    """A short local time for buyers and agents, e.g. 11月21日 14:05."""
    local = as_utc(moment).astimezone(SHOP_ZONE)
    return f"{local.month}月{local.day}日 {local:%H:%M}"
