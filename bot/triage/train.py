"""Trains the triage classifiers (category; hazard or not) and writes them with to_disk.

python -m bot.triage.train --data data/triage/*.yml --out models/triage
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from bot.triage.dataset import load_labelled
from bot.triage.model import (
    DEFAULT_KNOWLEDGE_DIR,
    HAZARD_DIR,
    train_hazard_pipeline,
    train_pipeline,
)


def directory_size(path: Path) -> int:
    return sum(file.stat().st_size for file in path.rglob("*") if file.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, nargs="+", required=True, help="labelled complaints (yml files)"
    )
    parser.add_argument("--out", type=Path, required=True, help="model directory to write")
    parser.add_argument("--knowledge", type=Path, default=DEFAULT_KNOWLEDGE_DIR)
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    items = [item for path in args.data for item in load_labelled(path)]
    nlp, report = train_pipeline(
        [(item.text, item.category) for item in items],
        args.knowledge,
        epochs=args.epochs,
        seed=args.seed,
    )
    # Write next to the target, then swap, so a reader never sees half a model.
    staging = args.out.with_name(args.out.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    nlp.to_disk(staging)
    hazard_nlp = train_hazard_pipeline(
        [(item.text, item.priority == "P1") for item in items], args.knowledge, seed=args.seed
    )
    hazard_nlp.to_disk(staging / HAZARD_DIR)
    shutil.rmtree(args.out, ignore_errors=True)
    staging.rename(args.out)
    size_kb = directory_size(args.out) / 1024
    print(
        f"triage model: {report.examples} texts, {report.epochs} epochs, "
        f"{report.seconds:.1f}s, {size_kb:.0f} KB at {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
