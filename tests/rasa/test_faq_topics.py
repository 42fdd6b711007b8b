"""Every question the seed articles answer reaches the right FAQ topic, through the trained
model and the bot's own choice (bot.faq.choosing), as a buyer would get it."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from bench.faq_eval import decide
from bot.faq.search import FaqSearch, shop_tokenizer
from bot.knowledge import load_faq
from bot.settings import PROJECT_ROOT
from bot.supervisor import MODEL_PATH
from tests.rasa.conftest import run_in_rasa_env

pytestmark = pytest.mark.integration

SEED_QUESTIONS = PROJECT_ROOT / "tests" / "faq" / "seed_questions.yml"
ITEMS = yaml.safe_load(SEED_QUESTIONS.read_text(encoding="utf-8"))["items"]


@pytest.fixture(scope="module")
def parsed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    out = tmp_path_factory.mktemp("faq") / "seed.json"
    result = run_in_rasa_env(
        "python", "-m", "bench.faq_parse", "--model", str(MODEL_PATH),
        "--data", str(SEED_QUESTIONS), "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return {row["text"]: row for row in json.loads(out.read_text(encoding="utf-8"))}


@pytest.fixture(scope="module")
def search() -> FaqSearch:
    knowledge = PROJECT_ROOT / "knowledge"
    return FaqSearch(load_faq(knowledge), shop_tokenizer(knowledge))


@pytest.mark.parametrize("item", ITEMS, ids=[f"{i['seed']}: {i['text']}" for i in ITEMS])
def test_the_seed_question_gets_its_topic(
    item: dict[str, str], parsed: dict[str, dict[str, Any]], search: FaqSearch
) -> None:
    """The buyer gets the topic's answer, or the topic first among the offered questions (one
    tap, the designed path below the answer threshold), or for a marked border question the
    service that answers the same need for the buyer's own order."""
    row = parsed[item["text"]]
    if item.get("or_service") and row["intent"] == item["or_service"]:
        return
    choice = decide(row, search, set(load_faq(PROJECT_ROOT / "knowledge")))
    first_offer = choice.offers[0] if choice.offers and choice.answer is None else None
    assert item["topic"] in (choice.answer, first_offer), (row["intent"], choice)


def test_every_seed_subject_of_the_issue_is_covered() -> None:
    subjects = {item["seed"] for item in ITEMS}
    assert len(subjects) == 28
    assert {item["topic"] for item in ITEMS} <= set(load_faq(PROJECT_ROOT / "knowledge"))
