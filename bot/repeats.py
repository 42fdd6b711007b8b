"""The bot never sends the same words twice in a row.

Rasa can reach the same response again (a question re-asked, a fallback after a fallback, an
answer to the same question). Sent back word for word it reads like a broken machine, so a
reply identical to the bot's previous message is replaced by a short note that says so and
offers a person, keeping the reply's buttons. Pure: the caller supplies the previous text.
"""

from __future__ import annotations

from dataclasses import replace

from bot.rasa_client import BotReply

HUMAN_BUTTON = {"title": "转人工", "payload": "/request_human"}
# Two wordings, so the note itself never repeats either.
SAID_ALREADY = (
    "这个我刚刚说过了，可能没说清楚😅 您可以换个说法问我，或者点“转人工”请客服帮您。",
    "看来我这边帮不上更多了，建议直接点“转人工”，客服会接着帮您处理。",
)


def avoid_repeats(previous_text: str | None, replies: list[BotReply]) -> list[BotReply]:
    result: list[BotReply] = []
    last = previous_text
    for reply in replies:
        if reply.text and _same(reply.text, last):
            reply = _rephrased(reply, last)
        result.append(reply)
        if reply.text:
            last = reply.text
    return result


def _same(text: str, previous: str | None) -> bool:
    return previous is not None and " ".join(text.split()) == " ".join(previous.split())


def _rephrased(reply: BotReply, previous: str | None) -> BotReply:
    text = SAID_ALREADY[1] if _same(SAID_ALREADY[0], previous) else SAID_ALREADY[0]
    buttons = list(reply.payload.get("buttons") or [])
    if not any(button.get("payload") == HUMAN_BUTTON["payload"] for button in buttons):
        buttons.append(dict(HUMAN_BUTTON))
    return replace(reply, text=text, payload={**reply.payload, "buttons": buttons})
