"""action_answer_faq answers from knowledge/ as it is now, offers a choice when unsure, and
records what it cannot answer for the shop owner."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session, sessionmaker

from actions.fallback import ActionFallback
from actions.faq import ActionAnswerFaq
from bot.cli import main as cli
from bot.services.faq_gaps import list_gaps
from bot.settings import PROJECT_ROOT, get_settings
from bot.store.session import session_scope
from tests.actions.conftest import DOMAIN


def faq_turn(
    text: str,
    ranking: list[tuple[str, float]],
    intent: str = "faq",
    entities: list[dict[str, Any]] | None = None,
    bot_said: str | None = None,
    form: str | None = None,
    asked: str | None = None,
) -> Tracker:
    parse = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        "entities": entities or [],
        "response_selector": {
            "faq": {
                "ranking": [
                    {"intent_response_key": f"faq/{topic}", "confidence": confidence}
                    for topic, confidence in ranking
                ]
            }
        },
    }
    events: list[dict[str, Any]] = [{"event": "action", "name": "action_listen"}]
    if bot_said is not None:
        events.append({"event": "bot", "text": bot_said})
    events.append({"event": "user", "text": text, "parse_data": parse})
    return Tracker.from_dict(
        {
            "sender_id": "faq-test",
            "slots": {"requested_slot": asked},
            "latest_message": parse,
            "events": events,
            "paused": False,
            "followup_action": None,
            "active_loop": {"name": form} if form else {},
            "latest_action_name": "action_listen",
        }
    )


def run(tracker: Tracker, action: Any = None) -> list[dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    (action or ActionAnswerFaq()).run(dispatcher, tracker, {})
    return dispatcher.messages


@pytest.fixture
def knowledge_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seeded: sessionmaker[Session]
) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(PROJECT_ROOT / "knowledge", target)
    monkeypatch.setenv("KEFU_KNOWLEDGE_DIR", str(target))
    get_settings.cache_clear()
    return target


def test_a_sure_topic_is_answered_with_the_live_answer(knowledge_copy: Path) -> None:
    [message] = run(faq_turn("退款几天到", [("refund_time", 0.95)]))
    assert "5天内处理" in message["text"]
    policy = knowledge_copy / "policy.yml"
    policy.write_text(
        policy.read_text(encoding="utf-8").replace(
            "seller_response_days: 5", "seller_response_days: 4"
        ),
        encoding="utf-8",
    )
    stat = policy.stat()
    os.utime(policy, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    [message] = run(faq_turn("退款几天到", [("refund_time", 0.95)]))
    assert "4天内处理" in message["text"] and "5天内处理" not in message["text"]


def test_an_unsure_topic_is_offered_as_buttons_that_answer_it(knowledge_copy: Path) -> None:
    [message] = run(faq_turn("钱啥时候回来", [("refund_time", 0.3), ("refund_method", 0.25)]))
    assert message["response"] == "utter_faq_offer"
    payloads = [button["payload"] for button in message["buttons"]]
    assert payloads[0] == '/faq{"faq_topic": "refund_time"}'
    assert payloads[-1] == "/request_human"  # none of them: a person
    picked = json.loads(payloads[0][len("/faq") :])["faq_topic"]
    entities = [{"entity": "faq_topic", "value": picked}]
    [answer] = run(faq_turn(payloads[0], [], entities=entities))
    assert "退款" in answer["text"]


def test_the_same_answer_is_not_sent_twice_in_a_row(knowledge_copy: Path) -> None:
    [first] = run(faq_turn("退款几天到", [("refund_time", 0.95)]))
    [second] = run(faq_turn("退款几天能到", [("refund_time", 0.95)], bot_said=first["text"]))
    assert second["response"] == "utter_faq_same_again"
    # One way to a person: the response's own button, none added beside it (it came twice).
    assert second["buttons"] == []
    [own] = DOMAIN["responses"]["utter_faq_same_again"]
    assert [button["payload"] for button in own["buttons"]] == ["/request_human"]


def test_a_question_nobody_can_answer_is_recorded_and_a_person_offered(
    knowledge_copy: Path, seeded: sessionmaker[Session], capsys: pytest.CaptureFixture[str]
) -> None:
    for text in ("你们老板是哪里人", "你们老板是哪里人？？", "猫粮和狗粮能混着喂吗"):
        [message] = run(faq_turn(text, [("contact", 0.01)]))
        assert message["response"] == "utter_faq_unknown"
        assert message["buttons"] == [{"title": "都不是，转人工", "payload": "/request_human"}]
    with session_scope(seeded) as session:
        gaps = list_gaps(session)
    assert [(gap.text, gap.count) for gap in gaps] == [
        ("你们老板是哪里人？？", 2),
        ("猫粮和狗粮能混着喂吗", 1),
    ]
    assert cli(["faq-gaps"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[0] == "2" and lines[0].endswith("你们老板是哪里人？？")


def test_the_fallback_offers_faq_topics_that_share_the_questions_words(
    knowledge_copy: Path,
) -> None:
    [message] = run(faq_turn("退款到账时间", [], intent="nlu_fallback"), ActionFallback())
    assert message["response"] == "utter_faq_offer"
    assert '/faq{"faq_topic": "refund_time"}' in [b["payload"] for b in message["buttons"]]
    [message] = run(faq_turn("嗯嗯嗯", [], intent="nlu_fallback"), ActionFallback())
    assert message["response"] == "utter_default"


def test_asked_what_happened_a_statement_is_left_to_the_complaint_form(
    knowledge_copy: Path,
) -> None:
    told = "你们客服回复太慢了，问个问题等了好久才有人回"
    turn = faq_turn(told, [("contact", 0.9)], form="complaint_form", asked="complaint_detail")
    assert run(turn) == []
    asked = faq_turn(
        "你们客服几点下班？", [("contact", 0.9)], form="complaint_form", asked="complaint_detail"
    )
    [message] = run(asked)
    assert "客服" in message["text"]


def test_a_rule_about_a_service_the_bot_files_comes_with_that_service_as_a_button(
    knowledge_copy: Path,
) -> None:
    [message] = run(faq_turn("开发票要什么资料", [("invoice", 0.95)]))
    assert message["buttons"][0] == {"title": "帮我开发票", "payload": "/request_invoice"}
    [message] = run(faq_turn("退款几天到", [("refund_time", 0.95)]))
    assert all(button["payload"].startswith("/faq") for button in message["buttons"])


def test_the_privacy_answer_offers_a_person_for_what_the_bot_cannot_do(
    knowledge_copy: Path,
) -> None:
    # 帮我注销账号: the answer says how; deleting is the buyer's or a person's to do.
    [message] = run(faq_turn("帮我注销账号", [("privacy", 0.95)]))
    assert "注销" in message["text"]
    assert message["buttons"][0] == {"title": "找人工处理", "payload": "/request_human"}


def test_a_tapped_topic_inside_a_form_is_answered_not_taken_as_the_answer(
    knowledge_copy: Path,
) -> None:
    payload = '/faq{"faq_topic": "cancel_policy"}'
    entities = [{"entity": "faq_topic", "value": "cancel_policy"}]
    tapped = faq_turn(payload, [], entities=entities, form="cancel_form", asked="order_id")
    [message] = run(tapped)
    assert "取消" in message["text"]
