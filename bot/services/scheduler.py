"""The background clock: applies ticket deadlines, flags complaints past their first-response
deadline and delivers the outbox every few seconds.

A plain thread, because both jobs are blocking SQLAlchemy and httpx calls; it is started and
stopped by the API's lifespan. With several API replicas each runs it: a timeout is a checked
transition (a second replica finds the status already moved) and deliveries are at least once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from bot.knowledge import Policy
from bot.services.agents import mark_sla_breaches
from bot.services.live import AGENTS, Broadcaster, publish_all, queue_event
from bot.services.outbox import WebhookSender, deliver_due
from bot.services.tickets import apply_timeouts
from bot.settings import Settings
from bot.store.session import session_scope
from bot.timeutil import utcnow

log = logging.getLogger(__name__)


class Scheduler:
    def __init__(
        self,
        factory: sessionmaker[Session],
        policy: Policy | Callable[[], Policy],
        sender: WebhookSender | None,
        interval_seconds: float,
        clock: Callable[[], datetime] = utcnow,
        broadcaster: Broadcaster | None = None,
    ) -> None:
        self._factory = factory
        # A callable reads the live policy each tick, so an edited deadline applies at once.
        self._policy = policy if callable(policy) else (lambda: policy)
        self._sender = sender
        self._interval = interval_seconds
        self._clock = clock
        self._broadcaster = broadcaster
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> None:
        now = self._clock()
        with session_scope(self._factory) as session:
            applied = apply_timeouts(session, now, self._policy())
            breached = mark_sla_breaches(session, now)
        if applied:
            log.info("applied %d ticket timeouts", applied)
        if breached:
            log.info("%d complaints missed their first-response deadline", len(breached))
            events = [(AGENTS, queue_event(c, "sla_breached")) for c in breached]
            publish_all(self._broadcaster, events)
        if self._sender is not None:
            deliver_due(self._factory, self._sender, now)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="kefu-scheduler", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)
        if self._sender is not None:
            self._sender.close()

    def _loop(self) -> None:
        while not self._stopping.wait(self._interval):
            try:
                self.run_once()
            except Exception:
                # One bad tick (database busy, a bug in one ticket) must not stop the clock.
                log.exception("scheduler tick failed")


def scheduler_from_settings(
    settings: Settings,
    factory: sessionmaker[Session],
    policy: Policy | Callable[[], Policy],
    broadcaster: Broadcaster | None = None,
) -> Scheduler | None:
    """None when scheduler_interval_seconds is 0 (tests, or a separate worker does it)."""
    if settings.scheduler_interval_seconds <= 0:
        return None
    sender = None
    if settings.shop_webhook_url:
        sender = WebhookSender(
            settings.shop_webhook_url,
            settings.shop_webhook_secret.get_secret_value(),
            settings.webhook_timeout_seconds,
        )
    return Scheduler(
        factory, policy, sender, settings.scheduler_interval_seconds, broadcaster=broadcaster
    )
