"""The widget embedded with one <script> tag on a shop's own site, a different origin from the
API: it works from an origin in KEFU_WIDGET_ORIGINS and is refused (CORS) from any other."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec

from bot.security import sign_buyer_id
from tests.browser.helpers import no_alert, open_shop, open_widget, send
from tests.conftest import LiveProduct

PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>另一家店</title></head>
<body>
  <h1>小林杂货铺</h1>
  <script src="{api}/widget/widget.js" data-shop="lin" data-buyer-id="{buyer}"
          data-signature="{signature}" defer></script>
</body></html>
"""


@pytest.fixture(scope="module")
def shop_site(live_product: LiveProduct, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """A static shop site on the port the product allows, serving one page that embeds the
    widget from the API's origin with a buyer identity signed as the shop's server would."""
    root = Path(tmp_path_factory.mktemp("shop-site"))
    signature = sign_buyer_id("b1001", live_product.widget_secret)
    page = PAGE.format(api=live_product.api, buyer="b1001", signature=signature)
    (root / "index.html").write_text(page, encoding="utf-8")
    handler = partial(SimpleHTTPRequestHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", live_product.shop_site_port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield live_product.shop_site_port
    finally:
        server.shutdown()
        server.server_close()


def test_the_widget_works_on_an_allowed_shop_origin(browser: WebDriver, shop_site: int) -> None:
    wait = open_shop(browser, f"http://127.0.0.1:{shop_site}/index.html")
    open_widget(browser, wait)
    send(browser, "你好，在吗？")
    wait.until(lambda driver: driver.find_elements(By.CSS_SELECTOR, "#kefu-log .kefu-bot"))
    assert "发送失败" not in browser.find_element(By.ID, "kefu-log").text
    # The reply came over the API's origin, not the shop's: a real cross-origin conversation.
    assert browser.execute_script("return location.origin") == f"http://127.0.0.1:{shop_site}"
    assert no_alert(browser)


def test_another_origin_is_refused(browser: WebDriver, shop_site: int) -> None:
    """localhost is another origin than 127.0.0.1 for the browser, and is not in the list."""
    wait = open_shop(browser, f"http://localhost:{shop_site}/index.html")
    wait.until(ec.element_to_be_clickable((By.ID, "kefu-launcher"))).click()
    wait.until(ec.visibility_of_element_located((By.ID, "kefu-input")))
    send(browser, "你好")
    wait.until(
        lambda driver: driver.find_elements(
            By.CSS_SELECTOR, "#kefu-log .kefu-error, .kefu-failed, .kefu-queued"
        )
    )
    assert not browser.find_elements(By.CSS_SELECTOR, "#kefu-log .kefu-bot")
