"""knowledge/ is the single source of truth: every placeholder resolves, every topic is trained."""

import re
from pathlib import Path

import pytest
import yaml

from bot.knowledge import KnowledgeError, Policy, load_faq, load_policy
from bot.settings import PROJECT_ROOT

KNOWLEDGE = PROJECT_ROOT / "knowledge"


def test_policy_values_are_read_by_dotted_key() -> None:
    policy = load_policy(KNOWLEDGE)
    assert policy.number("no_reason_return.days_after_delivery") == 7
    assert "fresh_food" in policy.get("no_reason_return.excluded_categories")


def test_render_fills_placeholders_and_refuses_unknown_keys() -> None:
    policy = Policy({"refund": {"seller_response_days": 5}})
    assert policy.render("商家{refund.seller_response_days}天内处理") == "商家5天内处理"
    with pytest.raises(KnowledgeError):
        policy.render("{refund.no_such_key}")


def test_every_faq_answer_renders_without_leftover_placeholders() -> None:
    for entry in load_faq(KNOWLEDGE).values():
        assert entry.answer
        assert "{" not in entry.answer and "}" not in entry.answer, entry.topic


def _policy_numbers(node: object) -> set[str]:
    if isinstance(node, dict):
        return set().union(*(_policy_numbers(value) for value in node.values()))
    if isinstance(node, int) and not isinstance(node, bool):
        return {str(node)}
    return set()


def test_faq_answers_take_policy_numbers_from_policy_yml_only() -> None:
    numbers = _policy_numbers(load_policy(KNOWLEDGE).values)
    raw = yaml.safe_load((KNOWLEDGE / "faq.yml").read_text(encoding="utf-8"))["topics"]
    for topic, body in raw.items():
        # A policy number typed into an answer would be a fact written twice.
        written = set(re.findall(r"\d+", body["answer"]))
        assert not written & numbers, f"{topic} writes {written & numbers} itself"


def _trained_faq_topics(data_dir: Path) -> set[str]:
    topics = set()
    for path in data_dir.glob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            intent = block.get("intent", "")
            if intent.startswith("faq/"):
                topics.add(intent.split("/", 1)[1])
    return topics


def test_every_faq_topic_has_training_examples_and_an_answer() -> None:
    assert _trained_faq_topics(PROJECT_ROOT / "data" / "nlu") == set(load_faq(KNOWLEDGE))
