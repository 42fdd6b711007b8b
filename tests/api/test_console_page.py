"""The agent console's static page: served with a strict policy, and no data inserted as HTML."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from api.routers.pages import STATIC

# Ways a script turns a string into markup; the console must use textContent instead.
HTML_SINKS = re.compile(
    r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|createContextualFragment"
)


def test_console_page_and_assets_are_served(client: TestClient) -> None:
    page = client.get("/console")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "/console/console.js" in page.text and "/console/console.css" in page.text
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    script = client.get("/console/console.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert client.get("/console/console.css").headers["content-type"].startswith("text/css")
    assert client.get("/console/console.html").status_code == 404
    assert client.get("/console/pages.py").status_code == 404


def test_console_script_never_inserts_text_as_html() -> None:
    script = (STATIC / "console.js").read_text(encoding="utf-8")
    assert not HTML_SINKS.search(script)
    assert "textContent" in script
    # No inline handlers or scripts in the page (the policy would block them anyway).
    page = (STATIC / "console.html").read_text(encoding="utf-8")
    assert not re.search(r"\son\w+=", page)
    assert "<script>" not in page and "<style>" not in page
