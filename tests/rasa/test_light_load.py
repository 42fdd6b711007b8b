"""addons/light_load.py: the trained model loaded for prediction only predicts exactly what
Rasa's own load (a one-example training run first) predicts, on the real trained model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.supervisor import MODEL_PATH
from tests.rasa.conftest import run_in_rasa_env

pytestmark = pytest.mark.integration

# Every kind of NLU output the bot reads: intents with and without punctuation, entities
# (order number, phone tail, service type), FAQ answers, out-of-scope text.
TEXTS = (
    "你好",
    "好的，明白了，谢谢！",
    "订单2026110100000000033到哪了？",
    "尾号是6789",
    "收到的杯子裂了，想换货",
    "我要退货退款",
    "发票怎么开",
    "退款一般几天到账",
    "帮我查下去上海的高铁",
    "转人工",
)


def load_and_predict(how: str, data: Path) -> dict[str, object]:
    result = run_in_rasa_env(
        "python",
        "-m",
        "bench.light_load",
        "--model",
        str(MODEL_PATH),
        "--data",
        str(data),
        "--one",
        how,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def test_the_light_load_predicts_what_rasas_own_load_predicts(tmp_path: Path) -> None:
    if not MODEL_PATH.is_file():
        pytest.fail(f"no trained model at {MODEL_PATH}: run `make train` (make test does)")
    data = tmp_path / "texts.yml"
    examples = "".join(f"    - {text}\n" for text in TEXTS)
    data.write_text(f'version: "3.1"\nnlu:\n- intent: any\n  examples: |\n{examples}')

    rasa = load_and_predict("rasa", data)
    light = load_and_predict("light", data)

    assert light["predictions"] == rasa["predictions"]
    intents = [prediction[0] for prediction in light["predictions"][: len(TEXTS)]]
    # The weights are the trained ones, not a fresh initialisation.
    assert intents[0] == "greet" and intents[-1] == "request_human"
    # The point of it: no optimizer slots and no training graph in the running bot.
    assert light["rss_mb"] < rasa["rss_mb"]
