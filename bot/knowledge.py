"""Loads the shop's knowledge: policy numbers and FAQ answers, kept only in knowledge/."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

PLACEHOLDER = re.compile(r"\{([a-z_]+(?:\.[a-z0-9_]+)+)\}")


class KnowledgeError(ValueError):
    """knowledge/ has a missing file, a bad key or a placeholder that names nothing."""


@dataclass(frozen=True)
class Policy:
    """Policy values by dotted key, e.g. policy.get("refund.seller_response_days")."""

    values: dict[str, Any]

    def get(self, key: str) -> Any:
        node: Any = self.values
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                raise KnowledgeError(f"policy.yml has no {key}")
            node = node[part]
        return node

    def number(self, key: str) -> int:
        value = self.get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise KnowledgeError(f"policy.yml {key} is not a whole number")
        return value

    def render(self, template: str) -> str:
        """Fills {section.key} placeholders with policy values."""

        def fill(match: re.Match[str]) -> str:
            value = self.get(match.group(1))
            if isinstance(value, dict | list):
                raise KnowledgeError(f"{match.group(1)} is not a single value")
            return str(value)

        return PLACEHOLDER.sub(fill, template)


@dataclass(frozen=True)
class FaqEntry:
    topic: str
    title: str
    answer: str
    # How buyers ask it: the retrieval intent's training examples and the search's documents.
    examples: tuple[str, ...] = ()


def load_policy(knowledge_dir: Path) -> Policy:
    return Policy(_read_yaml(knowledge_dir / "policy.yml"))


def load_faq(knowledge_dir: Path, policy: Policy | None = None) -> dict[str, FaqEntry]:
    """FAQ entries by topic, with policy numbers already filled in."""
    policy = policy or load_policy(knowledge_dir)
    topics = _read_yaml(knowledge_dir / "faq.yml").get("topics")
    if not isinstance(topics, dict) or not topics:
        raise KnowledgeError("faq.yml needs a non-empty 'topics' mapping")
    entries = {}
    for topic, body in topics.items():
        if not re.fullmatch(r"[a-z][a-z0-9_]*", str(topic)):
            raise KnowledgeError(f"faq topic {topic!r} must be snake_case")
        if not isinstance(body, dict) or not body.get("answer"):
            raise KnowledgeError(f"faq topic {topic} needs an answer")
        answer = policy.render(str(body["answer"]).strip())
        examples = body.get("examples") or []
        if not isinstance(examples, list) or not all(
            isinstance(example, str) and example.strip() for example in examples
        ):
            raise KnowledgeError(f"faq topic {topic}: examples must be a list of questions")
        entries[topic] = FaqEntry(
            topic,
            str(body.get("title", topic)),
            answer,
            tuple(example.strip() for example in examples),
        )
    return entries


@dataclass(frozen=True)
class CannedReply:
    title: str
    text: str


def load_canned_replies(knowledge_dir: Path, policy: Policy | None = None) -> list[CannedReply]:
    """The agents' quick replies, with policy numbers already filled in."""
    policy = policy or load_policy(knowledge_dir)
    replies = _read_yaml(knowledge_dir / "canned_replies.yml").get("replies")
    if not isinstance(replies, list):
        raise KnowledgeError("canned_replies.yml needs a 'replies' list")
    loaded = []
    for entry in replies:
        if not isinstance(entry, dict) or not entry.get("title") or not entry.get("text"):
            raise KnowledgeError(f"canned reply {entry!r} needs a title and a text")
        loaded.append(CannedReply(str(entry["title"]), policy.render(str(entry["text"]).strip())))
    return loaded


def cached_policy(knowledge_dir: Path) -> Policy:
    """The policy as the running bot applies it: re-read when policy.yml changes."""
    from bot.knowledge_live import live_knowledge  # the live copy builds on this module

    return live_knowledge(knowledge_dir).snapshot().policy


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise KnowledgeError(f"{path} is missing")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise KnowledgeError(f"{path} must hold a mapping")
    return data
