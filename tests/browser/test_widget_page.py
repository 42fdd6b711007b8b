"""The demo shop page and chat widget in real headless Chromium, against the live product."""

from __future__ import annotations

import base64
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
from tests.browser.helpers import png
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
    # Asked in her own words, the buyer sees the order card too.
    card = wait.until(
        ec.visibility_of_element_located(
            (By.CSS_SELECTOR, f"#kefu-log .kefu-order-card[data-order-id='{seed.IN_TRANSIT}']")
        )
    )
    assert "顺丰速运" in card.text


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
    send(browser, "转人工")  # the old /demo address still works
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
    wait.until(ec.text_to_be_present_in_element((By.ID, "kefu-status"), "人工客服 阿杰 为您服务"))
    assert "阿杰 已加入会话" in browser.find_element(By.ID, "kefu-log").text
    assert len(browser.find_elements(By.CSS_SELECTOR, ".kefu-agent")) == 1  # shown once

    # With the panel closed, the next reply raises the unread badge on the launcher.
    browser.find_element(By.ID, "kefu-close").click()
    assert agent.post(
        f"/api/v1/agent/conversations/{conversation}/reply", json={"text": "请问是哪个订单？"}
    ).is_success
    wait.until(ec.text_to_be_present_in_element((By.ID, "kefu-badge"), "1"))
    browser.find_element(By.ID, "kefu-launcher").click()
    wait.until(ec.invisibility_of_element_located((By.ID, "kefu-badge")))
    wait.until(ec.text_to_be_present_in_element((By.ID, "kefu-log"), "请问是哪个订单？"))

    # The connection drops; a reply sent meanwhile is fetched once it is back (and shown once).
    offline = {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.emulateNetworkConditions", offline)
    try:
        wait.until(ec.visibility_of_element_located((By.ID, "kefu-net")))
        missed = "订单号发我一下就好"
        assert agent.post(
            f"/api/v1/agent/conversations/{conversation}/reply", json={"text": missed}
        ).is_success
    finally:
        browser.execute_cdp_cmd("Network.emulateNetworkConditions", {**offline, "offline": False})
    wait.until(ec.text_to_be_present_in_element((By.ID, "kefu-log"), missed))
    wait.until(ec.invisibility_of_element_located((By.ID, "kefu-net")))
    assert len(browser.find_elements(By.CSS_SELECTOR, ".kefu-agent")) == 3


def test_photo_errors_are_shown_before_and_after_the_upload(
    browser: WebDriver, live_product: LiveProduct, tmp_path: Path
) -> None:
    wait = open_widget(browser, f"{live_product.api}/?buyer=anonymous")
    picker = browser.find_element(By.ID, "kefu-file")
    # Not an image by type: refused in the page, nothing sent.
    notes = tmp_path / "notes.txt"
    notes.write_text("not a photo", encoding="utf-8")
    picker.send_keys(str(notes))
    wait.until(ec.text_to_be_present_in_element((By.ID, "kefu-log"), "不是图片"))
    # Too big: refused in the page.
    big = tmp_path / "huge.png"
    big.write_bytes(b"\x89PNG" + b"0" * (5 * 1024 * 1024 + 10))
    picker.send_keys(str(big))
    wait.until(ec.text_to_be_present_in_element((By.ID, "kefu-log"), "太大了"))
    # Named .png but not one inside: the server checks the content and the page says why.
    fake = tmp_path / "fake.png"
    fake.write_bytes(b"<svg onload=alert(1)>")
    picker.send_keys(str(fake))
    failed = (By.CSS_SELECTOR, ".kefu-photo-msg.kefu-failed")
    wait.until(ec.text_to_be_present_in_element(failed, "只能上传 JPEG、PNG、WebP 或 GIF"))
    assert not browser.find_elements(By.CSS_SELECTOR, ".kefu-photo-msg[data-attachment-id]")
    assert browser.find_elements(By.CSS_SELECTOR, ".kefu-error")

    # A real photo dropped on the panel, and one pasted into the input box, both arrive.
    browser.execute_script(
        """
        const bytes = Uint8Array.from(atob(arguments[0]), (c) => c.charCodeAt(0));
        const files = (name) => {
          const data = new DataTransfer();
          data.items.add(new File([bytes], name, { type: 'image/png' }));
          return data;
        };
        const how = { bubbles: true, cancelable: true };
        document.getElementById('kefu-panel').dispatchEvent(
          new DragEvent('drop', { ...how, dataTransfer: files('dropped.png') }));
        document.getElementById('kefu-input').dispatchEvent(
          new ClipboardEvent('paste', { ...how, clipboardData: files('pasted.png') }));
        """,
        base64.b64encode(png()).decode(),
    )
    done = (By.CSS_SELECTOR, ".kefu-photo-msg[data-attachment-id]")
    wait.until(lambda driver: len(driver.find_elements(*done)) == 2)
    assert all("图片已上传" in node.text for node in browser.find_elements(*done))


def test_a_message_written_offline_is_queued_and_stored_once(
    browser: WebDriver, live_product: LiveProduct
) -> None:
    wait = open_widget(browser, f"{live_product.api}/?buyer=b1003")
    send(browser, "你好")
    wait.until(lambda driver: len(driver.find_elements(By.CSS_SELECTOR, ".kefu-bot")) >= 1)
    browser.execute_cdp_cmd("Network.enable", {})
    offline = {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
    browser.execute_cdp_cmd("Network.emulateNetworkConditions", offline)
    try:
        send(browser, "退货运费谁出")
        queued = (By.CSS_SELECTOR, ".kefu-buyer.kefu-queued")
        wait.until(ec.text_to_be_present_in_element(queued, "网络恢复后自动重发"))
        assert browser.find_element(By.ID, "kefu-net").is_displayed()
        outbox = browser.execute_script(
            "return JSON.parse(localStorage.getItem('kefu:b1003')).outbox"
        )
        assert [item["text"] for item in outbox] == ["退货运费谁出"]
    finally:
        online = {**offline, "offline": False}
        browser.execute_cdp_cmd("Network.emulateNetworkConditions", online)
    wait.until(ec.invisibility_of_element_located((By.CSS_SELECTOR, ".kefu-buyer.kefu-queued")))
    wait.until(lambda driver: len(driver.find_elements(By.CSS_SELECTOR, ".kefu-bot")) >= 2)
    state = browser.execute_script("return JSON.parse(localStorage.getItem('kefu:b1003'))")
    assert state["outbox"] == []
    history = httpx.get(
        f"{live_product.api}/api/v1/conversations/{state['conversationId']}/messages",
        headers={"Authorization": f"Bearer {state['token']}"},
        timeout=30,
    ).json()["messages"]
    assert [m["text"] for m in history if m["sender"] == "buyer"] == ["你好", "退货运费谁出"]
