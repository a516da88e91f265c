"""Eval sets: questions with gold answers and evidence, and the articles they are asked over.

Three formats: the native gold set (eval/gold.jsonl over seeds/ + eval/corpus/), RGB (per-question news
snippets; see ../shared/datasets/README.md) and MultiHop-RAG (corpus.json articles + queries).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rag.articles import load_articles
from rag.settings import REPO_ROOT
from rag.types import Article, Filters

EVAL_DIR = REPO_ROOT / "eval"
NATIVE_GOLD = EVAL_DIR / "gold.jsonl"


@dataclass
class Evidence:
    article_id: str | None  # None: any article
    text: str


@dataclass
class Case:
    id: str
    question: str
    answers: list[str]
    evidence: list[Evidence]
    answerable: bool
    type: str
    filters: Filters | None = None
    asked_on: date | None = None  # "this week" in the question is counted from it; None: the day it is run


@dataclass
class EvalSet:
    name: str
    cases: list[Case]
    articles: list[Article] = field(default_factory=list)


def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_native(path: Path = NATIVE_GOLD, corpus: list[Path] | None = None) -> EvalSet:
    corpus = corpus or [REPO_ROOT / "seeds", path.parent / "corpus"]
    cases = [
        Case(
            id=r["id"], question=r["question"], answers=r["answers"], answerable=r["answerable"], type=r["type"],
            evidence=[Evidence(e["article_id"], e["text"]) for e in r["evidence"]],
            asked_on=_day(r["id"], r.get("asked_on")),
        )
        for r in _read_jsonl(path)
    ]
    return EvalSet(name=f"native:{path.name}", cases=cases, articles=load_articles(corpus))


def _day(case_id: str, value: str | None) -> date | None:
    """A quiz's date as its set writes it: 2025-01-10 or 2025/01/10."""
    try:
        return date.fromisoformat(value.replace("/", "-")) if value else None
    except ValueError:
        raise ValueError(f"{case_id}: asked_on {value!r} is not a date (YYYY-MM-DD)") from None


def load_rgb(path: Path) -> EvalSet:
    """Each RGB question is asked twice, each time restricted (by source filter) to its own snippets:
    positive + negative ("noise": must answer) and negative only ("negative": must abstain). The negative
    case keeps the answer, only to count replies that state it: RGB's "negative" snippets sometimes hold
    it after all ("Barty wins the 2021 Wimbledon")."""
    articles: list[Article] = []
    cases: list[Case] = []
    for r in _read_jsonl(path):
        qid = str(r["id"])
        answers = r["answer"] if isinstance(r["answer"], list) else [r["answer"]]
        answers = [a for group in answers for a in (group if isinstance(group, list) else [group])]
        for kind in ("positive", "negative"):
            for i, text in enumerate(r[kind]):
                articles.append(Article(id=f"rgb-{qid}-{kind[:3]}-{i}", text=text, source=f"rgb:{qid}:{kind[:3]}"))
        evidence = [Evidence(f"rgb-{qid}-pos-{i}", text) for i, text in enumerate(r["positive"])]
        cases.append(
            Case(
                id=f"rgb-{qid}-noise", question=r["query"], answers=answers, evidence=evidence, answerable=True,
                type="rgb-noise", filters=Filters(sources=[f"rgb:{qid}:pos", f"rgb:{qid}:neg"]),
            )
        )
        cases.append(
            Case(
                id=f"rgb-{qid}-negative", question=r["query"], answers=answers, evidence=[], answerable=False,
                type="rgb-negative", filters=Filters(sources=[f"rgb:{qid}:neg"]),
            )
        )
    return EvalSet(name=f"rgb:{path.name}", cases=cases, articles=articles)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:120] or "article"


def load_multihop(folder: Path) -> EvalSet:
    """MultiHop-RAG: `corpus.json` (title, source, published_at, url, body) and `MultiHopRAG.json`
    (query, answer, question_type, evidence_list of facts); null queries must abstain."""
    corpus = json.loads((folder / "corpus.json").read_text(encoding="utf-8"))
    articles, ids = [], {}
    for i, doc in enumerate(corpus):
        article_id = f"mh-{i}-{_slug(doc.get('title', ''))[:60]}".rstrip("-")
        ids[doc.get("url") or doc.get("title")] = article_id
        published = (doc.get("published_at") or "")[:10] or None
        articles.append(
            Article(id=article_id, title=doc.get("title"), source=doc.get("source"), url=doc.get("url"),
                    published=published, text=doc["body"])
        )
    cases = []
    for i, q in enumerate(json.loads((folder / "MultiHopRAG.json").read_text(encoding="utf-8"))):
        null = q.get("question_type") == "null_query"
        evidence = [Evidence(ids.get(e.get("url") or e.get("title")), e["fact"]) for e in q.get("evidence_list", [])]
        cases.append(
            Case(id=f"mh-{i}", question=q["query"], answers=[] if null else [q["answer"]], evidence=evidence,
                 answerable=not null, type=q.get("question_type", "multihop"))
        )
    return EvalSet(name=f"multihop:{folder.name}", cases=cases, articles=articles)


def load(path: Path | None, fmt: str, corpus: list[Path] | None = None) -> EvalSet:
    """`corpus`: for a native set, the folders of articles it asks over instead of seeds/ and its corpus/
    (the held-out batches in eval/heldout/ ask over RealTimeQA's pages, which stay outside the project)."""
    if fmt == "native":
        return load_native(path or NATIVE_GOLD, corpus)
    if corpus:
        raise ValueError(f"--corpus is for a native set; the {fmt} format brings its own articles")
    if path is None:
        raise ValueError(f"--dataset is required for the {fmt} format")
    if fmt == "rgb":
        return load_rgb(path)
    if fmt == "multihop":
        return load_multihop(path)
    raise ValueError(f"unknown format {fmt!r}")
