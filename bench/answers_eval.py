"""How well bot/aftersales/answers.py reads buyers' short answers, on a held-out set.

    python -m bench.answers_eval --data tests/aftersales/heldout_answers.yml

Prints accuracy per question and the misses; asserts nothing. The set was written by someone
who saw neither the code nor the training data: once a miss here chooses a change, it is spent.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import yaml

from bot.aftersales import answers


def _none(value: object) -> str:
    return "none" if value is None else str(value)


def _confirm(text: str) -> str:
    verdict = answers.yes_or_no(text)
    return "none" if verdict is None else ("yes" if verdict else "no")


READERS: dict[str, Callable[[str], str]] = {
    "reason": lambda text: _none(answers.reason_of(text)),
    "service": lambda text: _none(answers.service_of(text)),
    "confirm": _confirm,
    "stop": lambda text: "stop" if answers.wants_to_stop(text) else "go_on",
    "photos": lambda text: _none(answers.photos_answer(text)),
    "progress": lambda text: "progress" if answers.is_progress_question(text) else "new",
    "tracking": lambda text: "|".join(v or "" for v in answers.courier_and_tracking(text)),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True)
    args = parser.parse_args()
    items = yaml.safe_load(args.data.read_text(encoding="utf-8"))["items"]
    right: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    misses = []
    for item in items:
        question, text, expected = item["question"], item["text"], str(item["expected"])
        got = READERS[question](text)
        total[question] += 1
        if got == expected:
            right[question] += 1
        else:
            misses.append(f"  {question:9} {text!r}: expected {expected}, got {got}")
    print(f"{'question':10} {'n':>4} {'accuracy':>9}")
    for question in READERS:
        if total[question]:
            print(f"{question:10} {total[question]:4d} {right[question] / total[question]:9.3f}")
    overall = sum(right.values()) / max(1, sum(total.values()))
    print(f"{'overall':10} {sum(total.values()):4d} {overall:9.3f}")
    print(f"\nmisses ({len(misses)}):")
    print("\n".join(misses))


if __name__ == "__main__":
    main()
