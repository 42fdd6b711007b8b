"""knowledge/ is the single source of truth: every placeholder resolves, every topic is trained."""

import re
from pathlib import Path

import pytest
import yaml

from bot.knowledge import FaqEntry, KnowledgeError, Policy, load_faq, load_policy
from bot.rasa_export import MAX_TRAINING_EXAMPLES_PER_TOPIC, export_all, training_examples
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


def test_every_faq_topic_has_an_answer_and_enough_examples_to_train() -> None:
    for entry in load_faq(KNOWLEDGE).values():
        assert entry.answer, entry.topic
        assert len(entry.examples) >= 20, f"{entry.topic}: {len(entry.examples)} examples"
        assert len(set(entry.examples)) == len(entry.examples), f"{entry.topic} repeats one"


def test_the_exported_training_data_holds_every_topic_and_a_marker_not_the_answer(
    tmp_path: Path,
) -> None:
    faq = load_faq(KNOWLEDGE)
    domain_file, nlu_file = export_all(PROJECT_ROOT, tmp_path)
    nlu = yaml.safe_load(nlu_file.read_text(encoding="utf-8"))["nlu"]
    trained = {block["intent"].split("/", 1)[1]: block["examples"] for block in nlu}
    assert set(trained) == set(faq)
    assert all(
        example in trained["refund_time"] for example in training_examples(faq["refund_time"])
    )
    responses = yaml.safe_load(domain_file.read_text(encoding="utf-8"))["responses"]
    # Rewording an answer must not change what Rasa trains on (the answer is read live).
    assert responses["utter_faq/refund_time"] == [{"text": "[faq:refund_time]"}]


def test_exporting_twice_leaves_the_files_untouched(tmp_path: Path) -> None:
    first = [path.stat().st_mtime_ns for path in export_all(PROJECT_ROOT, tmp_path)]
    second = [path.stat().st_mtime_ns for path in export_all(PROJECT_ROOT, tmp_path)]
    assert first == second


def test_the_nlu_trains_on_a_spread_of_at_most_the_cap_per_topic() -> None:
    entry = FaqEntry("t", "t", "a", tuple(f"问题{i}" for i in range(100)))
    taken = training_examples(entry, cap=10)
    assert len(taken) == 10 and taken[0] == "问题0" and taken[-1] == "问题90"
    for entry in load_faq(KNOWLEDGE).values():
        assert 20 <= len(training_examples(entry)) <= MAX_TRAINING_EXAMPLES_PER_TOPIC
