"""Which FAQ topic to answer, or which to offer, from the NLU's pick and the search's matches.

The NLU's response selector answers directly when it is sure. When it is not, guessing would
give a confident answer to the wrong question, so the bot offers its best candidates as buttons
("您是想问：…"): the selector's own top picks merged with the search's. Nothing good enough on
either side means no answer: the question is recorded as a gap and a person is offered.

The thresholds are measured on tests/faq/dev.yml (`make bench-faq` prints the sweep), never on
the held-out set.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# At or above this the selector's topic is answered without asking (bench-faq's sweep on dev).
ANSWER_CONFIDENCE = 0.5
# A selector candidate below this is noise, not worth a button.
OFFER_CONFIDENCE = 0.05
# A search match below this BM25 score shares only common words with the question. At 7 the
# search's right top match is kept for 125 of 127 dev questions and 8 of 30 questions the FAQ
# cannot answer still get buttons (always with 都不是，转人工): a wrong offer costs a tap, a
# missed one a person (bench-faq's sweep over dev.yml and dev_unanswerable.yml).
MIN_SEARCH_SCORE = 7.0
MAX_OFFERS = 3
MAX_RELATED = 2


@dataclass(frozen=True)
class Ranked:
    topic: str
    score: float


@dataclass(frozen=True)
class FaqChoice:
    answer: str | None = None  # a topic answered at once
    # Topics offered as buttons, best first: the choice when unsure; beside an answer, the
    # runners-up (猜你想问), so a near miss is one tap away.
    offers: tuple[str, ...] = ()

    @property
    def shown(self) -> tuple[str, ...]:
        """Every topic the buyer sees, the answered one first."""
        return (self.answer, *self.offers) if self.answer else self.offers

    @property
    def found_nothing(self) -> bool:
        return self.answer is None and not self.offers


def choose(
    selector: Sequence[Ranked],
    matches: Sequence[Ranked],
    known_topics: Iterable[str],
    picked: str | None = None,
) -> FaqChoice:
    """selector: the response selector's ranking (confidences); matches: the search's (scores)."""
    known = set(known_topics)
    if picked in known:
        return FaqChoice(answer=picked)
    ranked = [r for r in selector if r.topic in known]
    if ranked and ranked[0].score >= ANSWER_CONFIDENCE:
        answered = ranked[0].topic
        others = [m for m in matches if m.topic != answered]
        related = offer(ranked[1:], others, known)[:MAX_RELATED]
        return FaqChoice(answer=answered, offers=related)
    return FaqChoice(offers=offer(ranked, matches, known))


def offer(
    selector: Sequence[Ranked], matches: Sequence[Ranked], known: set[str]
) -> tuple[str, ...]:
    """The selector's and the search's candidates taken in turn, each topic once."""
    from_selector = [r.topic for r in selector if r.score >= OFFER_CONFIDENCE]
    from_search = [m.topic for m in matches if m.score >= MIN_SEARCH_SCORE and m.topic in known]
    offers: list[str] = []
    for pair in _interleave(from_selector, from_search):
        if pair not in offers:
            offers.append(pair)
    return tuple(offers[:MAX_OFFERS])


def _interleave(first: list[str], second: list[str]) -> list[str]:
    merged: list[str] = []
    for i in range(max(len(first), len(second))):
        merged.extend(side[i] for side in (first, second) if i < len(side))
    return merged
