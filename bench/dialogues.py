"""Multi-turn buyer conversations (tests/dialogues/*.yml) through the public API, scored per turn.

Each dialogue gets a fresh buyer whose orders are created through the shop API; every buyer turn
goes through POST /api/v1/conversations/{id}/messages like the widget's. After each turn the
expectations written beside it are checked against what a buyer or the shop can see (the
replies, their buttons, the conversation status, the shop's tickets) and what the bot understood
(Rasa's tracker: the intent and the slot it asked for). Every turn is also checked for a reply
and for not repeating the bot's previous reply word for word.

    make bench-dialogue              # starts the product, runs every dialogue, prints the shares
    python -m bench.dialogues --api http://127.0.0.1:8000 --rasa http://127.0.0.1:5005 \\
        --shop-key ... --widget-secret ...   # against a product already running

Prints numbers only; asserts nothing (tests/e2e/test_dialogues.py asserts on a subset).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import yaml

from bot.security import sign_buyer_id
from bot.seed import seed_demo
from bot.store.migrate import upgrade
from bot.store.session import create_db_engine, make_session_factory, session_scope
from bot.supervisor import Ports, Supervisor, free_port, product_services

DIALOGUES_DIR = Path(__file__).resolve().parent.parent / "tests" / "dialogues"
# Written later by other authors to the same README. v2's totals were read before and after
# changes (e.g. dropping TEDPolicy); v3 (session 8) is the one never used to choose.
HELDOUT_DIALOGUES_DIR = DIALOGUES_DIR.parent / "dialogues_v2"
FRESH_DIALOGUES_DIR = DIALOGUES_DIR.parent / "dialogues_v3"
KNOWN_KEYS = frozenset(
    {
        "intent",
        "ticket",
        "no_new_ticket",
        "handoff",
        "offers_human",
        "asks_for_order",
        "says_any",
        "says_none",
    }
)
WAITING = frozenset({"waiting_agent", "with_agent"})
# A reply that asks for an order number: the form's question, or a list of orders to pick from.
ASKS_ORDER = re.compile(
    r"订单[^。！？]{0,10}(哪个|哪一个)|(哪个|哪一个)订单|订单号[^。！？]{0,20}(发|给|告诉)"
    r"|(发|提供|告诉)[^。！？]{0,12}订单号|订单号和下单手机号"
)
PLACEHOLDER = re.compile(r"\{([A-Z])\}")


@dataclass(frozen=True)
class Endpoints:
    api: str
    rasa: str
    shop_key: str
    widget_secret: str


@dataclass
class TurnResult:
    dialogue: str
    kind: str
    index: int
    said: str
    replies: list[str]
    failures: list[str] = field(default_factory=list)


def load_dialogues(folder: Path = DIALOGUES_DIR) -> list[dict[str, Any]]:
    dialogues: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.yml")):
        dialogues += yaml.safe_load(path.read_text(encoding="utf-8"))["dialogues"]
    return dialogues


def run_dialogue(end: Endpoints, dialogue: dict[str, Any]) -> list[TurnResult]:
    """Plays one dialogue as a new buyer and checks every turn."""
    with httpx.Client(base_url=end.api, timeout=60) as http:
        buyer_id = f"dlg-{dialogue['id']}-{uuid.uuid4().hex[:8]}"[:64]
        order_ids = {
            ref: _create_order(http, end, buyer_id, spec)
            for ref, spec in (dialogue.get("orders") or {}).items()
        }
        body: dict[str, str] = {}
        if dialogue.get("buyer", "known") == "known":
            body = {"buyer_id": buyer_id, "signature": sign_buyer_id(buyer_id, end.widget_secret)}
        token = http.post("/api/v1/sessions", json=body).json()["token"]
        http.headers["Authorization"] = f"Bearer {token}"
        conversation_id = http.post("/api/v1/conversations").json()["id"]
        results: list[TurnResult] = []
        previous_bot_text: str | None = None
        tickets_before = _tickets(http, end, order_ids.values())
        for index, turn in enumerate(dialogue["turns"]):
            said = PLACEHOLDER.sub(lambda m: order_ids.get(m.group(1), m.group(0)), turn["say"])
            response = http.post(
                f"/api/v1/conversations/{conversation_id}/messages",
                json={"text": said, "client_message_id": uuid.uuid4().hex},
            )
            replies = response.json().get("messages", []) if response.is_success else []
            texts = [str(m.get("text") or "") for m in replies if m.get("text")]
            result = TurnResult(dialogue["id"], dialogue.get("kind", "?"), index, said, texts)
            results.append(result)
            if not response.is_success:
                result.failures.append(f"http {response.status_code}")
                continue
            seen = Seen(
                texts=texts,
                buttons=[b for m in replies for b in (m.get("buttons") or [])],
                tracker=_tracker(end, conversation_id),
                status=str(http.get(f"/api/v1/conversations/{conversation_id}").json()["status"]),
                tickets=_tickets(http, end, order_ids.values()),
                tickets_before=tickets_before,
            )
            expect = {
                key: _fill(value, order_ids) for key, value in (turn.get("expect") or {}).items()
            }
            result.failures += check_turn(expect, seen, previous_bot_text)
            tickets_before = seen.tickets
            if texts:
                previous_bot_text = texts[-1]
        return results


@dataclass(frozen=True)
class Seen:
    texts: list[str]
    buttons: list[dict[str, Any]]
    tracker: dict[str, Any]
    status: str
    tickets: list[dict[str, Any]]
    tickets_before: list[dict[str, Any]]


def check_turn(expect: dict[str, Any], seen: Seen, previous_bot_text: str | None) -> list[str]:
    """The names of the expectations this turn missed (empty: the turn is good)."""
    failures: list[str] = []
    reply = "\n".join(seen.texts)
    if not seen.texts and seen.status not in WAITING:
        failures.append("no_reply")
    if seen.texts and previous_bot_text is not None and seen.texts[0] == previous_bot_text:
        failures.append("repeated_reply")
    if "intent" in expect and not _intent_matches(str(expect["intent"]), seen.tracker):
        failures.append("intent")
    if "ticket" in expect and not any(t["kind"] == expect["ticket"] for t in seen.tickets):
        failures.append("ticket")
    if expect.get("no_new_ticket") and len(seen.tickets) > len(seen.tickets_before):
        failures.append("no_new_ticket")
    if expect.get("handoff") and seen.status not in WAITING:
        failures.append("handoff")
    if expect.get("offers_human"):
        offered = any("人工" in str(b.get("title", "")) for b in seen.buttons)
        if not offered and seen.status not in WAITING:
            failures.append("offers_human")
    if "asks_for_order" in expect and _asks_for_order(seen, reply) != bool(
        expect["asks_for_order"]
    ):
        failures.append("asks_for_order")
    says_any = [str(s) for s in expect.get("says_any") or []]
    if says_any and not any(s in reply for s in says_any):
        failures.append("says_any")
    if any(str(s) in reply for s in expect.get("says_none") or []):
        failures.append("says_none")
    return failures


def _intent_matches(expected: str, tracker: dict[str, Any]) -> bool:
    message = tracker.get("latest_message") or {}
    intent = str((message.get("intent") or {}).get("name") or "")
    if expected == intent:
        return True
    if expected.startswith("faq/") and intent == "faq":
        selector = (message.get("response_selector") or {}).get("faq") or {}
        key = str((selector.get("response") or {}).get("intent_response_key") or "")
        return key == expected
    return False


def _asks_for_order(seen: Seen, reply: str) -> bool:
    slots = seen.tracker.get("slots") or {}
    if slots.get("requested_slot") == "order_id":
        return True
    return bool(ASKS_ORDER.search(reply))


def _fill(value: Any, order_ids: dict[str, str]) -> Any:
    if isinstance(value, str):
        return PLACEHOLDER.sub(lambda m: order_ids.get(m.group(1), m.group(0)), value)
    if isinstance(value, list):
        return [_fill(item, order_ids) for item in value]
    return value


def _tracker(end: Endpoints, conversation_id: str) -> dict[str, Any]:
    response = httpx.get(f"{end.rasa}/conversations/{conversation_id}/tracker", timeout=30)
    return dict(response.json()) if response.is_success else {}


def _tickets(http: httpx.Client, end: Endpoints, order_ids: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for order_id in order_ids:
        response = http.get(
            "/api/v1/tickets", params={"order_id": order_id}, headers={"X-Shop-Key": end.shop_key}
        )
        if response.is_success:
            found += response.json()
    return found


def order_payload(buyer_id: str, spec: dict[str, Any], now: datetime) -> dict[str, Any]:
    """A dialogue's order (status, item, price in yuan, days since its last change) as the shop
    API takes it, with the times and the shipment its status needs."""
    status = str(spec.get("status", "paid"))
    price_fen = int(spec.get("price", 99)) * 100
    quantity = int(spec.get("quantity", 1))
    last = now - timedelta(days=float(spec.get("days", 1)))
    times: dict[str, datetime] = {"created_at": last - timedelta(hours=2)}
    if status == "paid":
        times.update(created_at=last - timedelta(minutes=5), paid_at=last)
    elif status == "shipped":
        times.update(created_at=last - timedelta(days=1), paid_at=last - timedelta(hours=20))
        times["shipped_at"] = last
    elif status in ("delivered", "completed"):
        # The usual timeline: shipped within a day of payment, delivered two days later.
        times.update(created_at=last - timedelta(days=3), paid_at=last - timedelta(days=3))
        times.update(shipped_at=last - timedelta(days=2, hours=12), delivered_at=last)
        if status == "completed":
            times["delivered_at"] = last - timedelta(days=1)
            times["completed_at"] = last
    elif status == "cancelled":
        times["cancelled_at"] = last
    body: dict[str, Any] = {
        "buyer": {
            "id": buyer_id,
            "name": "测试买家",
            "phone": f"139{random.randint(0, 99999999):08d}",
        },
        "status": status,
        "payment_method": None if status == "pending_payment" else "alipay",
        "total_fen": price_fen * quantity,
        "items": [
            {
                "sku": f"SKU-{random.randint(1000, 9999)}",
                "title": str(spec.get("item", "商品")),
                "quantity": quantity,
                "unit_price_fen": price_fen,
            }
        ],
        **{key: value.isoformat() for key, value in times.items()},
    }
    if "shipped_at" in times:
        events = [{"time": times["shipped_at"].isoformat(), "description": "快递已揽收"}]
        events.append(
            {
                "time": (times["shipped_at"] + timedelta(hours=10)).isoformat(),
                "location": "杭州",
                "description": "运输中，已到达杭州转运中心",
            }
        )
        if "delivered_at" in times:
            events.append({"time": times["delivered_at"].isoformat(), "description": "已签收"})
        body["shipment"] = {
            "courier": str(spec.get("courier", "顺丰速运")),
            "tracking_no": f"SF{random.randint(10**11, 10**12 - 1)}",
            "events": events,
        }
    return body


def _create_order(http: httpx.Client, end: Endpoints, buyer_id: str, spec: dict[str, Any]) -> str:
    order_id = "2026" + "".join(random.choices("0123456789", k=14))
    body = order_payload(buyer_id, spec, datetime.now(UTC))
    response = http.put(
        f"/api/v1/orders/{order_id}", json=body, headers={"X-Shop-Key": end.shop_key}
    )
    response.raise_for_status()
    return order_id


def summarise(results: list[TurnResult]) -> dict[str, Any]:
    by_kind: dict[str, Counter[str]] = {}
    failures: Counter[str] = Counter()
    for result in results:
        counts = by_kind.setdefault(result.kind, Counter())
        counts["turns"] += 1
        counts["good"] += not result.failures
        failures.update(result.failures)
    good = sum(not r.failures for r in results)
    return {
        "turns": len(results),
        "good": good,
        "share": good / len(results) if results else 0.0,
        "by_kind": by_kind,
        "failures": failures,
    }


def print_report(
    results: list[TurnResult], show_misses: bool = False, show_all: bool = False
) -> None:
    summary = summarise(results)
    print(
        f"dialogue turns meeting their expectations: {summary['good']}/{summary['turns']}"
        f" = {summary['share']:.3f}"
    )
    print("\nby kind of dialogue:")
    for kind, counts in sorted(summary["by_kind"].items()):
        share = counts["good"] / counts["turns"]
        print(f"  {kind:<12} {counts['good']:>4}/{counts['turns']:<4} {share:.3f}")
    print("\nmissed expectations (a turn can miss several):")
    for name, count in summary["failures"].most_common():
        print(f"  {name:<16} {count}")
    if show_misses or show_all:
        print("\nturns:" if show_all else "\nmisses:")
        for result in results:
            if result.failures or show_all:
                print(f"  {result.dialogue}#{result.index} {result.said!r} -> {result.failures}")
                for text in result.replies:
                    print(f"      bot: {text[:120]!r}")


@contextmanager
def started_product() -> Iterator[Endpoints]:
    """The product on free ports with a fresh demo database (as bench.product starts it)."""
    workdir = Path(tempfile.mkdtemp(prefix="kefu-dialogues-"))
    db_url = f"sqlite:///{workdir / 'kefu.db'}"
    upgrade(db_url)
    with session_scope(make_session_factory(create_db_engine(db_url))) as session:
        seed_demo(session)
    ports = Ports(rasa=free_port(), actions=free_port(), api=free_port())
    env = {
        "DATABASE_URL": db_url,
        "KEFU_WIDGET_SECRET": "dialogue-widget-secret",
        "KEFU_SHOP_API_KEY": "dialogue-shop-key",
        "RASA_TRACKER_DB": str(workdir / "rasa-trackers.db"),
    }
    with (workdir / "product.log").open("w", encoding="utf-8") as log:
        supervisor = Supervisor(product_services(ports, env), log=log)
        try:
            supervisor.start()
            yield Endpoints(
                api=f"http://127.0.0.1:{ports.api}",
                rasa=f"http://127.0.0.1:{ports.rasa}",
                shop_key=env["KEFU_SHOP_API_KEY"],
                widget_secret=env["KEFU_WIDGET_SECRET"],
            )
        finally:
            supervisor.stop()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--api")
    parser.add_argument("--rasa")
    parser.add_argument("--shop-key")
    parser.add_argument("--widget-secret")
    parser.add_argument(
        "--dir",
        type=Path,
        default=DIALOGUES_DIR,
        help="the dialogue folder (tests/dialogues, or the held-out tests/dialogues_v2 or _v3)",
    )
    parser.add_argument("--only", help="comma-separated dialogue ids")
    parser.add_argument("--misses", action="store_true", help="print every missed turn")
    parser.add_argument("--all", action="store_true", help="print every turn")
    args = parser.parse_args()
    dialogues = load_dialogues(args.dir)
    if args.only:
        wanted = set(args.only.split(","))
        dialogues = [d for d in dialogues if d["id"] in wanted]
    print(f"{len(dialogues)} dialogues, {sum(len(d['turns']) for d in dialogues)} buyer turns")
    if args.api:
        end = Endpoints(args.api, args.rasa, args.shop_key, args.widget_secret)
        results = [r for d in dialogues for r in run_dialogue(end, d)]
    else:
        with started_product() as end:
            results = [r for d in dialogues for r in run_dialogue(end, d)]
    print_report(results, show_misses=args.misses, show_all=args.all)
    return 0


if __name__ == "__main__":
    sys.exit(main())
