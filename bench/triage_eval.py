"""Complaint triage evaluation. Prints numbers only and asserts nothing.

    python -m bench.triage_eval --data tests/triage/heldout.yml [--model models/triage]
    python -m bench.triage_eval --data data/triage/complaints.yml --cv 5

The first scores a trained model on a held-out set; the second cross-validates on training data
(each fold trained from scratch with the same settings as `make train`). Prints per-category
precision/recall/F1, macro-F1, priority accuracy, the priority confusion matrix and P1 recall.
Items without a `priority` are left out of the priority numbers.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

from bench.nlu_eval import scores
from bot.triage import Triager, TriageResult
from bot.triage.dataset import CATEGORIES, LabelledText, load_labelled
from bot.triage.model import (
    DEFAULT_KNOWLEDGE_DIR,
    DEFAULT_MODEL_DIR,
    load_hazard_pipeline,
    load_pipeline,
    train_hazard_pipeline,
    train_pipeline,
)

PRIORITIES = ("P1", "P2", "P3", "P4")


def predict(triager: Triager, items: Sequence[LabelledText]) -> list[TriageResult]:
    return [
        triager.triage(item.text, item.order_total_fen, item.prior_contacts, item.sla_missed)
        for item in items
    ]


def cross_validate(
    items: list[LabelledText], folds: int, knowledge: Path, seed: int
) -> list[TriageResult]:
    """Stratified folds: every category is spread evenly over the folds."""
    fold_of: dict[int, int] = {}
    by_category: dict[str, list[int]] = defaultdict(list)
    for index, item in enumerate(items):
        by_category[item.category].append(index)
    for indices in by_category.values():
        for position, index in enumerate(indices):
            fold_of[index] = position % folds
    results: dict[int, TriageResult] = {}
    for fold in range(folds):
        train = [(it.text, it.category) for i, it in enumerate(items) if fold_of[i] != fold]
        test = [i for i in range(len(items)) if fold_of[i] == fold]
        nlp, _report = train_pipeline(train, knowledge, seed=seed)
        hazards = [
            (it.text, it.priority == "P1") for i, it in enumerate(items) if fold_of[i] != fold
        ]
        triager = Triager(nlp, knowledge, train_hazard_pipeline(hazards, knowledge, seed=seed))
        for index, result in zip(test, predict(triager, [items[i] for i in test]), strict=True):
            results[index] = result
    return [results[index] for index in range(len(items))]


def report(items: Sequence[LabelledText], results: Sequence[TriageResult], errors: int) -> None:
    gold = [item.category for item in items]
    predicted = [result.category for result in results]
    print("\ncategory                 precision  recall     F1  support")
    f1s = []
    for label in CATEGORIES:
        pairs = list(zip(gold, predicted, strict=True))
        tp = sum(g == p == label for g, p in pairs)
        fp = sum(p == label != g for g, p in pairs)
        fn = sum(g == label != p for g, p in pairs)
        row = scores(tp, fp, fn)
        if row["support"]:
            f1s.append(row["f1"])
        print(
            f"{label:<24} {row['precision']:>9.3f} {row['recall']:>7.3f} {row['f1']:>6.3f}"
            f" {int(row['support']):>8}"
        )
    accuracy = sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(items)
    print(f"\ncategory accuracy  {accuracy:.3f}")
    print(f"category macro-F1  {sum(f1s) / len(f1s):.3f}  (over {len(f1s)} categories present)")

    rated = [(i.priority, r.priority.value) for i, r in zip(items, results, strict=True)]
    rated = [(g, p) for g, p in rated if g is not None]
    if rated:
        right = sum(g == p for g, p in rated)
        print(f"\npriority accuracy  {right / len(rated):.3f}  ({right}/{len(rated)})")
        matrix = Counter(rated)
        print("priority confusion (rows gold, columns predicted)")
        print("      " + "".join(f"{p:>6}" for p in PRIORITIES))
        for g in PRIORITIES:
            print(f"{g:<6}" + "".join(f"{matrix[(g, p)]:>6}" for p in PRIORITIES))
        p1 = [p for g, p in rated if g == "P1"]
        recall = sum(p == "P1" for p in p1) / len(p1) if p1 else float("nan")
        print(f"P1 recall          {recall:.3f}  ({sum(p == 'P1' for p in p1)}/{len(p1)})")

    if errors:
        print(f"\nfirst {errors} disagreements (gold -> predicted)")
        shown = 0
        for item, result in zip(items, results, strict=True):
            wrong_priority = item.priority is not None and item.priority != result.priority
            if item.category == result.category and not wrong_priority:
                continue
            print(
                f"  {item.category}/{item.priority} -> {result.category}/{result.priority.value}"
                f"  {result.reasons}  {item.text[:70]}"
            )
            shown += 1
            if shown >= errors:
                break


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL_DIR)
    parser.add_argument("--knowledge", type=Path, default=DEFAULT_KNOWLEDGE_DIR)
    parser.add_argument("--cv", type=int, default=0, help="cross-validate with this many folds")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--errors", type=int, default=0, help="list this many disagreements")
    args = parser.parse_args(argv)

    items = load_labelled(args.data)
    started = time.perf_counter()
    if args.cv:
        results = cross_validate(items, args.cv, args.knowledge, args.seed)
        print(f"{args.cv}-fold cross-validation on {args.data}: {len(items)} texts")
    else:
        triager = Triager(
            load_pipeline(args.model, args.knowledge),
            args.knowledge,
            load_hazard_pipeline(args.model, args.knowledge),
        )
        results = predict(triager, items)
        print(f"model {args.model} on {args.data}: {len(items)} texts")
    print(f"time {time.perf_counter() - started:.1f}s")
    report(items, results, args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
