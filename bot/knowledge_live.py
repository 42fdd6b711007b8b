"""knowledge/ as the running bot reads it: re-read when a file changes, so an edited answer or
policy number takes effect without a retrain or a restart.

Every read compares the files' modification stamps (a few stat calls); a changed file is loaded
and checked as a whole. A broken edit never reaches buyers: the last good copy stays in use and
the error is kept for the reload call to report.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from bot.knowledge import (
    FaqEntry,
    KnowledgeError,
    Policy,
    load_canned_replies,
    load_faq,
    load_policy,
)

WATCHED_FILES = ("policy.yml", "faq.yml", "canned_replies.yml")

Stamp = tuple[tuple[str, int, int], ...]


@dataclass(frozen=True)
class KnowledgeSnapshot:
    policy: Policy
    faq: dict[str, FaqEntry]
    loaded_at: datetime
    # Changes whenever a new copy is loaded: callers key derived data (the FAQ search) on it.
    version: int


class LiveKnowledge:
    def __init__(self, knowledge_dir: Path) -> None:
        self.knowledge_dir = knowledge_dir
        self._lock = threading.Lock()
        self._stamp: Stamp | None = None
        self._snapshot: KnowledgeSnapshot | None = None
        self.last_error: str | None = None

    def snapshot(self) -> KnowledgeSnapshot:
        """The current knowledge; re-read first if a file changed since the last read."""
        stamp = self._read_stamp()
        snapshot = self._snapshot
        if snapshot is not None and stamp == self._stamp:
            return snapshot
        with self._lock:
            if self._snapshot is None or stamp != self._stamp:
                self._load(stamp, keep_last_good=True)
            assert self._snapshot is not None
            return self._snapshot

    def reload(self) -> KnowledgeSnapshot:
        """Re-reads now. Raises KnowledgeError for a broken edit (the last good copy stays)."""
        with self._lock:
            self._load(self._read_stamp(), keep_last_good=False)
            assert self._snapshot is not None
            return self._snapshot

    def _load(self, stamp: Stamp, *, keep_last_good: bool) -> None:
        try:
            policy = load_policy(self.knowledge_dir)
            faq = load_faq(self.knowledge_dir, policy)
            load_canned_replies(self.knowledge_dir, policy)  # checked now, read where used
        except (KnowledgeError, OSError, ValueError) as error:
            self.last_error = str(error)
            # Remember the broken stamp so a bad file is not re-parsed on every message.
            self._stamp = stamp
            if self._snapshot is None or not keep_last_good:
                raise KnowledgeError(str(error)) from error
            return
        version = self._snapshot.version + 1 if self._snapshot else 1
        self._snapshot = KnowledgeSnapshot(policy, faq, datetime.now(UTC), version)
        self._stamp = stamp
        self.last_error = None

    def _read_stamp(self) -> Stamp:
        stamp = []
        for name in WATCHED_FILES:
            try:
                stat = (self.knowledge_dir / name).stat()
            except FileNotFoundError:
                stamp.append((name, -1, -1))
                continue
            stamp.append((name, stat.st_mtime_ns, stat.st_size))
        return tuple(stamp)


@lru_cache(maxsize=8)
def live_knowledge(knowledge_dir: Path) -> LiveKnowledge:
    """One live copy per knowledge folder and process."""
    return LiveKnowledge(knowledge_dir)
