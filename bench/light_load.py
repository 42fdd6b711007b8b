"""Rasa's own model load against addons/light_load.py's, on the same trained model. Runs in
.venv-rasa; prints numbers, asserts nothing.

    PYTHONPATH=. .venv-rasa/bin/python -m bench.light_load --model models/kefu.tar.gz \
        --data tests/nlu/heldout_v4.yml

Each load runs in its own process (memory is per process): it loads the model, parses every
held-out text and predicts the next action of a few short dialogues, then reports its load
time, its RSS and what it predicted. The two loads must predict the same: same intent, same
confidence to six places, same entities, same FAQ answer, same next action.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

# Short dialogues whose next action the policies predict.
DIALOGUES = (
    ("你好", "我的订单到哪了"),
    ("东西坏了", "想退货"),
    ("在吗", "发票怎么开", "谢谢"),
)


def rss_mb() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) // 1024
    return 0


def use_rasa_load() -> None:
    """Make the light components load the way Rasa itself does (training on one example): without
    the mixin's override, their models inherit RasaModel.load."""
    from addons.light_load import PredictionOnlyLoad

    del PredictionOnlyLoad.load


async def predictions(agent: Any, texts: list[str]) -> list[Any]:
    from rasa.core.channels.channel import UserMessage

    results: list[Any] = []
    for text in texts:
        parsed = await agent.parse_message(text)
        faq = parsed.get("response_selector", {}).get("faq", {}).get("response", {})
        results.append(
            [
                parsed["intent"]["name"],
                round(parsed["intent"]["confidence"], 6),
                sorted((e["entity"], str(e["value"])) for e in parsed["entities"]),
                faq.get("intent_response_key"),
            ]
        )
    for number, dialogue in enumerate(DIALOGUES):
        sender = f"light-load-{number}"
        for text in dialogue:
            await agent.handle_message(UserMessage(text, sender_id=sender))
        scores = (await agent.predict_next_for_sender_id(sender) or {}).get("scores", [])
        best = max(scores, key=lambda score: score["score"])
        results.append([best["action"], round(best["score"], 6)])
    return results


def one_load(model: Path, data: Path, how: str) -> dict[str, Any]:
    from bench.nlu_eval import load_examples

    if how == "rasa":
        use_rasa_load()
    import structlog
    from rasa.core.agent import Agent

    texts = [example["text"] for example in load_examples(data)]
    started = time.monotonic()
    agent = Agent.load(str(model))
    load_seconds = time.monotonic() - started
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    results = asyncio.run(predictions(agent, texts))
    return {"load_seconds": load_seconds, "rss_mb": rss_mb(), "predictions": results}


def run_in_subprocess(model: Path, data: Path, how: str) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.light_load", "--model", str(model), "--data"]
    command += [str(data), "--one", how]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return dict(json.loads(output.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path, default=Path("models/kefu.tar.gz"))
    parser.add_argument("--data", type=Path, default=Path("tests/nlu/heldout_v4.yml"))
    parser.add_argument("--one", choices=("rasa", "light"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_load(args.model, args.data, args.one)))
        return
    rasa = run_in_subprocess(args.model, args.data, "rasa")
    light = run_in_subprocess(args.model, args.data, "light")
    same = sum(a == b for a, b in zip(rasa["predictions"], light["predictions"], strict=True))
    print(f"model {args.model}; {len(rasa['predictions'])} predictions on {args.data}")
    print(f"{'load':<8}{'seconds':>9}{'RSS MB':>9}")
    for name, result in (("rasa", rasa), ("light", light)):
        print(f"{name:<8}{result['load_seconds']:>9.1f}{result['rss_mb']:>9}")
    print(f"identical predictions {same}/{len(rasa['predictions'])}")


if __name__ == "__main__":
    main()
