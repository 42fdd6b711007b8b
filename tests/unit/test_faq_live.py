"""knowledge/ is read live: an edited answer or policy number is used at once, a broken edit is
refused and the last good copy stays."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bot.faq.answering import answer, selector_ranking
from bot.faq.choosing import Ranked
from bot.knowledge import KnowledgeError
from bot.knowledge_live import LiveKnowledge
from bot.settings import PROJECT_ROOT


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(PROJECT_ROOT / "knowledge", target)
    return target


def _touch_later(path: Path) -> None:
    # Some file systems keep coarse time stamps: make the edit visible whatever their grain.
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    _touch_later(path)


def test_a_changed_policy_number_changes_the_answer_without_a_reload(knowledge_copy: Path) -> None:
    live = LiveKnowledge(knowledge_copy)
    before = live.snapshot()
    assert "5天内处理" in before.faq["refund_time"].answer
    _edit(knowledge_copy / "policy.yml", "seller_response_days: 5", "seller_response_days: 3")
    after = live.snapshot()
    assert after.version == before.version + 1
    assert "3天内处理" in after.faq["refund_time"].answer
    assert after.policy.number("refund.seller_response_days") == 3


def test_a_broken_edit_keeps_the_last_good_copy_and_reload_reports_it(
    knowledge_copy: Path,
) -> None:
    live = LiveKnowledge(knowledge_copy)
    good = live.snapshot()
    _edit(knowledge_copy / "faq.yml", "{refund.seller_response_days}", "{refund.no_such_days}")
    assert live.snapshot() is good  # buyers keep getting the last good answers
    assert live.last_error and "no_such_days" in live.last_error
    with pytest.raises(KnowledgeError, match="no_such_days"):
        live.reload()
    assert live.snapshot() is good


def test_the_answer_is_looked_up_in_knowledge_at_reply_time(knowledge_copy: Path) -> None:
    sure = [Ranked("refund_time", 0.97)]
    assert "5天内处理" in (answer(knowledge_copy, "退款多久到", sure).answer_text or "")
    _edit(knowledge_copy / "policy.yml", "seller_response_days: 5", "seller_response_days: 2")
    assert "2天内处理" in (answer(knowledge_copy, "退款多久到", sure).answer_text or "")


def test_the_response_selectors_ranking_is_read_from_rasas_parse() -> None:
    parse = {
        "response_selector": {
            "faq": {
                "ranking": [
                    {"intent_response_key": "faq/refund_time", "confidence": 0.8},
                    {"intent_response_key": "faq/refund_method", "confidence": 0.15},
                    {"intent_response_key": "chitchat/weather", "confidence": 0.05},
                ]
            }
        }
    }
    assert selector_ranking(parse) == [
        Ranked("refund_time", 0.8),
        Ranked("refund_method", 0.15),
    ]
    assert selector_ranking({}) == []
