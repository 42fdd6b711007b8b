"""RasaClient against a real HTTP server on loopback that plays Rasa's REST channel."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import ThreadingHTTPServer
from typing import Any, ClassVar

import pytest

from bench.api_overhead import InstantRasa
from bot.rasa_client import BotReply, RasaClient, RasaUnavailable
from bot.supervisor import free_port


class RoomyHTTPServer(ThreadingHTTPServer):
    # The default listen backlog of 5 overflowed when 40 threads connected at once on a busy
    # machine (one CI run: connection reset by peer); Rasa's own server accepts 100.
    request_queue_size = 128


class FakeRasaChannel(InstantRasa):
    """bench.api_overhead's instant Rasa, answering what the test sets and recording calls."""

    received: ClassVar[list[tuple[str, Any]]] = []
    answer: ClassVar[tuple[int, bytes]] = (200, b"[]")

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeRasaChannel.received.append((self.path, body))
        status, out = FakeRasaChannel.answer
        if out == b"ECHO":
            out = json.dumps([{"recipient_id": body["sender"], "text": body["message"]}]).encode()
        self._send(out, status)


@pytest.fixture
def rasa_url() -> Iterator[str]:
    FakeRasaChannel.received = []
    FakeRasaChannel.answer = (200, b"[]")
    server = RoomyHTTPServer(("127.0.0.1", 0), FakeRasaChannel)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_send_posts_the_message_and_reads_texts_and_buttons(rasa_url: str) -> None:
    buttons = [{"title": "转人工", "payload": "/request_human"}]
    FakeRasaChannel.answer = (
        200,
        json.dumps(
            [
                {"recipient_id": "c1", "text": "您好，请问订单号是？"},
                {"recipient_id": "c1", "text": "需要人工吗", "buttons": buttons},
                "not a message",
            ],
            ensure_ascii=False,
        ).encode(),
    )
    client = RasaClient(rasa_url)
    replies = client.send("c1", "我要退货，订单2026112812345！")
    client.close()
    assert FakeRasaChannel.received == [
        ("/webhooks/rest/webhook", {"sender": "c1", "message": "我要退货，订单2026112812345！"})
    ]
    assert replies == [
        BotReply("您好，请问订单号是？"),
        BotReply("需要人工吗", {"buttons": buttons}),
    ]


@pytest.mark.parametrize(
    ("status", "body"),
    [(500, b'{"error": "boom"}'), (200, b"<html>not json</html>"), (200, b'{"not": "a list"}')],
)
def test_an_error_or_a_malformed_answer_is_rasa_unavailable(
    rasa_url: str, status: int, body: bytes
) -> None:
    FakeRasaChannel.answer = (status, body)
    with pytest.raises(RasaUnavailable):
        RasaClient(rasa_url).send("c1", "你好")


def test_nobody_listening_is_rasa_unavailable() -> None:
    with pytest.raises(RasaUnavailable):
        RasaClient(f"http://127.0.0.1:{free_port()}", timeout_seconds=2).send("c1", "你好")


def test_resume_appends_resume_and_listen_to_the_tracker(rasa_url: str) -> None:
    FakeRasaChannel.answer = (200, b"{}")
    RasaClient(rasa_url).resume("c9")
    assert FakeRasaChannel.received == [
        (
            "/conversations/c9/tracker/events",
            [{"event": "resume"}, {"event": "action", "name": "action_listen"}],
        )
    ]


def test_one_client_serves_many_threads_at_once(rasa_url: str) -> None:
    FakeRasaChannel.answer = (200, b"ECHO")
    client = RasaClient(rasa_url)
    with ThreadPoolExecutor(max_workers=40) as pool:
        replies = list(pool.map(lambda n: client.send(f"c{n}", f"消息{n}"), range(200)))
    assert [r[0].text for r in replies] == [f"消息{n}" for n in range(200)]
