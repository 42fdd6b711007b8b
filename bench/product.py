"""Starts the whole product on free ports and measures it. Prints numbers, asserts nothing.

    .venv/bin/python -m bench.product [--turns 30]

Reports start-up time of each process, the model size, turn latency through the API (a rule
turn, a custom-action turn, a FAQ turn) as p50/p95, and the resident memory of each process.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from bot.security import sign_buyer_id
from bot.seed import IN_TRANSIT, seed_demo
from bot.store.migrate import upgrade
from bot.store.session import create_db_engine, make_session_factory, session_scope
from bot.supervisor import MODEL_PATH, Ports, Supervisor, free_port, product_services

SECRET = "bench-widget-secret"
TURNS = {
    "rule (greet)": "你好",
    "custom action (order status)": f"订单{IN_TRANSIT}到哪了",
    "FAQ (response selector)": "退货运费谁出",
}


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, from /proc."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(child) for child in children.read_text().split()]
    for each in pids:
        for line in Path(f"/proc/{each}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=30)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="kefu-bench-"))
    db_url = f"sqlite:///{workdir / 'kefu.db'}"
    upgrade(db_url)
    with session_scope(make_session_factory(create_db_engine(db_url))) as session:
        seed_demo(session)
    ports = Ports(rasa=free_port(), actions=free_port(), api=free_port())
    env = {"DATABASE_URL": db_url, "KEFU_WIDGET_SECRET": SECRET}
    log = (workdir / "product.log").open("w", encoding="utf-8")
    supervisor = Supervisor(product_services(ports, env), log=log)
    started = time.monotonic()
    try:
        supervisor.start()
        startup = time.monotonic() - started
        print(f"model: {MODEL_PATH} {MODEL_PATH.stat().st_size / 1e6:.1f} MB")
        print(f"start-up of all three processes until healthy: {startup:.1f}s")
        api = httpx.Client(base_url=f"http://127.0.0.1:{ports.api}", timeout=60)
        body = {"buyer_id": "b1001", "signature": sign_buyer_id("b1001", SECRET)}
        api.headers["Authorization"] = (
            "Bearer " + api.post("/api/v1/sessions", json=body).json()["token"]
        )
        for name, text in TURNS.items():
            timings = []
            for _ in range(args.turns):
                conversation = api.post("/api/v1/conversations").json()["id"]
                begin = time.perf_counter()
                reply = api.post(
                    f"/api/v1/conversations/{conversation}/messages",
                    json={"text": text, "client_message_id": uuid.uuid4().hex},
                )
                timings.append((time.perf_counter() - begin) * 1000)
                assert reply.status_code == 200, reply.text
            timings.sort()
            p95 = timings[int(len(timings) * 0.95) - 1]
            print(f"turn {name:<30} p50 {statistics.median(timings):6.1f} ms   p95 {p95:6.1f} ms")
        for name, process in supervisor.processes.items():
            print(f"RSS {name:<8} {rss_mb(process.pid):7.1f} MB")
    finally:
        supervisor.stop()
        log.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
