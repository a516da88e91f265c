"""`/v1/ask` end to end on the seed corpus: newsqa over HTTP vs llama-index's CitationQueryEngine
in-process with the same models, one after the other (never both generating at once)."""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

import httpx

from bench.server import ServeProcess
from rag.settings import Settings
from rag.types import Article

SEED_QUESTIONS = [
    "How many people were killed in the clashes in Guayaquil?",
    "When is the presidential runoff election?",
    "On what date were the 22 people killed in Guayaquil?",
    "What share of the vote did Luisa Gonzalez get in the first round?",
    "What was the homicide rate in Ecuador in 2023?",
    "What is the population of Guayaquil?",
]


def _newsqa(settings: Settings, articles: list[Article], questions: list[str]) -> list[dict]:
    server = ServeProcess(settings.data_dir, NEWSQA_SEEDS_DIR=str(settings.data_dir / "no-seeds"))
    server.start()
    rows = []
    try:
        with httpx.Client(base_url=server.url, timeout=600) as http:
            for article in articles:  # ingested over HTTP, as users add articles
                body = article.model_dump(mode="json", exclude_none=True)
                http.post("/v1/articles", json=body, headers=server.auth).raise_for_status()
            for q in [questions[0], *questions]:  # the first, repeated, is a warm-up
                started, first = time.perf_counter(), None
                with http.stream("POST", "/v1/ask", json={"question": q, "stream": True}) as r:
                    for line in r.iter_lines():
                        if line == "event: token" and first is None:
                            first = time.perf_counter() - started
                        if line.startswith("data: ") and '"question"' in line:
                            answer = json.loads(line[6:])
                total = time.perf_counter() - started
                timings, usage = answer["timings"], answer["usage"]
                decode_s = (timings.get("generate_ms", 0) - timings.get("prompt_ms", 0)) / 1000
                rows.append({
                    "question": q, "answerable": answer["answerable"], "answer": answer["answer"],
                    "ttft_s": round(first or total, 2), "total_s": round(total, 2),
                    "prompt_tokens": usage.get("prompt_tokens", 0),
                    "completion_tokens": usage.get("completion_tokens", 0),
                    "decode_tokens_per_s": round(usage.get("completion_tokens", 0) / decode_s, 1)
                    if decode_s > 0 else None,
                })
    finally:
        server.stop()
    return rows[1:]


def _baseline(settings: Settings, articles: list[Article], questions: list[str]) -> list[dict]:
    from llama_index.core.query_engine import CitationQueryEngine

    from eval.baseline import CitationBaseline
    from eval.datasets import EvalSet

    base = CitationBaseline(EvalSet("bench", [], articles), settings)
    engine = CitationQueryEngine.from_args(base.index, llm=base.llm, streaming=True)
    model = base.llm._model
    rows = []
    for q in [questions[0], *questions]:
        started, first, pieces = time.perf_counter(), None, []
        response = engine.query(q)
        for piece in response.response_gen:
            if first is None:
                first = time.perf_counter() - started
            pieces.append(piece)
        total = time.perf_counter() - started
        answer = "".join(pieces).strip()
        completion = len(model.tokenize(answer.encode(), add_bos=False)) if answer else 0
        rows.append({
            "question": q, "answer": answer, "ttft_s": round(first or total, 2), "total_s": round(total, 2),
            "prompt_tokens": model.n_tokens - completion, "completion_tokens": completion,
        })
    return rows[1:]


def _summary(rows: list[dict]) -> dict:
    med = {k: statistics.median(r[k] for r in rows) for k in ("ttft_s", "total_s", "prompt_tokens")}
    rates = [r["decode_tokens_per_s"] for r in rows if r.get("decode_tokens_per_s")]
    if rates:
        med["decode_tokens_per_s"] = statistics.median(rates)
    return {k: round(v, 2) for k, v in med.items()}


def corpora(questions: int) -> dict[str, tuple[list[Article], list[str]]]:
    """The seed corpus (one article: every question retrieves the same context) and the gold corpus
    (eight articles: the context changes with the question, as in real use)."""
    from eval.datasets import load_native
    from rag.articles import load_articles

    gold = load_native()
    spread = [c.question for c in gold.cases if not c.id.startswith("seed-")]
    step = max(1, len(spread) // questions)
    return {
        "seed corpus": (load_articles([Settings().seeds_dir]), SEED_QUESTIONS[:questions]),
        "gold corpus": (gold.articles, spread[::step][:questions]),
    }


def measure(work: Path, questions: int) -> dict:
    results = {}
    for name, (articles, asked) in corpora(questions).items():
        settings = Settings(data_dir=work / name.replace(" ", "-"))
        newsqa = _newsqa(settings, articles, asked)
        baseline = _baseline(settings, articles, asked)
        a, b = _summary(newsqa), _summary(baseline)
        results[name] = {
            "articles": len(articles),
            "questions": len(asked),
            "newsqa": a,
            "citation_query_engine": b,
            "total_ratio": round(a["total_s"] / b["total_s"], 2),
            "ttft_ratio": round(a["ttft_s"] / b["ttft_s"], 2),
            "prompt_tokens_ratio": round(a["prompt_tokens"] / b["prompt_tokens"], 2),
            "per_question": {"newsqa": newsqa, "citation_query_engine": baseline},
        }
    return results
