"""Complaint priority: pure rules over the signals found, in the order of the rule book.

1. A safety hazard -> P1, whatever else is said. The matchers name it; when they find none, a
   clause the hazard classifier is sure of counts too, quoted and marked as the model's guess.
2. Otherwise start at P4; each raiser lifts one level, never above P2: repeated contact, high
   value, strong anger, a missed SLA.
3. A threat (12315, 消协, media, court, regulator) -> at least P2.
Reasons are Chinese and name the words that set them, e.g. "安全隐患：起火".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Priority(StrEnum):
    P1 = "P1"
    P2 = "P2"
    P3 = "P3"
    P4 = "P4"


LEVELS = (Priority.P1, Priority.P2, Priority.P3, Priority.P4)

HAZARD = "安全隐患"
HAZARD_GUESSED = "安全隐患（模型判断，请核实）"
REPEAT_CONTACT = "重复来问"
HIGH_VALUE = "高金额"
ANGER = "情绪激烈"
SLA_MISSED = "超时未处理"
THREAT = "投诉威胁"


@dataclass(frozen=True)
class Evidence:
    """What the text and the buyer's history say; words as the buyer wrote them."""

    hazards: tuple[str, ...] = ()
    hazard_guess: str = ""  # the clause the hazard classifier was sure of, when no word matched
    repeat_contact: tuple[str, ...] = ()
    anger: tuple[str, ...] = ()
    sla_missed: tuple[str, ...] = ()
    threats: tuple[str, ...] = ()
    amounts: tuple[int, ...] = ()  # fen, every amount written in the text
    order_total_fen: int | None = None
    prior_contacts: int = 0
    sla_flag: bool = False


@dataclass(frozen=True)
class Decision:
    priority: Priority
    reasons: list[str] = field(default_factory=list)


def decide_priority(evidence: Evidence, high_value_fen: int) -> Decision:
    """The priority and every reason that bears on it, hazard first, then in rule order."""
    raisers = [reason for reason in _raisers(evidence, high_value_fen) if reason]
    threat = _reason(THREAT, evidence.threats)
    reasons = [*raisers, threat] if threat else raisers
    if evidence.hazards:
        return Decision(Priority.P1, [_reason(HAZARD, evidence.hazards), *reasons])
    if evidence.hazard_guess.strip():
        return Decision(Priority.P1, [_reason(HAZARD_GUESSED, (evidence.hazard_guess,)), *reasons])
    level = LEVELS.index(Priority.P4) - min(len(raisers), 2)
    if threat:
        level = min(level, LEVELS.index(Priority.P2))
    return Decision(LEVELS[level], reasons)


def _raisers(evidence: Evidence, high_value_fen: int) -> list[str]:
    repeat = _reason(REPEAT_CONTACT, evidence.repeat_contact)
    if not repeat and evidence.prior_contacts > 0:
        repeat = f"{REPEAT_CONTACT}：此前已就该订单投诉{evidence.prior_contacts}次"
    sla = _reason(SLA_MISSED, evidence.sla_missed)
    if not sla and evidence.sla_flag:
        sla = f"{SLA_MISSED}：已超过承诺时限"
    return [
        repeat,
        _high_value(evidence, high_value_fen),
        _reason(ANGER, evidence.anger),
        sla,
    ]


def _high_value(evidence: Evidence, high_value_fen: int) -> str:
    written = [_yuan(fen) for fen in evidence.amounts if fen >= high_value_fen]
    if written:
        return _reason(HIGH_VALUE, tuple(written))
    total = evidence.order_total_fen
    if total is not None and total >= high_value_fen:
        return f"{HIGH_VALUE}：订单金额{_yuan(total)}"
    return ""


def _reason(label: str, words: tuple[str, ...]) -> str:
    unique = list(dict.fromkeys(word.strip() for word in words if word.strip()))
    return f"{label}：{'、'.join(unique)}" if unique else ""


def _yuan(fen: int) -> str:
    whole, cents = divmod(fen, 100)
    return f"{whole}元" if not cents else f"{whole}.{cents:02d}".rstrip("0") + "元"
