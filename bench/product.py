"""Starts the whole product on free ports and measures it. Prints numbers, asserts nothing.

    .venv/bin/python -m bench.product [--turns 60] [--concurrency 1,10,50]

Reports the model size, start-up time until every process is healthy, NLU parse latency, and
for each turn kind (a rule reply, an action that reads the database, a form turn, a FAQ answer)
p50/p95/p99 and messages per second through our API beside the same turn sent straight to
Rasa's REST channel, at each concurrency; then the resident memory of each process.
Turns sent straight to Rasa use the ids of conversations opened through our API for the same
signed-in buyer, so the action server does the same work on both paths (an unknown sender id
would be an anonymous visitor, whose order-status turn asks for a phone tail instead).
Each turn kind is warmed up untimed on both paths first; at concurrency 1 the two paths
alternate turn by turn, at higher concurrency each path runs its own batch.
"""

from __future__ import annotations

import argparse
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from bot.security import sign_buyer_id
from bot.seed import IN_TRANSIT, seed_demo
from bot.store.migrate import upgrade
from bot.store.session import create_db_engine, make_session_factory, session_scope
from bot.supervisor import MODEL_PATH, Ports, Supervisor, free_port, product_services

SECRET = "bench-widget-secret"
WARM_UP_TURNS = 3
TURNS = {
    "rule reply (你好)": "你好",
    "action reading the DB (order status)": f"订单{IN_TRANSIT}到哪了",
    "form turn (我要退货 starts the form)": "我要退货",
    "FAQ answer (response selector)": "退货运费谁出",
}


def percentile(sorted_ms: list[float], share: float) -> float:
    return sorted_ms[min(len(sorted_ms) - 1, max(0, round(len(sorted_ms) * share) - 1))]


def run_load(
    send: Callable[[], None], requests: int, concurrency: int
) -> tuple[list[float], float]:
    """Sends `requests` turns with `concurrency` at a time; returns sorted latencies and rate."""

    def timed(_: int) -> float:
        begin = time.perf_counter()
        send()
        return (time.perf_counter() - begin) * 1000

    begin = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        latencies = sorted(pool.map(timed, range(requests)))
    return latencies, requests / (time.perf_counter() - begin)


