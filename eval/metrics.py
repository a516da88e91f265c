"""Scoring one answer against its gold case, and the aggregate metrics a report shows."""

from __future__ import annotations

import re
import statistics
from dataclasses import asdict, dataclass, field

from eval.datasets import Case, Evidence
from rag.cite import MARKER, content_words, is_refusal, numbers_in
from rag.chunking import sentence_spans
from rag.dates import RESOLVED_DATE

INSUFFICIENT = (
    "insufficient", "not provided", "does not provide", "doesn't provide", "does not mention",
    "doesn't mention", "no mention", "cannot be determined", "can't be determined", "not available",
    "unable to", "not specified", "do not contain", "does not contain", "not stated", "no relevant",
)


def normalize(text: str) -> str:
    text = MARKER.sub(" ", text.lower())
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)  # 1,850 -> 1850
    text = re.sub(r"[^a-z0-9.\-]+", " ", text)
    return " ".join(t.strip(".-") for t in text.split() if t.strip(".-"))


def contains_alias(answer: str, aliases: list[str]) -> bool:
    """RGB's criterion made whole-word: a normalized alias appears in the normalized answer."""
    padded = f" {normalize(answer)} "
    return any(normalize(a) and f" {normalize(a)} " in padded for a in aliases)


SOFT_MATCH = 0.5


def soft_match(answer: str, aliases: list[str]) -> bool:
    """For phrase answers ("It was vetoed by the governor"), whose exact words a right reply need not
    repeat: at least half of an alias's content words (stemmed, numbers included) appear in the reply.
    RealTimeQA's README asks for such a measure beside strict containment."""
    said = content_words(answer) | numbers_in(answer)
    for alias in aliases:
        gold = content_words(alias) | numbers_in(alias)
        if gold and len(gold & said) / len(gold) >= SOFT_MATCH:
            return True
    return contains_alias(answer, aliases)


def exact_match(answer: str, aliases: list[str]) -> bool:
    return any(normalize(answer) == normalize(a) for a in aliases)


def says_insufficient(answer: str) -> bool:
    """How a free-text system (the baseline) declines, judged the same way as RGB's rejection."""
    low = answer.lower()
    return is_refusal(answer) or any(p in low for p in INSUFFICIENT)


def _squash(text: str) -> str:
    return " ".join(text.lower().split())


def item_hit(evidence: Evidence, article_id: str, text: str) -> bool:
    """The text (a passage or a quote) holds this piece of gold evidence, or lies within it."""
    body, gold = _squash(text), _squash(evidence.text)
    return evidence.article_id in (None, article_id) and bool(body) and (gold in body or body in gold)


def evidence_hit(case: Case, article_id: str, text: str) -> bool:
    return any(item_hit(e, article_id, text) for e in case.evidence)


def citation_correct(case: Case, answer: str, n: int, article_id: str, quote: str) -> bool:
    """The cited text is gold evidence, or it states the gold answer with every number of the claim."""
    if not case.answerable:
        return False
    if evidence_hit(case, article_id, quote):
        return True
    claims = [answer[s.start : s.end] for s in sentence_spans(answer) if f"[{n}]" in answer[s.start : s.end]]
    claim = " ".join(MARKER.sub("", c) for c in claims) or MARKER.sub("", answer)
    claim = RESOLVED_DATE.sub("", claim)  # "(2025-03-06)" after "Thursday": the cited sentence's own resolution
    return contains_alias(quote, case.answers) and numbers_in(claim) <= numbers_in(quote)


