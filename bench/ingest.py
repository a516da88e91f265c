"""Ingest throughput against the raw limit: `SentenceTransformer.encode` of the same texts, same batch size;
and the embedding backend in use (ONNX Runtime by default) against that torch reference, in bulk and per query."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from bench.run import median_time, percentile
from rag.chunking import chunk_article
from rag.pipeline import Pipeline
from rag.settings import Settings


def measure(embedder, articles, questions: list[str], work: Path, repeats: int) -> dict:
    settings = Settings(data_dir=work)
    texts = [
        Pipeline._embed_text(a, c.text)
        for a in articles
        for c in chunk_article(a, settings.chunk_max_chars, settings.chunk_overlap_sentences)
    ]

    def raw() -> None:
        embedder.model.encode(texts, batch_size=embedder.batch_size, normalize_embeddings=True, show_progress_bar=False)

    def newsqa() -> None:
        shutil.rmtree(work, ignore_errors=True)
        pipeline = Pipeline(settings, embedder=embedder)
        pipeline.ingest(articles)
        pipeline.index.close()

    raw()  # first call pays one-off costs for both
    raw_s, newsqa_s = median_time(raw, repeats), median_time(newsqa, repeats)
    backend_s = median_time(lambda: embedder.encode(texts), repeats)
    query_ms = {
        name: _query_p50_ms(encode, questions)
        for name, encode in (("torch", lambda q: embedder.model.encode([q])), (embedder.backend, lambda q: embedder.encode([q])))
    }
    return {
        "articles": len(articles),
        "chunks": len(texts),
        "batch_size": embedder.batch_size,
        "backend": embedder.backend,
        "raw_encode_chunks_per_s": round(len(texts) / raw_s, 1),
        "backend_encode_chunks_per_s": round(len(texts) / backend_s, 1),
        "newsqa_ingest_chunks_per_s": round(len(texts) / newsqa_s, 1),
        "ratio_to_raw": round(raw_s / newsqa_s, 3),
        "query_embed_p50_ms_torch": query_ms["torch"],
        "query_embed_p50_ms_backend": query_ms[embedder.backend],
        "query_embed_speedup": round(query_ms["torch"] / query_ms[embedder.backend], 2),
    }


def _query_p50_ms(encode, questions: list[str]) -> float:
    encode(questions[0])
    times = []
    for q in questions:
        started = time.perf_counter()
        encode(q)
        times.append(time.perf_counter() - started)
    return round(percentile(times, 0.5) * 1000, 2)
