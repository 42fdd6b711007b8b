"""Shared steps for the page tests: agents, the widget, phone-sized screens, screenshots."""

from __future__ import annotations

import secrets
import struct
import zlib
from pathlib import Path

from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from bot.security import hash_agent_token
from bot.store.models import Agent
from bot.store.session import create_db_engine, make_session_factory, session_scope
from tests.conftest import LiveProduct

# var/ is git-ignored: screenshots are kept for people to look at, never committed.
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PHONE = (360, 740)
WAIT_SECONDS = 60


def make_agent(product: LiveProduct, display_name: str) -> tuple[str, str]:
    """An agent row in the live product's database; returns (login name, plain token)."""
    token = secrets.token_urlsafe(24)
    name = f"agent-{secrets.token_hex(4)}"
    engine = create_db_engine(product.db_url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            session.add(
                Agent(name=name, display_name=display_name, token_hash=hash_agent_token(token))
            )
    finally:
        engine.dispose()
    return name, token


def sign_in(browser: WebDriver, product: LiveProduct, token: str) -> WebDriverWait[WebDriver]:
    # Forget an earlier test's token from a page of the same origin that runs no script (on
    # /console itself, a sign-in still in flight could store the old token again).
    browser.get(f"{product.api}/healthz")
    browser.execute_script("sessionStorage.clear()")
    browser.get(f"{product.api}/console")
    wait = WebDriverWait(browser, WAIT_SECONDS)
    wait.until(ec.visibility_of_element_located((By.ID, "token-input"))).send_keys(token)
    browser.find_element(By.ID, "signin-btn").click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "who"), "在线"))
    return wait


def open_shop(browser: WebDriver, url: str) -> WebDriverWait[WebDriver]:
    """The demo shop with a fresh widget (nothing remembered from an earlier test)."""
    browser.get(url)
    browser.execute_script("localStorage.clear()")
    browser.get(url)
    return WebDriverWait(browser, WAIT_SECONDS)


def open_widget(browser: WebDriver, wait: WebDriverWait[WebDriver]) -> None:
    """Opens the chat panel. After a reload with a message still unsent, the widget opens itself
    to retry it (widget.js): then there is no launcher to click."""
    wait.until(lambda driver: _launcher_shown(driver) or _panel_open(driver))
    if not _panel_open(browser):
        wait.until(ec.element_to_be_clickable((By.ID, "kefu-launcher"))).click()
    wait.until(ec.visibility_of_element_located((By.ID, "kefu-input")))


def _launcher_shown(browser: WebDriver) -> bool:
    return bool(browser.find_element(By.ID, "kefu-launcher").is_displayed())


def _panel_open(browser: WebDriver) -> bool:
    classes = browser.find_element(By.ID, "kefu-panel").get_attribute("class") or ""
    return "open" in classes.split()


def send(browser: WebDriver, text: str) -> None:
    box = browser.find_element(By.ID, "kefu-input")
    box.send_keys(text)
    browser.find_element(By.ID, "kefu-send").click()


def press(wait: WebDriverWait[WebDriver], title_part: str) -> None:
    """Presses the newest quick reply whose title contains title_part."""
    xpath = f"(//div[contains(@class,'kefu-buttons')]/button[contains(., '{title_part}')])[last()]"
    wait.until(ec.element_to_be_clickable((By.XPATH, xpath))).click()


def bot_messages(browser: WebDriver) -> int:
    return len(browser.find_elements(By.CSS_SELECTOR, "#kefu-log .kefu-bot"))


def no_alert(browser: WebDriver) -> bool:
    try:
        browser.switch_to.alert.dismiss()
    except NoAlertPresentException:
        return True
    return False


def phone(browser: WebDriver) -> None:
    """A 360x740 phone screen (the viewport itself, not the window around it)."""
    width, height = PHONE
    browser.execute_cdp_cmd(  # type: ignore[attr-defined]
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 2, "mobile": True},
    )


def desktop(browser: WebDriver) -> None:
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})  # type: ignore[attr-defined]


def screenshot(browser: WebDriver, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    browser.save_screenshot(str(path))
    return path


def horizontal_overflow(browser: WebDriver) -> list[str]:
    """Elements of the page or the chat panel wider than the screen or their scroll box."""
    found: list[str] = browser.execute_script(
        """
        const out = [];
        const wide = (node) => node && node.scrollWidth > node.clientWidth;
        if (wide(document.documentElement)) out.push('page');
        if (wide(document.getElementById('kefu-log'))) out.push('chat log');
        const right = window.innerWidth + 0.5;
        const panel = document.getElementById('kefu-panel');
        [panel, ...panel.querySelectorAll('*')].forEach((node) => {
          const r = node.getBoundingClientRect();
          if (r.width && (r.right > right || r.left < -0.5)) out.push(node.id || node.className);
        });
        return out;
        """
    )
    return found


def png(width: int = 160, height: int = 120) -> bytes:
    """A small solid-colour PNG (a stand-in for a photo of the broken item)."""
    row = b"\x00" + bytes((230, 120, 60)) * width
    raw = zlib.compress(row * height)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")
