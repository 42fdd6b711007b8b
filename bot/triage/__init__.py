"""Complaint triage: a category from the trained text classifier, a priority from the rules.

    from bot.triage import triage
    triage("充电宝充电时冒烟起火了", order_total_fen=19900)
    -> TriageResult(category="quality_defect", priority="P1", reasons=["安全隐患：冒烟、起火"])

The model is loaded once per process, on the first call to get_triager() (the API calls it in
its lifespan), never at import time.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from bot.knowledge import cached_policy
from bot.triage.amounts import find_amounts
from bot.triage.dataset import CATEGORIES
from bot.triage.model import (
    DEFAULT_KNOWLEDGE_DIR,
    DEFAULT_MODEL_DIR,
    ModelMissing,
    classify,
    guessed_hazard,
    load_hazard_pipeline,
    load_pipeline,
    prepare_text,
)
from bot.triage.priority import Decision, Evidence, Priority, decide_priority
from bot.triage.signals import Signal, SignalKind, SignalMatcher, load_lexicon

__all__ = [
    "CATEGORIES",
    "ModelMissing",
    "Priority",
    "TriageResult",
    "Triager",
    "assess",
    "get_triager",
    "triage",
]


@dataclass(frozen=True)
class TriageResult:
    category: str
    priority: Priority
    reasons: list[str]


class Triager:
    """A loaded pipeline and its signal matchers: one per process."""

    def __init__(
        self,
        nlp: Language,
        knowledge_dir: Path = DEFAULT_KNOWLEDGE_DIR,
        hazard_nlp: Language | None = None,
    ) -> None:
        self.nlp = nlp
        self.hazard_nlp = hazard_nlp
        self.signals = SignalMatcher(nlp, load_lexicon(knowledge_dir / "triage.yml"))
        self.knowledge_dir = knowledge_dir

    def triage(
        self,
        text: str,
        order_total_fen: int | None = None,
        prior_contacts: int = 0,
        sla_missed: bool = False,
    ) -> TriageResult:
        doc = self.nlp.make_doc(prepare_text(text))
        decision = assess(
            doc,
            text,
            self.signals,
            # Read per call: the threshold is the shop's to edit on the running bot.
            cached_policy(self.knowledge_dir).number("triage.high_value_order_fen"),
            order_total_fen=order_total_fen,
            prior_contacts=prior_contacts,
            sla_missed=sla_missed,
            hazard_nlp=self.hazard_nlp,
        )
        category, _ = classify(self.nlp, text, self.signals)
        return TriageResult(category, decision.priority, decision.reasons)

    def urgent_words(self, text: str) -> tuple[str, ...]:
        """The safety hazards (冒烟, 烫伤) and threats (12315, 曝光) in a message: words that make
        a defect report or a refund request a complaint for a person, whatever else it asks."""
        found = self.signals(self.nlp.make_doc(prepare_text(text)), raw_text=text)
        urgent = (SignalKind.HAZARD, SignalKind.THREAT)
        return tuple(signal.text for signal in found if signal.kind in urgent)


def assess(
    doc: Doc,
    text: str,
    signals: SignalMatcher,
    high_value_fen: int,
    *,
    order_total_fen: int | None = None,
    prior_contacts: int = 0,
    sla_missed: bool = False,
    hazard_nlp: Language | None = None,
) -> Decision:
    """The priority of a segmented text (doc of prepare_text(text)): the word lists' signals,
    and the hazard classifier's guess (when one is given) if no hazard word matched."""
    found = signals(doc, raw_text=text)
    hazards = _words(found, SignalKind.HAZARD)
    guess = guessed_hazard(hazard_nlp, text) if hazard_nlp is not None and not hazards else ""
    evidence = Evidence(
        hazards=hazards,
        hazard_guess=guess,
        repeat_contact=_words(found, SignalKind.REPEAT_CONTACT),
        anger=_words(found, SignalKind.ANGER),
        sla_missed=_words(found, SignalKind.SLA_MISSED),
        threats=_words(found, SignalKind.THREAT),
        amounts=tuple(amount.fen for amount in find_amounts(doc.text)),
        order_total_fen=order_total_fen,
        prior_contacts=prior_contacts,
        sla_flag=sla_missed,
    )
    return decide_priority(evidence, high_value_fen)


@lru_cache(maxsize=2)
def get_triager(
    model_dir: Path = DEFAULT_MODEL_DIR, knowledge_dir: Path = DEFAULT_KNOWLEDGE_DIR
) -> Triager:
    """The process's triager for this model; raises ModelMissing if it was never trained."""
    return Triager(
        load_pipeline(model_dir, knowledge_dir),
        knowledge_dir,
        load_hazard_pipeline(model_dir, knowledge_dir),
    )


def triage(
    text: str,
    order_total_fen: int | None = None,
    prior_contacts: int = 0,
    sla_missed: bool = False,
) -> TriageResult:
    return get_triager().triage(text, order_total_fen, prior_contacts, sla_missed)


def _words(signals: list[Signal], kind: SignalKind) -> tuple[str, ...]:
    return tuple(signal.text for signal in signals if signal.kind is kind)
