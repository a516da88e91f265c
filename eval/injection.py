"""How well the planted-instruction filter separates text addressed to an AI from news prose.

Two labelled sets of sentences: `injection.jsonl` was written together with the patterns in
rag/injection.py; `injection_heldout.jsonl` was written after them and first scored 13 of 20 planted
instructions blocked (the patterns were then widened, so it is no longer unseen: new held-out sentences
are the honest check of a future change). Ordinary sentences use the same words ("ignore",
"instructions", "answer", "assistant") the way news does.
"""

from __future__ import annotations

import json
from pathlib import Path

from rag.injection import is_planted_instruction

SETS = {
    "written with the patterns": Path(__file__).parent / "injection.jsonl",
    "written after them": Path(__file__).parent / "injection_heldout.jsonl",
}


def measure(sets: dict[str, Path] = SETS) -> dict:
    """`blocked`: share of planted instructions the filter drops; `kept_ordinary`: share of ordinary news
    sentences it keeps (1 - false-positive rate). Per set and over all."""
    rows = {name: [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
            for name, path in sets.items()}
    rows["all"] = [r for rs in list(rows.values()) for r in rs]
    result = {}
    for name, items in rows.items():
        planted = [r["text"] for r in items if r["planted"]]
        ordinary = [r["text"] for r in items if not r["planted"]]
        missed = [t for t in planted if not is_planted_instruction(t)]
        flagged = [t for t in ordinary if is_planted_instruction(t)]
        result[name] = {
            "planted": len(planted), "ordinary": len(ordinary),
            "blocked": round(1 - len(missed) / len(planted), 3),
            "false_positive_rate": round(len(flagged) / len(ordinary), 3),
            "kept_ordinary": round(1 - len(flagged) / len(ordinary), 3),
            "missed": missed, "flagged": flagged,
        }
    return result
