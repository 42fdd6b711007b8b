"""Parses the FAQ question sets with the trained model. Runs in .venv-rasa; bench.faq_eval scores.

    PYTHONPATH=. .venv-rasa/bin/python -m bench.faq_parse --model models/kefu.tar.gz \
        --data tests/faq/heldout.yml --out var/bench/faq-heldout.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
from pathlib import Path

import yaml

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
logging.disable(logging.WARNING)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    from bench.nlu_eval import predict

    items = yaml.safe_load(args.data.read_text(encoding="utf-8"))["items"]
    parsed = asyncio.run(predict(args.model, [item["text"] for item in items]))
    rows = [
        {
            "text": item["text"],
            "topic": item["topic"],
            "intent": (parse.get("intent") or {}).get("name"),
            "response_selector": parse.get("response_selector") or {},
            "entities": [e.get("entity") for e in parse.get("entities") or []],
        }
        for item, parse in zip(items, parsed, strict=True)
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
