"""The agent console in real headless Chromium, against the live product.

The buyer side is driven through the public buyer API (as tests/e2e do); the agent side only
through the page: sign in, queue, claim, reply, internal note, resolve.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.helpers import make_agent, no_alert, sign_in
from tests.conftest import LiveProduct
from tests.e2e.chat import Chat

pytestmark = [pytest.mark.browser, pytest.mark.integration]

HOSTILE = "<img src=x onerror=alert(1)>你好"


def waiting_chat(product: LiveProduct, buyer_id: str | None) -> Chat:
    chat = Chat(product, buyer_id)
    assert chat.say("转人工")["status"] == "waiting_agent"
    return chat


def buyer_history(chat: Chat) -> dict[str, Any]:
    response = chat.http.get(f"/api/v1/conversations/{chat.id}/messages")
    assert response.status_code == 200, response.text
    return dict(response.json())


def open_from_queue(browser: WebDriver, wait: WebDriverWait[WebDriver], chat: Chat) -> None:
    item = (By.CSS_SELECTOR, f"#queue-list li[data-id='{chat.id}']")
    wait.until(ec.element_to_be_clickable(item)).click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "conv-title"), chat.id))


def test_agent_claims_replies_notes_and_resolves(
    browser: WebDriver, live_product: LiveProduct, tmp_path: Path
) -> None:
    _, token = make_agent(live_product, "小美")
    wait = sign_in(browser, live_product, token)
    assert "在线" in browser.find_element(By.ID, "who").text

    # The buyer asks for a person after the console is open: it arrives live and the title flashes.
    chat = waiting_chat(live_product, "b1002")
    wait.until(
        ec.presence_of_element_located((By.CSS_SELECTOR, f"#queue-list li[data-id='{chat.id}']"))
    )
    wait.until(lambda driver: "新会话" in driver.title)
    entry = browser.find_element(By.CSS_SELECTOR, f"#queue-list li[data-id='{chat.id}']")
    assert entry.find_element(By.CSS_SELECTOR, ".badge").text in {"P1", "P2", "P3", "P4"}
    assert "转人工" in entry.text and "SLA" in entry.text and "已等待" in entry.text

    open_from_queue(browser, wait, chat)
    wait.until(ec.text_to_be_present_in_element((By.ID, "transcript"), "转人工"))
    assert browser.find_element(By.ID, "reply-text").get_attribute("disabled") is not None
    browser.find_element(By.ID, "claim-btn").click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "conv-status"), "人工接待中"))
    wait.until(ec.element_to_be_clickable((By.ID, "reply-text")))
    mine = (By.CSS_SELECTOR, f"#mine-list li[data-id='{chat.id}']")
    wait.until(ec.presence_of_element_located(mine))
    wait.until(
        ec.invisibility_of_element_located(
            (By.CSS_SELECTOR, f"#queue-list li[data-id='{chat.id}']")
        )
    )

    # A reply reaches the buyer.
    browser.find_element(By.ID, "reply-text").send_keys("您好，我是小美")
    browser.find_element(By.ID, "reply-send").click()
    wait.until(ec.text_to_be_present_in_element((By.CSS_SELECTOR, ".msg-agent"), "您好，我是小美"))
    history = buyer_history(chat)
    assert history["status"] == "with_agent"
    assert [m["sender"] for m in history["messages"] if m["text"] == "您好，我是小美"] == ["agent"]

    # The buyer writes back; it shows up in the open conversation without a reload.
    chat.say("好的，我的耳机左边没声音")
    wait.until(ec.text_to_be_present_in_element((By.ID, "transcript"), "耳机左边没声音"))

    # An internal note is shown shaded to the agent and never to the buyer.
    browser.find_element(By.ID, "note-check").click()
    browser.find_element(By.ID, "reply-text").send_keys("买家很着急，先安抚")
    browser.find_element(By.ID, "reply-send").click()
    note = (By.CSS_SELECTOR, ".msg-internal")
    wait.until(ec.text_to_be_present_in_element(note, "买家很着急，先安抚"))
    assert "内部备注" in browser.find_element(*note).text
    assert all("先安抚" not in m["text"] for m in buyer_history(chat)["messages"])
    browser.save_screenshot(str(tmp_path / "console.png"))

    # Resolving hands the conversation back to the bot.
    browser.find_element(By.ID, "resolve-btn").click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "conv-status"), "机器人接待"))
    assert buyer_history(chat)["status"] == "bot"
    assert browser.find_element(By.ID, "conv-error").text == ""


def test_buyer_text_is_shown_as_text_and_a_lost_claim_says_so(
    browser: WebDriver, live_product: LiveProduct
) -> None:
    _, token = make_agent(live_product, "小李")
    _, rival = make_agent(live_product, "小王")
    wait = sign_in(browser, live_product, token)
    chat = waiting_chat(live_product, "b1003")
    chat.say(HOSTILE)

    item = (By.CSS_SELECTOR, f"#queue-list li[data-id='{chat.id}']")
    wait.until(ec.text_to_be_present_in_element(item, "onerror=alert(1)"))
    open_from_queue(browser, wait, chat)
    wait.until(ec.text_to_be_present_in_element((By.ID, "transcript"), "onerror=alert(1)"))
    assert no_alert(browser)
    assert not browser.find_elements(By.CSS_SELECTOR, "#queue-list img, #transcript img")
    [bubble] = [
        b for b in browser.find_elements(By.CSS_SELECTOR, ".msg-buyer") if "onerror" in b.text
    ]
    assert bubble.find_element(By.CSS_SELECTOR, ".text").text == HOSTILE

    # Another agent claims first; pressing 接入 right after shows the 409 message. (The claim
    # and the click run in one script, so the live refresh cannot disable the button between.)
    browser.execute_async_script(
        """
        const [id, rival, done] = arguments;
        fetch('/api/v1/agent/conversations/' + id + '/claim',
              {method: 'POST', headers: {Authorization: 'Bearer ' + rival}})
          .then(() => { document.getElementById('claim-btn').click(); done(); });
        """,
        chat.id,
        rival,
    )
    wait.until(ec.text_to_be_present_in_element((By.ID, "conv-error"), "已被其他客服接入"))
    wait.until(ec.text_to_be_present_in_element((By.ID, "conv-meta"), "小王"))
    assert browser.find_element(By.ID, "reply-text").get_attribute("disabled") is not None
    with httpx.Client(base_url=live_product.api) as http:
        response = http.post(
            f"/api/v1/agent/conversations/{chat.id}/resolve",
            headers={"Authorization": f"Bearer {rival}"},
        )
    assert response.status_code == 200, response.text
    assert no_alert(browser)
