"""Questions the FAQ could not answer: recorded per question, listed most frequent first."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.store.models import FaqGap
from bot.text import normalize
from bot.timeutil import utcnow

MAX_TEXT_CHARS = 500
# Shorter than this is a grunt or a reflex (嗯嗯, ???), not a question to add to the FAQ.
MIN_QUESTION_CHARS = 4
NOT_A_WORD = re.compile(r"[^\w]+")


@dataclass(frozen=True)
class GapSummary:
    text: str
    count: int
    first_seen_at: datetime
    last_seen_at: datetime


def question_key(text: str) -> str:
    """The same question however it is punctuated, spaced or cased."""
    return NOT_A_WORD.sub("", normalize(text))[:200]


def record_gap(session: Session, text: str, now: datetime | None = None) -> None:
    key = question_key(text)
    if len(key) < MIN_QUESTION_CHARS:
        return
    now = now or utcnow()
    text = text.strip()[:MAX_TEXT_CHARS]
    gap = session.scalar(select(FaqGap).where(FaqGap.question_key == key))
    if gap is None:
        try:
            with session.begin_nested():
                session.add(
                    FaqGap(question_key=key, text=text, first_seen_at=now, last_seen_at=now)
                )
            return
        except IntegrityError:
            # Another process recorded the same question a moment ago: count it there.
            gap = session.scalar(select(FaqGap).where(FaqGap.question_key == key))
            assert gap is not None
    gap.count += 1
    gap.text = text
    gap.last_seen_at = now


def list_gaps(session: Session, limit: int = 50) -> list[GapSummary]:
    rows = session.scalars(
        select(FaqGap).order_by(FaqGap.count.desc(), FaqGap.last_seen_at.desc()).limit(limit)
    )
    return [GapSummary(r.text, r.count, r.first_seen_at, r.last_seen_at) for r in rows]
