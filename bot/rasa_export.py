"""Builds what Rasa trains on from knowledge/: the domain and the FAQ's training examples.

knowledge/faq.yml holds each topic's answer and example questions. Rasa needs the examples as the
retrieval intent faq/<topic> and a `utter_faq/<topic>` response per topic in the domain. The
response written here is a fixed marker, not the answer: the answer is looked up in knowledge/ at
reply time (actions/faq.py), so rewording one never changes the model's fingerprint and never
needs a retrain. Files are rewritten only when their content changes.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import yaml

from bot.knowledge import FaqEntry, load_faq
from bot.settings import PROJECT_ROOT

GENERATED = "# Generated from domain.yml and knowledge/ by bot.rasa_export. Do not edit.\n"
# The NLU trains on at most this many examples per topic, spread over the topic's list. With all
# of them (2,085 over 36 topics, ten times any other intent) `faq` pulled in its neighbours:
# order_status, request_refund and out_of_scope messages were read as policy questions. The FAQ
# search (bot/faq/search.py) still uses every example. Measured with bench-nlu and bench-faq.
MAX_TRAINING_EXAMPLES_PER_TOPIC = 45
DEFAULT_OUT = PROJECT_ROOT / "var" / "rasa"


def export_domain(project_root: Path, out_file: Path) -> Path:
    faq = load_faq(project_root / "knowledge")
    domain = yaml.safe_load((project_root / "domain.yml").read_text(encoding="utf-8"))
    responses = domain.setdefault("responses", {})
    for entry in faq.values():
        key = f"utter_faq/{entry.topic}"
        if key in responses:
            raise ValueError(f"domain.yml must not define {key}: FAQ answers live in knowledge/")
        responses[key] = [{"text": f"[faq:{entry.topic}]"}]
    _write_if_changed(out_file, GENERATED + _dump(domain))
    return out_file


def export_faq_examples(project_root: Path, out_file: Path) -> Path:
    faq = load_faq(project_root / "knowledge")
    blocks = [_nlu_block(entry) for entry in faq.values()]
    empty = [entry.topic for entry in faq.values() if not entry.examples]
    if empty:
        raise ValueError(f"faq topics without example questions: {', '.join(empty)}")
    _write_if_changed(out_file, GENERATED + 'version: "3.1"\nnlu:\n' + "".join(blocks))
    return out_file


def export_all(project_root: Path, out_dir: Path) -> tuple[Path, Path]:
    """var/rasa/domain.yml and var/rasa/data/faq.yml (the folder `--data` also reads)."""
    return (
        export_domain(project_root, out_dir / "domain.yml"),
        export_faq_examples(project_root, out_dir / "data" / "faq.yml"),
    )


def training_examples(entry: FaqEntry, cap: int = MAX_TRAINING_EXAMPLES_PER_TOPIC) -> list[str]:
    """Up to `cap` examples taken evenly over the list, so every writer's wording is in."""
    examples = list(entry.examples)
    if len(examples) <= cap:
        return examples
    step = len(examples) / cap
    return [examples[int(i * step)] for i in range(cap)]


def _nlu_block(entry: FaqEntry) -> str:
    # Rasa's examples block is literal text, one "- " line per example.
    lines = "".join(f"    - {' '.join(example.split())}\n" for example in training_examples(entry))
    return f"- intent: faq/{entry.topic}\n  examples: |\n{lines}"


def _dump(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _write_if_changed(path: Path, text: str) -> None:
    # An unchanged file keeps its time stamp, so make does not think the model is stale.
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    for path in export_all(PROJECT_ROOT, args.out):
        print(path)


if __name__ == "__main__":
    main()
