"""Console work beyond the basic claim-reply-resolve: ticket actions, the resolved tab, transfer,
and the dashboard's charts (Chart.js served by the API from node_modules)."""

from __future__ import annotations

import httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.helpers import make_agent, no_alert, screenshot, sign_in
from tests.conftest import LiveProduct
from tests.e2e.chat import Chat

pytestmark = [pytest.mark.browser, pytest.mark.integration]


def open_claimed(browser: WebDriver, wait: WebDriverWait[WebDriver], chat: Chat) -> None:
    item = (By.CSS_SELECTOR, f"#queue-list li[data-id='{chat.id}']")
    wait.until(ec.element_to_be_clickable(item)).click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "conv-title"), chat.id))
    wait.until(ec.element_to_be_clickable((By.ID, "claim-btn"))).click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "conv-status"), "人工接待中"))


def test_ticket_reject_with_a_reason_resolved_tab_and_transfer(
    browser: WebDriver, live_product: LiveProduct
) -> None:
    _, token = make_agent(live_product, "小林")
    other, _ = make_agent(live_product, "小周")
    wait = sign_in(browser, live_product, token)

    # b1003 has a return the seller has not answered (demo seed): reject it with a reason.
    chat = Chat(live_product, "b1003")
    assert chat.say("转人工")["status"] == "waiting_agent"
    open_claimed(browser, wait, chat)
    reject = (By.CSS_SELECTOR, "#tickets button[data-action='reject']")
    wait.until(ec.element_to_be_clickable(reject)).click()
    reason = wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, ".reject-form input")))
    reason.send_keys("鞋已穿过，影响二次销售")
    browser.find_element(By.CSS_SELECTOR, ".reject-form button").click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "tickets"), "已拒绝"))
    assert "拒绝原因：鞋已穿过，影响二次销售" in browser.find_element(By.ID, "tickets").text
    assert browser.find_element(By.ID, "conv-error").text == ""

    # Resolved: it moves to the 已结束 tab.
    browser.find_element(By.ID, "resolve-btn").click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "conv-status"), "机器人接待"))
    browser.find_element(By.ID, "tab-resolved").click()
    wait.until(
        ec.visibility_of_element_located(
            (By.CSS_SELECTOR, f"#resolved-list li[data-id='{chat.id}']")
        )
    )

    # Transfer a second conversation to a colleague by login name.
    browser.find_element(By.ID, "tab-queue").click()
    visitor = Chat(live_product, None)
    assert visitor.say("转人工")["status"] == "waiting_agent"
    open_claimed(browser, wait, visitor)
    browser.find_element(By.ID, "transfer-to").send_keys(other)
    browser.find_element(By.ID, "transfer-btn").click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "conv-meta"), "小周"))
    assert browser.find_element(By.ID, "reply-text").get_attribute("disabled") is not None
    assert not browser.find_elements(By.CSS_SELECTOR, f"#mine-list li[data-id='{visitor.id}']")
    assert no_alert(browser)


def test_dashboard_draws_its_charts_with_the_bundled_chart_js(
    browser: WebDriver, live_product: LiveProduct
) -> None:
    _, token = make_agent(live_product, "小陈")
    served = httpx.get(f"{live_product.api}/vendor/chart.umd.js", timeout=30)
    assert served.status_code == 200, "chart.js missing: npm ci"
    assert "javascript" in served.headers["content-type"]
    numbers = httpx.get(
        f"{live_product.api}/api/v1/agent/dashboard",
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    if numbers.status_code == 404:
        pytest.skip("api/main.py does not include api.routers.dashboard yet")
    assert numbers.status_code == 200, numbers.text
    wait = sign_in(browser, live_product, token)
    browser.find_element(By.ID, "view-dash").click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "dash-summary"), "会话"))
    charts = browser.execute_script("return Object.keys(window.Chart.instances).length")
    assert charts == 5
    assert browser.find_element(By.ID, "dash-error").text == ""
    screenshot(browser, "console-dashboard.png")
    browser.find_element(By.ID, "view-work").click()
