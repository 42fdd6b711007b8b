"""FAQ topic accuracy on a question set parsed by bench.faq_parse. Prints numbers, asserts nothing.

Each question goes the way the bot takes it: the NLU's intent first (faq -> the FAQ action;
nlu_fallback -> the fallback, which offers search matches; a request intent -> its flow, which
offers the related policy topic beside its first question (bot/faq/related.py); anything else
leaves the FAQ), then bot.faq.choosing with and without the BM25 search. A topic counts for
top-1 when it is the one answered or the first one offered, for top-3 when it is among the first
three the buyer sees (the answer and the 猜你想问 buttons beside it, or the offered choice).
"No answer" is a question that got neither.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.faq import choosing
from bot.faq.answering import selector_ranking
from bot.faq.choosing import FaqChoice, Ranked, choose
from bot.faq.related import related_topic
from bot.faq.search import FaqSearch, shop_tokenizer
from bot.knowledge import load_faq
from bot.settings import PROJECT_ROOT


@dataclass
class Tally:
    total: int = 0
    top1: int = 0
    top3: int = 0
    none: int = 0
    direct: int = 0
    direct_right: int = 0

    def add(self, gold: str, choice: FaqChoice) -> None:
        shown = list(choice.shown)
        self.total += 1
        self.top1 += bool(shown) and shown[0] == gold
        self.top3 += gold in shown[:3]
        self.none += not shown
        if choice.answer:
            self.direct += 1
            self.direct_right += choice.answer == gold

    def row(self, name: str) -> str:
        n = max(self.total, 1)
        precision = self.direct_right / self.direct if self.direct else 0.0
        return (
            f"{name:<24} {self.total:>4} {self.top1 / n:>6.3f} {self.top3 / n:>6.3f} "
            f"{self.none / n:>8.3f} {self.direct / n:>7.3f} {precision:>9.3f}"
        )


HEADER = (
    f"{'':<24} {'n':>4} {'top-1':>6} {'top-3':>6} {'no answer':>8} {'direct':>7} {'direct ok':>9}"
)


def decide(row: dict[str, Any], search: FaqSearch | None, topics: set[str]) -> FaqChoice:
    matches = [Ranked(m.topic, m.score) for m in search.search(row["text"])] if search else []
    if row["intent"] == "faq":
        return choose(selector_ranking(row), matches, topics)
    if row["intent"] == "nlu_fallback":
        return choose([], matches, topics)
    beside = related_topic(
        row["intent"], row["text"], selector_ranking(row), "order_id" in row.get("entities", [])
    )
    if beside in topics:
        return FaqChoice(offers=(beside,))  # a button beside the request flow's question
    return FaqChoice()  # another intent's flow answers it, not the FAQ


def evaluate(rows: list[dict[str, Any]], search: FaqSearch | None, topics: set[str]) -> Tally:
    tally = Tally()
    for row in rows:
        tally.add(row["topic"], decide(row, search, topics))
    return tally


@contextmanager
def answer_confidence(value: float) -> Iterator[None]:
    saved = choosing.ANSWER_CONFIDENCE
    choosing.ANSWER_CONFIDENCE = value
    try:
        yield
    finally:
        choosing.ANSWER_CONFIDENCE = saved


def search_sweep(rows: list[dict[str, Any]], unanswerable: Path, search: FaqSearch) -> None:
    """How many right top matches and how many unanswerable questions each minimum keeps."""
    negatives = yaml.safe_load(unanswerable.read_text(encoding="utf-8"))["items"]
    neg = [search.search(item["text"])[:1] for item in negatives]
    pos = [(search.search(row["text"])[:1], row["topic"]) for row in rows]
    right = [m[0].score for m, topic in pos if m and m[0].topic == topic]
    print(f"\nsearch alone: right top match for {len(right)} of {len(rows)} questions")
    print(f"minimum score sweep (now {choosing.MIN_SEARCH_SCORE})")
    print(f"{'minimum':>8} {'right kept':>11} {'unanswerable offered':>21}")
    for minimum in (4, 5, 6, 7, 8, 9, 10):
        kept = sum(score >= minimum for score in right)
        offered = sum(bool(m) and m[0].score >= minimum for m in neg)
        print(f"{minimum:>8} {kept:>6}/{len(right):<4} {offered:>14}/{len(neg):<4}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("parsed", type=Path)
    parser.add_argument("--sweep", action="store_true", help="try answer thresholds (dev only)")
    # Reading a held-out set's misses spends it (README): off unless asked for.
    parser.add_argument("--misses", action="store_true", help="print each miss (dev only)")
    parser.add_argument(
        "--unanswerable", type=Path, help="questions the FAQ cannot answer, for the search sweep"
    )
    args = parser.parse_args()
    rows = json.loads(args.parsed.read_text(encoding="utf-8"))
    knowledge = PROJECT_ROOT / "knowledge"
    faq = load_faq(knowledge)
    topics = set(faq)
    search = FaqSearch(faq, shop_tokenizer(knowledge))

    intents: dict[str, int] = defaultdict(int)
    for row in rows:
        intents[row["intent"]] += 1
    print("NLU intent of the questions:", dict(sorted(intents.items(), key=lambda kv: -kv[1])))
    print(HEADER)
    print(evaluate(rows, None, topics).row("selector only"))
    print(evaluate(rows, search, topics).row("selector + BM25"))
    # The rest went to another flow (cancel, refund, defect, order status...), which acts on the
    # buyer's order and at most offers the rule as a button beside its question.
    reached = [row for row in rows if row["intent"] in ("faq", "nlu_fallback")]
    print(evaluate(reached, None, topics).row("reached FAQ, selector"))
    print(evaluate(reached, search, topics).row("reached FAQ, + BM25"))
    elsewhere = [row for row in rows if row["intent"] not in ("faq", "nlu_fallback")]
    print(evaluate(elsewhere, search, topics).row("another flow, beside it"))

    print("\nper topic (selector + BM25)")
    print(HEADER)
    by_topic: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_topic[row["topic"]].append(row)
    for topic in sorted(by_topic):
        print(evaluate(by_topic[topic], search, topics).row(topic))

    if args.sweep:
        print(f"\nanswer-confidence sweep (now {choosing.ANSWER_CONFIDENCE})")
        print(HEADER)
        for value in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
            with answer_confidence(value):
                print(evaluate(rows, search, topics).row(f"answer at >= {value}"))

    if args.sweep and args.unanswerable:
        search_sweep(rows, args.unanswerable, search)

    if not args.misses:
        return
    print("\nmisses (gold -> shown)")
    for row in rows:
        choice = decide(row, search, topics)
        shown = list(choice.shown)
        if not shown or shown[0] != row["topic"]:
            print(f"  {row['topic']} -> {shown or row['intent']}  {row['text']}")


if __name__ == "__main__":
    main()
