"""The normaliser and the tokenizer Rasa runs before the classifiers, inside .venv-rasa."""

from __future__ import annotations

import json

import pytest

from tests.rasa.conftest import run_in_rasa_env

pytestmark = pytest.mark.integration

SCRIPT = """
import json, sys
from rasa.shared.nlu.training_data.message import Message
from addons.normalizer import TextNormalizer
from addons.tokenizer import WordsOnlyJiebaTokenizer

texts = json.loads(sys.argv[1])
messages = [Message(data={"text": text}) for text in texts]
TextNormalizer().process(messages)
tokenizer = WordsOnlyJiebaTokenizer(
    {**WordsOnlyJiebaTokenizer.get_default_config(), "dictionary_path": None}, None, None
)
print(json.dumps([
    {"text": m.get("text"), "tokens": [t.text for t in tokenizer.tokenize(m, "text")]}
    for m in messages
], ensure_ascii=False))
"""


def run(texts: list[str]) -> list[dict[str, object]]:
    result = run_in_rasa_env("python", "-c", SCRIPT, json.dumps(texts, ensure_ascii=False))
    assert result.returncode == 0, result.stderr[-3000:]
    return list(json.loads(result.stdout.strip().splitlines()[-1]))


def test_punctuation_leaves_the_same_words_and_payloads_stay_intact() -> None:
    punctuated, plain, payload, marks = run(
        [
            "好的，明白了，谢谢！",
            "好的 明白了 谢谢",
            '/inform{"order_id": "2026110100000000033"}',
            "？？？",
        ]
    )
    assert punctuated["tokens"] == plain["tokens"]
    assert " " not in punctuated["tokens"]
    assert payload["text"] == '/inform{"order_id": "2026110100000000033"}'
    assert marks["tokens"]  # a message of nothing but marks still has a token
