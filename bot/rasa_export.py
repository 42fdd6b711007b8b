"""Builds the Rasa domain for training: domain.yml plus FAQ responses from knowledge/.

FAQ answers live only in knowledge/faq.yml; this adds them as `utter_faq/<topic>` responses to
a copy of domain.yml (var/rasa-domain.yml) that `make train` and `make validate` hand to Rasa.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import yaml

from bot.knowledge import load_faq
from bot.settings import PROJECT_ROOT


def export_domain(project_root: Path, out_file: Path) -> Path:
    faq = load_faq(project_root / "knowledge")
    domain = yaml.safe_load((project_root / "domain.yml").read_text(encoding="utf-8"))
    responses = domain.setdefault("responses", {})
    for entry in faq.values():
        key = f"utter_faq/{entry.topic}"
        if key in responses:
            raise ValueError(f"domain.yml must not define {key}: FAQ answers live in knowledge/")
        responses[key] = [{"text": entry.answer}]
    out_file.parent.mkdir(parents=True, exist_ok=True)
    header = "# Generated from domain.yml and knowledge/ by bot.rasa_export. Do not edit.\n"
    out_file.write_text(
        header + yaml.safe_dump(domain, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return out_file


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "var" / "rasa-domain.yml")
    args = parser.parse_args()
    print(export_domain(PROJECT_ROOT, args.out))


if __name__ == "__main__":
    main()
