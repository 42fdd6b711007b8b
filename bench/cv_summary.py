"""Prints the summary of `rasa test nlu --cross-validation` (intent and entity scores)."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main() -> int:
    out = Path(sys.argv[1])
    report = out / "intent_report.json"
    if not report.is_file():
        print(f"no cross-validation report in {out}")
        return 1
    data = json.loads(report.read_text(encoding="utf-8"))
    macro = data.get("macro avg", {})
    print(
        f"cross-validation (test folds): accuracy {data.get('accuracy', 0):.3f}, "
        f"macro-F1 {macro.get('f1-score', 0):.3f}"
    )
    for path in sorted(out.glob("*_report.json")):
        if path.name in ("intent_report.json",):
            continue
        body = json.loads(path.read_text(encoding="utf-8"))
        if "macro avg" in body:
            print(f"  {path.stem}: macro-F1 {body['macro avg'].get('f1-score', 0):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
