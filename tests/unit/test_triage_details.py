"""Whether a complaint message says what happened (bot/triage/details.py)."""

import pytest

from bot.triage.details import says_what_happened


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("我要投诉", False),
        ("投诉你们！！！", False),
        # Going along with the bot says nothing about what went wrong.
        ("好的，等你们处理～", False),
        ("好吧 收到 谢谢", False),
        ("耳机用两天就坏了", True),
        ("你们一直不处理", True),
        ("快递三天没动了 我要投诉", True),
    ],
)
def test_says_what_happened(text: str, says: bool) -> None:
    assert says_what_happened(text) is says