def run_alternating(
    first: Callable[[], None], second: Callable[[], None], requests: int
) -> tuple[tuple[list[float], float], tuple[list[float], float]]:
    """One at a time, the two paths taking turns: a drift in the machine's speed (another
    process, a cache warming up) then falls on both alike instead of on whichever ran first."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(requests):
        for send, latencies in ((first, times[0]), (second, times[1])):
            begin = time.perf_counter()
            send()
            latencies.append((time.perf_counter() - begin) * 1000)
    return (
        (sorted(times[0]), 1000 * requests / sum(times[0])),
        (sorted(times[1]), 1000 * requests / sum(times[1])),
    )


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


def start_profilers(
    supervisor: Supervisor, out_dir: Path
) -> dict[str, tuple[subprocess.Popen[bytes], Path]]:
    """py-spy on all three processes for the whole run (raw collapsed stacks; the action
    server's turns run in a Sanic worker process, hence --subprocesses)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    profilers = {}
    for name in ("api", "actions", "rasa"):
        out = out_dir / f"profile-{name}.txt"
        command = [
            str(Path(sys.executable).parent / "py-spy"),
            "record", "--pid", str(supervisor.processes[name].pid), "--format", "raw",
            "--rate", "250", "--nonblocking", "--subprocesses", "--output", str(out),
        ]  # fmt: skip
        profilers[name] = (subprocess.Popen(command, stdout=subprocess.DEVNULL), out)
    time.sleep(1)  # py-spy attaches before the first turn
    return profilers


def print_profile(name: str, raw: Path, top: int = 12) -> None:
    """The functions the process was busiest in: own time, and time inside our code."""
    own: Counter[str] = Counter()
    inside: Counter[str] = Counter()
    total = 0
    for line in raw.read_text(encoding="utf-8").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        frames = stack.split(";")
        samples = int(count)
        total += samples
        own[frames[-1]] += samples
        for frame in set(frames):
            if ("/work/" in frame and "/.venv" not in frame) or "(bot/" in frame:
                inside[frame] += samples
    print(f"\nprofile of {name}: {total} samples ({raw})")
    for title, counter in (("own time", own), ("inside our code", inside)):
        print(f"  top {title}:")
        for frame, samples in counter.most_common(top):
            print(f"    {100 * samples / max(total, 1):5.1f}%  {frame}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=60)
    parser.add_argument("--concurrency", default="1,10,50")
    parser.add_argument(
        "--profile", type=Path, help="record py-spy profiles of the three processes here"
    )
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
        profilers = start_profilers(supervisor, args.profile) if args.profile else {}
        print(f"model: {MODEL_PATH} {MODEL_PATH.stat().st_size / 1e6:.1f} MB")
        print(f"start-up of all three processes until healthy: {startup:.1f}s")
        limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
        api = httpx.Client(base_url=f"http://127.0.0.1:{ports.api}", timeout=120, limits=limits)
        rasa = httpx.Client(base_url=f"http://127.0.0.1:{ports.rasa}", timeout=120, limits=limits)
        body = {"buyer_id": "b1001", "signature": sign_buyer_id("b1001", SECRET)}
        api.headers["Authorization"] = (
            "Bearer " + api.post("/api/v1/sessions", json=body).json()["token"]
        )
        parse, _ = run_load(
            lambda: rasa.post("/model/parse", json={"text": "我要退货"}).raise_for_status(),
            args.turns,
            1,
        )
        print(f"NLU /model/parse: p50 {statistics.median(parse):.1f} ms")
        levels = [int(level) for level in args.concurrency.split(",")]
        print(
            f"\n{'turn':<40}{'conc':>5}{'API p50':>9}{'p95':>8}{'p99':>8}{'msg/s':>7}"
            f"{'Rasa p50':>10}{'p95':>8}{'p99':>8}{'msg/s':>7}{'x p50':>7}"
        )
        for name, text in TURNS.items():
            # Conversations are opened before the clock starts: only the turn is timed.
            needed = sum(max(args.turns, 2 * level) for level in levels) + WARM_UP_TURNS
            fresh = [api.post("/api/v1/conversations").json()["id"] for _ in range(needed)]
            fresh_for_rasa = [api.post("/api/v1/conversations").json()["id"] for _ in range(needed)]

            def through_api(text: str = text, fresh: list[str] = fresh) -> None:
                conversation = fresh.pop()
                reply = api.post(
                    f"/api/v1/conversations/{conversation}/messages",
                    json={"text": text, "client_message_id": uuid.uuid4().hex},
                )
                assert reply.status_code == 200, reply.text

            def straight_to_rasa(text: str = text, fresh: list[str] = fresh_for_rasa) -> None:
                message = {"sender": fresh.pop(), "message": text}
                rasa.post("/webhooks/rest/webhook", json=message).raise_for_status()

            # The first turns of a kind load what it needs (e.g. the form's code paths).
            run_alternating(through_api, straight_to_rasa, WARM_UP_TURNS)
            for level in levels:
                requests = max(args.turns, 2 * level)
                if level == 1:
                    (ours, our_rate), (theirs, their_rate) = run_alternating(
                        through_api, straight_to_rasa, requests
                    )
                else:
                    ours, our_rate = run_load(through_api, requests, level)
                    theirs, their_rate = run_load(straight_to_rasa, requests, level)
                ratio = statistics.median(ours) / statistics.median(theirs)
                print(
                    f"{name:<40}{level:>5}{statistics.median(ours):>9.1f}"
                    f"{percentile(ours, 0.95):>8.1f}{percentile(ours, 0.99):>8.1f}{our_rate:>7.1f}"
                    f"{statistics.median(theirs):>10.1f}{percentile(theirs, 0.95):>8.1f}"
                    f"{percentile(theirs, 0.99):>8.1f}{their_rate:>7.1f}{ratio:>7.2f}"
                )
        print()
        for name, process in supervisor.processes.items():
            print(f"RSS {name:<8} {rss_mb(process.pid):7.1f} MB")
        for name, (profiler, out) in profilers.items():
            profiler.send_signal(signal.SIGINT)  # py-spy writes its file on SIGINT
            profiler.wait(timeout=60)
            print_profile(name, out)
    finally:
        supervisor.stop()
        log.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
