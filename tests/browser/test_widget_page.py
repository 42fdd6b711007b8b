"""The demo shop page and chat widget in real headless Chromium, against the live product."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from bot import seed
from tests.conftest import LiveProduct

pytestmark = [pytest.mark.browser, pytest.mark.integration]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    if not Path(CHROMEDRIVER).exists():
        pytest.fail("chromedriver is missing: apt-get install chromium chromium-driver")
    options = Options()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1200,900",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium')}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


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
