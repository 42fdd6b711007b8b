"""What one buyer turn costs our API alone: the real API process in front of a Rasa that answers
at once. Prints numbers, asserts nothing.

    .venv/bin/python -m bench.api_overhead [--turns 300] [--runs 3]

On a shared 2-core machine the real Rasa's latency moves by 10-20 ms from run to run, which
hides a few milliseconds of our own. Here Rasa's REST channel is a stub in this process that
returns one fixed reply, so what is left of a turn's time is the API's: auth, storing the
buyer's message before Rasa is called, the call itself, storing the reply, live events.
Besides the latency it reports the API process's CPU time per turn (from /proc), which is
steadier than wall time. Each run uses a fresh database.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

from bot.security import sign_buyer_id
from bot.seed import seed_demo
from bot.store.migrate import upgrade
from bot.store.session import create_db_engine, make_session_factory, session_scope
from bot.supervisor import VENV_BIN, ServiceSpec, Supervisor, free_port

SECRET = "bench-widget-secret"
REPLY = "您好！有什么可以帮您？"


class InstantRasa(BaseHTTPRequestHandler):
    """Rasa's REST channel, answered at once with one text reply."""

    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        # Without it the body waits for a delayed ACK: a 40 ms stall that is not the API's.
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        out = json.dumps([{"recipient_id": body["sender"], "text": REPLY}]).encode()
        self._send(out)

    def do_GET(self) -> None:
        self._send(b"{}")

    def _send(self, out: bytes, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *_args: object) -> None:
        return


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def one_run(rasa_port: int, turns: int) -> tuple[list[float], float]:
    workdir = Path(tempfile.mkdtemp(prefix="kefu-overhead-"))
    db_url = f"sqlite:///{workdir / 'kefu.db'}"
    upgrade(db_url)
    with session_scope(make_session_factory(create_db_engine(db_url))) as session:
        seed_demo(session)
    port = free_port()
    env = {
        "DATABASE_URL": db_url,
        "KEFU_WIDGET_SECRET": SECRET,
        "KEFU_RASA_URL": f"http://127.0.0.1:{rasa_port}",
        "KEFU_SCHEDULER_INTERVAL_SECONDS": "0",
    }
    command = [str(VENV_BIN / "uvicorn"), "api.main:create_app", "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    spec = ServiceSpec("api", command, f"http://127.0.0.1:{port}/healthz", env)
    log = (workdir / "api.log").open("w", encoding="utf-8")
    supervisor = Supervisor([spec], log=log)
    supervisor.start()
    try:
        api = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)
        body = {"buyer_id": "b1001", "signature": sign_buyer_id("b1001", SECRET)}
        token = api.post("/api/v1/sessions", json=body).json()["token"]
        api.headers["Authorization"] = f"Bearer {token}"
        conversations = [api.post("/api/v1/conversations").json()["id"] for _ in range(turns)]
        pid = supervisor.processes["api"].pid
        before = cpu_seconds(pid)
        latencies = []
        for conversation in conversations:
            begin = time.perf_counter()
            reply = api.post(
                f"/api/v1/conversations/{conversation}/messages",
                json={"text": "你好", "client_message_id": uuid.uuid4().hex},
            )
            latencies.append((time.perf_counter() - begin) * 1000)
            assert reply.status_code == 200, reply.text
        cpu_ms = (cpu_seconds(pid) - before) * 1000 / turns
        return sorted(latencies), cpu_ms
    finally:
        supervisor.stop()
        log.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rasa_port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", rasa_port), InstantRasa)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stub = httpx.Client(base_url=f"http://127.0.0.1:{rasa_port}")
    stub_ms = []
    for _ in range(100):
        begin = time.perf_counter()
        stub.post("/webhooks/rest/webhook", json={"sender": "x", "message": "你好"})
        stub_ms.append((time.perf_counter() - begin) * 1000)
    print(f"the instant Rasa alone: p50 {statistics.median(stub_ms):.2f} ms")
    print(f"{'run':<5}{'turns':>6}{'API p50':>9}{'p95':>8}{'CPU ms/turn':>13}")
    try:
        for run in range(1, args.runs + 1):
            latencies, cpu_ms = one_run(rasa_port, args.turns)
            p95 = latencies[min(len(latencies) - 1, round(len(latencies) * 0.95) - 1)]
            print(
                f"{run:<5}{args.turns:>6}{statistics.median(latencies):>9.2f}{p95:>8.2f}"
                f"{cpu_ms:>13.2f}"
            )
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