@dataclass
class Verdict:
    id: str
    type: str
    question: str
    gold_answerable: bool
    answer: str
    abstained: bool
    correct: bool | None  # None for unanswerable cases
    exact: bool | None
    soft: bool | None
    first_hit_rank: int | None  # rank of the first passage holding gold evidence (retrieval top 10)
    evidence_recall: float | None
    read: dict | None = None  # of the sentences the model read: share of gold evidence; holds the answer?
    citations: list[dict] = field(default_factory=list)
    cited_evidence: bool | None = None
    timings: dict[str, float] = field(default_factory=dict)
    usage: dict[str, int] = field(default_factory=dict)
    reason: str | None = None
    draft: str | None = None  # the model's text before the checks: why an abstention happened
    # (article_id, sentence) the model read, in the prompt's order: a replay's drafts answer these sentences
    evidence: list[tuple[str, str]] | None = None
    withheld_right: bool | None = None  # abstained although the draft held a gold answer
    # unanswerable by the gold set, yet answered with the set's answer to the same question (RGB negatives:
    # the snippets held it): counted against abstention all the same, reported so a reader can tell
    answered_with_gold: bool | None = None

    def to_json(self) -> dict:
        return asdict(self)


def _ratio(values: list[bool]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def _mean(values: list[float]) -> float | None:
    return round(statistics.mean(values), 4) if values else None


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 1)
    return round(statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1], 1)


def aggregate(verdicts: list[Verdict], k: int) -> dict:
    answerable = [v for v in verdicts if v.gold_answerable]
    with_evidence = [v for v in answerable if v.first_hit_rank is not None or v.evidence_recall is not None]
    ranks = [v.first_hit_rank for v in with_evidence]
    abstained = [v for v in verdicts if v.abstained]
    unanswerable = [v for v in verdicts if not v.gold_answerable]
    citations = [c for v in verdicts for c in v.citations if not v.abstained]
    metrics = {
        "questions": len(verdicts),
        "retrieval": {
            "hit@1": _ratio([r is not None and r <= 1 for r in ranks]),
            "hit@5": _ratio([r is not None and r <= 5 for r in ranks]),
            "mrr@10": round(sum(1 / r for r in ranks if r) / len(ranks), 4) if ranks else None,
            f"evidence_recall@{k}": round(statistics.mean(v.evidence_recall for v in with_evidence), 4)
            if with_evidence else None,
        },
        "evidence": {
            "gold_sentence_recall": _mean(
                [v.read["gold"] for v in answerable if v.read and v.read["gold"] is not None]
            ),
            "answer_in_evidence": _ratio([v.read["answer"] for v in answerable if v.read]),
        },
        "answers": {
            "accuracy": _ratio([bool(v.correct) for v in answerable]),
            "soft_accuracy": _ratio([bool(v.soft) for v in answerable]),
            "exact_match": _ratio([bool(v.exact) for v in answerable]),
            "abstention_precision": _ratio([not v.gold_answerable for v in abstained]),
            "abstention_recall": _ratio([v.abstained for v in unanswerable]),
            "false_abstention_rate": _ratio([v.abstained for v in answerable]),
            # the checks' cost: right drafts replaced by a refusal (a draft may also be right by luck)
            "withheld_right": _ratio([bool(v.withheld_right) for v in answerable]),
        },
        "citations": {
            "precision": _ratio([c["correct"] for c in citations]),
            "recall": _ratio([bool(v.cited_evidence) for v in with_evidence]),
        },
        "latency_ms": {},
        "prompt_tokens": {},
        "by_type": {},
    }
    stages = sorted({s for v in verdicts for s in v.timings})
    for stage in stages:
        values = [v.timings[stage] for v in verdicts if stage in v.timings]
        metrics["latency_ms"][stage] = {"p50": _percentile(values, 50), "p95": _percentile(values, 95)}
    tokens = [v.usage["prompt_tokens"] for v in verdicts if v.usage.get("prompt_tokens")]
    metrics["prompt_tokens"] = {"p50": _percentile(tokens, 50), "p95": _percentile(tokens, 95)}
    for kind in sorted({v.type for v in verdicts}):
        group = [v for v in verdicts if v.type == kind]
        right = [bool(v.correct) if v.gold_answerable else v.abstained for v in group]
        metrics["by_type"][kind] = {
            "questions": len(group), "right": _ratio(right),
            "answered_with_gold": _ratio([v.answered_with_gold for v in group if v.answered_with_gold is not None]),
        }
    return metrics
