"""Answers a FAQ question from knowledge/ as it is now: a topic's answer, a choice of topics,
or nothing (then the question is a gap for the shop owner to fill)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.faq.choosing import FaqChoice, Ranked, choose
from bot.faq.search import search_for
from bot.knowledge_live import live_knowledge

RETRIEVAL_INTENT = "faq"


@dataclass(frozen=True)
class FaqReply:
    choice: FaqChoice
    answer_text: str | None  # the topic's answer when one is answered
    offers: tuple[tuple[str, str], ...]  # (topic, title) to offer as buttons


def answer(
    knowledge_dir: Path,
    text: str,
    selector: Sequence[Ranked],
    picked: str | None = None,
    use_search: bool = True,
) -> FaqReply:
    snapshot = live_knowledge(knowledge_dir).snapshot()
    matches: list[Ranked] = []
    if use_search and text.strip():
        index = search_for(knowledge_dir, snapshot.version, snapshot.faq)
        matches = [Ranked(m.topic, m.score) for m in index.search(text)]
    choice = choose(selector, matches, snapshot.faq, picked)
    entry = snapshot.faq.get(choice.answer) if choice.answer else None
    return FaqReply(
        choice,
        entry.answer if entry else None,
        tuple((topic, snapshot.faq[topic].title) for topic in choice.offers),
    )


def selector_ranking(parse_data: Mapping[str, Any]) -> list[Ranked]:
    """The response selector's topics for a parsed message, best first (Rasa's parse format)."""
    selector = (parse_data.get("response_selector") or {}).get(RETRIEVAL_INTENT) or {}
    ranked = []
    for candidate in selector.get("ranking") or []:
        key = str(candidate.get("intent_response_key") or "")
        prefix, _, topic = key.partition("/")
        if prefix == RETRIEVAL_INTENT and topic:
            ranked.append(Ranked(topic, float(candidate.get("confidence") or 0.0)))
    return ranked
