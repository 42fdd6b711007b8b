"""The demo shop page and chat widget in real headless Chromium, against the live product."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from bot import seed
from bot.security import hash_agent_token
from bot.store.models import Agent
from bot.store.session import create_db_engine, make_session_factory, session_scope
from tests.conftest import LiveProduct

pytestmark = [pytest.mark.browser, pytest.mark.integration]


def open_widget(browser: WebDriver, url: str) -> WebDriverWait[WebDriver]:
    browser.get(url)
    browser.execute_script("localStorage.clear()")
    browser.get(url)
    wait = WebDriverWait(browser, 60)
    wait.until(ec.element_to_be_clickable((By.ID, "kefu-launcher"))).click()
    wait.until(ec.visibility_of_element_located((By.ID, "kefu-input")))
    return wait


def send(browser: WebDriver, text: str) -> None:
    box = browser.find_element(By.ID, "kefu-input")
    box.send_keys(text)
    browser.find_element(By.ID, "kefu-send").click()


def test_buyer_asks_for_an_order_and_picks_it_from_buttons(
    browser: WebDriver, live_product: LiveProduct, tmp_path: Path
) -> None:
    wait = open_widget(browser, f"{live_product.api}/demo?buyer=b1001")
    send(browser, "查一下我的订单到哪了")
    button = wait.until(
        ec.element_to_be_clickable(
            (By.XPATH, "//div[contains(@class,'kefu-buttons')]/button[contains(., '充电宝')]")
        )
    )
    button.click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "kefu-log"), "快件已到达杭州转运中心"))
    assert "顺丰速运" in browser.find_element(By.ID, "kefu-log").text
    browser.save_screenshot(str(tmp_path / "widget.png"))
    assert seed.IN_TRANSIT in browser.find_element(By.ID, "kefu-log").text


def test_hostile_text_is_shown_as_text_and_survives_a_reload(
    browser: WebDriver, live_product: LiveProduct
) -> None:
    wait = open_widget(browser, f"{live_product.api}/demo?buyer=anonymous")
    hostile = "<img src=x onerror=\"document.title='pwned'\">你好"
    send(browser, hostile)
    wait.until(lambda driver: len(driver.find_elements(By.CSS_SELECTOR, ".kefu-bot")) >= 1)
    assert browser.title != "pwned"
    assert not browser.find_elements(By.CSS_SELECTOR, "#kefu-log img")
    # History comes back from the server after a reload, still as plain text.
    browser.get(f"{live_product.api}/demo?buyer=anonymous")
    wait.until(ec.element_to_be_clickable((By.ID, "kefu-launcher"))).click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "kefu-log"), "onerror"))
    assert browser.title != "pwned"


def test_an_agents_reply_appears_in_the_widget_without_a_reload(
    browser: WebDriver, live_product: LiveProduct
) -> None:
    token = "widget-test-agent-token"
    factory = make_session_factory(create_db_engine(live_product.db_url))
    with session_scope(factory) as session:
        session.add(
            Agent(name="widget-test", display_name="阿杰", token_hash=hash_agent_token(token))
        )
    agent = httpx.Client(
        base_url=live_product.api, timeout=60, headers={"Authorization": f"Bearer {token}"}
    )
    wait = open_widget(browser, f"{live_product.api}/demo?buyer=b1002")
    send(browser, "转人工")
    wait.until(ec.text_to_be_present_in_element((By.ID, "kefu-status"), "转接人工"))
    state = browser.execute_script("return JSON.parse(localStorage.getItem('kefu:b1002'))")
    conversation = state["conversationId"]
    assert agent.post(f"/api/v1/agent/conversations/{conversation}/claim").status_code == 200
    reply = "您好，我是阿杰，马上帮您看看"
    assert agent.post(
        f"/api/v1/agent/conversations/{conversation}/reply", json={"text": reply}
    ).is_success
    # Pushed by the server (the widget polls only while its stream is down).
    wait.until(ec.text_to_be_present_in_element((By.ID, "kefu-log"), reply))
    wait.until(ec.text_to_be_present_in_element((By.ID, "kefu-status"), "人工客服为您服务"))
    assert len(browser.find_elements(By.CSS_SELECTOR, ".kefu-agent")) == 1  # shown once
