"""Command line: migrate, seed, import orders, create agents, sign buyer ids, list FAQ gaps.

python -m bot.cli migrate
python -m bot.cli seed
python -m bot.cli import-orders orders.jsonl
python -m bot.cli create-agent NAME DISPLAY_NAME
python -m bot.cli agent-online NAME [--off]
python -m bot.cli sign-buyer BUYER_ID
"""

from __future__ import annotations

import argparse
import secrets
import sys
from pathlib import Path

from sqlalchemy import select

from bot.errors import AgentNotFound
from bot.orders.bulk import import_jsonl
from bot.security import hash_agent_token, sign_buyer_id
from bot.seed import seed_demo
from bot.services.agents import agent_by_name, set_presence
from bot.services.faq_gaps import list_gaps
from bot.settings import get_settings
from bot.store.migrate import upgrade
from bot.store.models import Agent
from bot.store.session import session_factory_for, session_scope


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.cli", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="bring the database schema up to date")
    commands.add_parser("seed", help="load the deterministic demo data")
    bulk = commands.add_parser("import-orders", help="upsert orders from a JSON-lines file")
    bulk.add_argument("path", type=Path)
    agent = commands.add_parser("create-agent", help="create an agent and print its token once")
    agent.add_argument("name")
    agent.add_argument("display_name")
    presence = commands.add_parser("agent-online", help="mark an agent online (or --off)")
    presence.add_argument("name")
    presence.add_argument("--off", action="store_true")
    sign = commands.add_parser("sign-buyer", help="print the widget signature of a buyer id")
    sign.add_argument("buyer_id")
    gaps = commands.add_parser(
        "faq-gaps", help="questions the FAQ could not answer, most asked first"
    )
    gaps.add_argument("--limit", type=int, default=50)
    args = parser.parse_args(argv)

    settings = get_settings()
    if args.command == "sign-buyer":
        print(sign_buyer_id(args.buyer_id, settings.widget_secret.get_secret_value()))
        return 0
    if args.command == "migrate":
        upgrade(settings.database_url)
        return 0
    factory = session_factory_for(settings.database_url)
    if args.command == "seed":
        if settings.environment == "production":
            # Demo buyers and an agent with a published token have no place in a real shop.
            print("refusing to seed demo data in production", file=sys.stderr)
            return 1
        with session_scope(factory) as session:
            seed_demo(session)
        print("demo data seeded")
        return 0
    if args.command == "import-orders":
        report = import_jsonl(factory, args.path)
        print(f"imported {report.imported} orders, {len(report.errors)} rejected")
        for line_no, error in report.errors:
            print(f"  line {line_no}: {error}", file=sys.stderr)
        return 1 if report.errors else 0
    if args.command == "faq-gaps":
        with session_scope(factory) as session:
            gaps_found = list_gaps(session, max(1, args.limit))
        if not gaps_found:
            print("no unanswered questions recorded")
        for gap in gaps_found:
            print(f"{gap.count:5d}  {gap.last_seen_at:%Y-%m-%d %H:%M}  {gap.text}")
        return 0
    if args.command == "agent-online":
        with session_scope(factory) as session:
            try:
                set_presence(session, agent_by_name(session, args.name), not args.off)
            except AgentNotFound:
                print(f"no agent {args.name}", file=sys.stderr)
                return 1
        print(f"{args.name} is {'offline' if args.off else 'online'}")
        return 0
    if args.command == "create-agent":
        token = secrets.token_urlsafe(32)
        with session_scope(factory) as session:
            taken = session.scalars(select(Agent).where(Agent.name == args.name)).first()
            if taken is not None:
                print(f"agent {args.name} exists already", file=sys.stderr)
                return 1
            session.add(
                Agent(
                    name=args.name,
                    display_name=args.display_name,
                    token_hash=hash_agent_token(token),
                )
            )
        print(token)
        return 0
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
