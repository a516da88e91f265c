"""Replaying a run's drafts: the generator's seam answered from a previous run's results.jsonl.

The checks after generation (citations, the question's constraints, the asked kind of fact) are where most
quality changes are made, and a run with the model takes an hour on the dev sets. Retrieval, evidence and
checks run for real; only the model's draft is read back, by question id. With unchanged code the replay
gives back every stored answer, so what changes is what the eval would answer with the new checks."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

from eval.datasets import Case
from eval.metrics import Verdict
from eval.runner import Reply, ask_newsqa
from rag.generate import REFUSAL
from rag.pipeline import Pipeline


class ReplayError(ValueError):
    """The results file cannot be replayed for this set."""


def load_drafts(path: Path) -> dict[str, dict]:
    """newsqa's rows of a results.jsonl by question id (a baseline's rows, which have no draft, are left)."""
    rows: dict[str, dict] = {}
    try:
        with path.open(encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if not line.strip():
                    continue
                row = json.loads(line)
                if not isinstance(row, dict) or not isinstance(row.get("id"), str) or "draft" not in row:
                    raise ReplayError(f"{path}:{number}: not a row of an eval's results.jsonl")
                if row.get("system", "newsqa") == "newsqa":
                    rows[row["id"]] = row
    except (OSError, UnicodeDecodeError) as exc:
        raise ReplayError(f"{path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise ReplayError(f"{path}:{exc.lineno}: not JSON ({exc.msg})") from None
    if not rows:
        raise ReplayError(f"{path}: no newsqa answers in it")
    return rows


class StoredDrafts:
    """The LLM seam, writing for each question the draft stored for it. A question that reaches the
    generator now but did not in the stored run (its draft is null: no evidence then) gets the refusal,
    and is counted: its answer is not a replay. Nor is the answer of a question whose evidence is not the
    stored run's (a change to retrieval or to the evidence ranking): the draft cites sentences by number,
    and the numbers now point elsewhere. Those are counted too, to be asked again with the model
    (`--only`). No prompt is read, so no prompt tokens are reported."""

    name = "replayed drafts"
    info: dict[str, object] = {"backend": "replay"}
    concurrency = 1

    def __init__(self, rows: dict[str, dict]):
        self.rows = rows
        self.case_id: str | None = None
        self.prompt_tokens: int | None = None
        self.unreplayable: list[str] = []
        self.other_evidence: list[str] = []

    def stream(self, messages: list[dict[str, str]], max_tokens: int) -> Iterator[str]:
        row = self.rows[self.case_id]
        if row["draft"] is None:
            self.unreplayable.append(self.case_id)
        yield row["draft"] or REFUSAL

    def warm(self) -> None:
        pass

    def close(self) -> None:
        pass


def check_covers(rows: dict[str, dict], cases: list[Case], path: Path) -> None:
    missing = [c.id for c in cases if c.id not in rows]
    if missing:
        raise ReplayError(
            f"{len(missing)} of {len(cases)} questions have no stored answer in {path} (first: {missing[0]}): "
            "replay a run of the same set and --limit"
        )


def asker(pipeline: Pipeline, drafts: StoredDrafts) -> Callable[[Case], tuple[Reply, list[tuple[str, str]]]]:
    def ask(case: Case) -> tuple[Reply, list[tuple[str, str]]]:
        drafts.case_id = case.id
        reply, ranked = ask_newsqa(pipeline, case)
        stored = drafts.rows[case.id].get("evidence")  # runs before the evidence was stored: unknown
        if stored is not None and [list(e) for e in reply.evidence or []] != stored:
            drafts.other_evidence.append(case.id)
        return reply, ranked

    return ask


def changed(rows: dict[str, dict], replies: list[Verdict]) -> list[str]:
    """Ids of the questions whose answer differs from the stored one."""
    return [v.id for v in replies if rows[v.id]["answer"] != v.answer]
