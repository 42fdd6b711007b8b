"""The Rasa component that gives entities canonical values, run inside .venv-rasa."""

from __future__ import annotations

import json

import pytest

from tests.rasa.conftest import run_in_rasa_env

pytestmark = pytest.mark.integration

SCRIPT = """
import json, sys
from rasa.shared.nlu.training_data.message import Message
from addons.entity_values import EntityValueFilter

cases = json.loads(sys.argv[1])
messages = [Message(data={"text": c["text"], "entities": c["entities"]}) for c in cases]
EntityValueFilter().process(messages)
print(json.dumps([m.get("entities") for m in messages], ensure_ascii=False))
"""


def _entity(name: str, text: str, words: str, value: str | None = None) -> dict[str, object]:
    start = text.index(words)
    return {"entity": name, "start": start, "end": start + len(words), "value": value or words}


def test_entities_get_canonical_values_and_impossible_ones_are_dropped() -> None:
    order = "2026110100000000033"
    texts = [
        "吹风机坏了想返厂维修",
        f"{order}说好48小时发货 再不发我打12315",
        "我要退货 尾号1234",
    ]
    cases = [
        {"text": texts[0], "entities": [_entity("service_type", texts[0], "返厂维修")]},
        {
            "text": texts[1],
            "entities": [
                _entity("order_id", texts[1], order),
                _entity("order_id", texts[1], "48"),
                _entity("phone", texts[1], "12315"),
            ],
        },
        {
            "text": texts[2],
            "entities": [
                _entity("service_type", texts[2], "退货", "return_refund"),
                _entity("phone_tail", texts[2], "1234"),
            ],
        },
    ]
    result = run_in_rasa_env("python", "-c", SCRIPT, json.dumps(cases, ensure_ascii=False))
    assert result.returncode == 0, result.stderr[-3000:]
    repair, order_only, kept = json.loads(result.stdout.strip().splitlines()[-1])
    assert [(e["entity"], e["value"]) for e in repair] == [("service_type", "repair")]
    assert [(e["entity"], e["value"]) for e in order_only] == [("order_id", order)]
    assert [(e["entity"], e["value"]) for e in kept] == [
        ("service_type", "return_refund"),
        ("phone_tail", "1234"),
    ]
