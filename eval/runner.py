"""Runs an eval set through newsqa (and optionally the llama-index baseline) and scores every answer."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from eval.datasets import Case, EvalSet
from eval.metrics import (
    Verdict, citation_correct, contains_alias, evidence_hit, exact_match, item_hit, soft_match,
)
from rag.pipeline import Pipeline

RANK_DEPTH = 10
THRESHOLDS = Path(__file__).parent / "thresholds.toml"


@dataclass
class Reply:
    """What any system under test returns for one question."""

    answer: str
    abstained: bool
    citations: list[tuple[int, str, str]]  # (n, article_id, quote)
    timings: dict[str, float]
    usage: dict[str, int]
    reason: str | None = None
    evidence: list[tuple[str, str]] | None = None  # (article_id, sentence) the model read; None: unknown
    draft: str | None = None  # what the model wrote before the checks; None: unknown


def score(case: Case, reply: Reply, ranked: list[tuple[str, str]], k: int) -> Verdict:
    """`ranked`: (article_id, text) of the top retrieved passages, best first."""
    rank = next((i for i, (aid, text) in enumerate(ranked, 1) if evidence_hit(case, aid, text)), None)
    recall = None
    if case.evidence:
        found = [any(item_hit(e, aid, text) for aid, text in ranked[:k]) for e in case.evidence]
        recall = sum(found) / len(found)
    read = None
    if reply.evidence is not None and case.answerable:
        read = {
            "gold": sum(any(item_hit(e, aid, text) for aid, text in reply.evidence) for e in case.evidence)
            / len(case.evidence)
            if case.evidence else None,
            "answer": any(soft_match(text, case.answers) for _, text in reply.evidence),
        }
    citations = [
        {"n": n, "article_id": aid, "quote": quote, "correct": citation_correct(case, reply.answer, n, aid, quote)}
        for n, aid, quote in reply.citations
    ]
    return Verdict(
        id=case.id, type=case.type, question=case.question, gold_answerable=case.answerable,
        answer=reply.answer, abstained=reply.abstained, reason=reply.reason, draft=reply.draft, evidence=reply.evidence,
        withheld_right=(reply.abstained and reply.draft is not None and contains_alias(reply.draft, case.answers))
        if case.answerable else None,
        answered_with_gold=(not reply.abstained and soft_match(reply.answer, case.answers))
        if not case.answerable and case.answers else None,
        correct=(not reply.abstained and contains_alias(reply.answer, case.answers)) if case.answerable else None,
        exact=(not reply.abstained and exact_match(reply.answer, case.answers)) if case.answerable else None,
        soft=(not reply.abstained and soft_match(reply.answer, case.answers)) if case.answerable else None,
        first_hit_rank=rank if case.evidence else None,
        evidence_recall=recall,
        read=read,
        citations=citations,
        cited_evidence=any(evidence_hit(case, c["article_id"], c["quote"]) for c in citations)
        if case.evidence else None,
        timings=reply.timings, usage=reply.usage,
    )


def ask_newsqa(pipeline: Pipeline, case: Case) -> tuple[Reply, list[tuple[str, str]]]:
    ranked = [(p.article_id, p.text) for p in pipeline.search(case.question, RANK_DEPTH, case.filters, case.asked_on)]
    a = pipeline.ask(case.question, filters=case.filters, asked_on=case.asked_on)
    reply = Reply(
        answer=a.answer, abstained=not a.answerable, reason=a.reason,
        citations=[(c.n, c.article_id, c.quote) for c in a.citations], timings=a.timings, usage=a.usage,
        evidence=[(e.article_id, e.quote) for e in a.evidence], draft=a.draft,
    )
    return reply, ranked


def run(
    eval_set: EvalSet,
    ask: Callable[[Case], tuple[Reply, list[tuple[str, str]]]],
    k: int,
    limit: int | None = None,
    progress: Callable[[Verdict], None] | None = None,
) -> list[Verdict]:
    verdicts = []
    for case in eval_set.cases[:limit]:
        reply, ranked = ask(case)
        verdicts.append(score(case, reply, ranked, k))
        if progress:
            progress(verdicts[-1])
    return verdicts


def check_thresholds(metrics: dict, path: Path = THRESHOLDS) -> list[str]:
    """Each `[section] metric = minimum` in the TOML file; returns the ones not met."""
    failures = []
    for section, minimums in tomllib.loads(path.read_text()).items():
        for name, minimum in minimums.items():
            value = metrics.get(section, {}).get(name)
            if section == "injection":  # measured on its own sentences, per set and over all of them
                value = metrics.get(section, {}).get("all", {}).get(name)
            if value is None or value < minimum:
                failures.append(f"{section}.{name} = {value} < {minimum}")
    return failures
