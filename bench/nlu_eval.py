"""Held-out NLU evaluation. Runs in .venv-rasa (it loads the trained model with Rasa).

    PYTHONPATH=. .venv-rasa/bin/python -m bench.nlu_eval --model models/kefu.tar.gz \
        --data tests/nlu/heldout.yml [--json var/bench/heldout.json]

Prints accuracy, macro-F1, per-intent precision/recall/F1, the confusion matrix, entity F1
for order_id/phone/phone_tail/service_type, FAQ topic accuracy and the fallback rate; with
--errors also the 20 worst errors (reading them spends the set). A fallback prediction counts
as wrong: the buyer did not get the right answer.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
logging.disable(logging.WARNING)

ENTITY_TYPES = ("order_id", "phone", "phone_tail", "service_type")
FALLBACK = "nlu_fallback"


def load_examples(path: Path) -> list[dict[str, Any]]:
    from rasa.shared.nlu.training_data.loading import load_data

    examples = []
    for message in load_data(str(path)).intent_examples:
        examples.append(
            {
                "text": message.get("text"),
                "intent": message.get("intent"),
                "topic": message.get("intent_response_key"),
                "entities": message.get("entities") or [],
            }
        )
    return examples


async def predict(model: Path, texts: list[str]) -> list[dict[str, Any]]:
    import structlog
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    # Rasa logs every parse at debug level through structlog: keep the report readable.
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    return [await agent.parse_message(text) for text in texts]


def scores(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "support": tp + fn}


def intent_metrics(gold: list[str], predicted: list[str]) -> dict[str, Any]:
    labels = sorted(set(gold))
    per_intent = {}
    for label in labels:
        tp = sum(g == p == label for g, p in zip(gold, predicted, strict=False))
        fp = sum(p == label and g != label for g, p in zip(gold, predicted, strict=False))
        fn = sum(g == label and p != label for g, p in zip(gold, predicted, strict=False))
        per_intent[label] = scores(tp, fp, fn)
    accuracy = sum(g == p for g, p in zip(gold, predicted, strict=False)) / len(gold)
    macro_f1 = sum(row["f1"] for row in per_intent.values()) / len(per_intent)
    return {"accuracy": accuracy, "macro_f1": macro_f1, "per_intent": per_intent}


def _digits(value: Any) -> str:
    from bot.text import normalize

    return normalize(str(value))


def entity_metrics(
    examples: list[dict[str, Any]], parses: list[dict[str, Any]]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """F1 per entity type (overlapping span, same normalised value) and the messages that missed."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    mistakes: list[dict[str, Any]] = []
    for example, parse in zip(examples, parses, strict=False):
        for kind in ENTITY_TYPES:
            gold = [e for e in example["entities"] if e["entity"] == kind]
            found = {
                (e["start"], e["end"], _digits(e["value"]))
                for e in parse.get("entities", [])
                if e["entity"] == kind
            }
            matched = set()
            for entity in gold:
                hit = next(
                    (
                        f
                        for f in found
                        if f not in matched
                        and f[0] < entity["end"]
                        and entity["start"] < f[1]
                        and f[2] == _digits(entity["value"])
                    ),
                    None,
                )
                if hit is not None:
                    matched.add(hit)
            counts[kind]["tp"] += len(matched)
            counts[kind]["fn"] += len(gold) - len(matched)
            counts[kind]["fp"] += len(found) - len(matched)
            if len(matched) != len(gold) or len(matched) != len(found):
                mistakes.append(
                    {
                        "text": example["text"],
                        "entity": kind,
                        "gold": [(e["start"], e["end"], str(e["value"])) for e in gold],
                        "found": sorted(found),
                    }
                )
    report = {}
    for kind in ENTITY_TYPES:
        tp, fp, fn = counts[kind]["tp"], counts[kind]["fp"], counts[kind]["fn"]
        report[kind] = scores(tp, fp, fn)
    return report, mistakes


def print_report(result: dict[str, Any], worst: list[dict[str, Any]]) -> None:
    intents = result["intents"]
    print(f"examples: {result['examples']}")
    print(f"accuracy: {intents['accuracy']:.3f}   macro-F1: {intents['macro_f1']:.3f}")
    print(
        f"fallback rate: {result['fallback_rate']:.3f}   FAQ topic accuracy: "
        f"{result['faq_topic_accuracy']:.3f} (of {result['faq_examples']} faq examples)"
    )
    print("\nintent               precision  recall     F1  support")
    for label, row in intents["per_intent"].items():
        print(
            f"{label:<20} {row['precision']:>9.3f} {row['recall']:>7.3f} {row['f1']:>6.3f}"
            f" {row['support']:>8}"
        )
    print("\nentity               precision  recall     F1  support")
    for kind, row in result["entities"].items():
        print(
            f"{kind:<20} {row['precision']:>9.3f} {row['recall']:>7.3f} {row['f1']:>6.3f}"
            f" {row['support']:>8}"
        )
    labels = [*list(intents["per_intent"]), FALLBACK]
    short = {label: label[:6] for label in labels}
    print("\nconfusion matrix (rows: true, columns: predicted)")
    print(" " * 16 + " ".join(f"{short[label]:>6}" for label in labels))
    for true in intents["per_intent"]:
        row = result["confusion"].get(true, {})
        print(f"{true:<16}" + " ".join(f"{row.get(p, 0):>6}" for p in labels))
    if not worst:
        return
    print("\n20 worst errors (most confident first)")
    for error in worst:
        print(
            f"  {error['confidence']:.2f}  {error['intent']:<15} -> {error['predicted']:<15}"
            f" {error['text']}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--data", type=Path, default=Path("tests/nlu/heldout.yml"))
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--errors",
        action="store_true",
        help="also print the 20 worst errors: reading them spends a held-out set",
    )
    args = parser.parse_args()

    examples = load_examples(args.data)
    parses = asyncio.run(predict(args.model, [e["text"] for e in examples]))
    gold = [e["intent"] for e in examples]
    predicted = [p["intent"]["name"] for p in parses]
    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    for g, p in zip(gold, predicted, strict=False):
        confusion[g][p] += 1
    faq = [(e, p) for e, p in zip(examples, parses, strict=False) if e["intent"] == "faq"]
    topic_hits = sum(
        p.get("response_selector", {}).get("faq", {}).get("response", {}).get("intent_response_key")
        == e["topic"]
        and p["intent"]["name"] == "faq"
        for e, p in faq
    )
    errors = [
        {
            "text": e["text"],
            "intent": e["intent"],
            "predicted": p["intent"]["name"],
            "confidence": float(p["intent"].get("confidence") or 0.0),
        }
        for e, p in zip(examples, parses, strict=False)
        if e["intent"] != p["intent"]["name"]
    ]
    worst = sorted(errors, key=lambda error: -error["confidence"])[:20]
    entities, entity_errors = entity_metrics(examples, parses)
    result = {
        "examples": len(examples),
        "intents": intent_metrics(gold, predicted),
        "entities": entities,
        "fallback_rate": predicted.count(FALLBACK) / len(predicted),
        "faq_examples": len(faq),
        "faq_topic_accuracy": topic_hits / len(faq) if faq else 0.0,
        "confusion": {k: dict(v) for k, v in confusion.items()},
        "errors": errors,
        "entity_errors": entity_errors,
    }
    print_report(result, worst if args.errors else [])
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
