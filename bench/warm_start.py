"""Warm start: `newsqa serve` to ready on a large index on disk, against the seed-only index in the same run."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from bench.run import bench_corpus, synthetic_vectors
from bench.server import ServeProcess
from rag.chunking import chunk_article
from rag.index import ArticleIndex
from rag.settings import Settings
from rag.types import Article, Chunk, Span

CHUNKS_PER_ARTICLE = 10


def build_large_index(directory: Path, embedder, n: int) -> None:
    """`n` chunks of spliced real text with clustered synthetic vectors, written through the real store."""
    settings = Settings()
    base_texts = [c.text for a in bench_corpus() for c in chunk_article(a, settings.chunk_max_chars)]
    vecs = synthetic_vectors(embedder.encode(base_texts), n)
    index = ArticleIndex(directory, embedder.dim, embedder.name, settings.approx_from, settings.ivf_nprobe)
    batch = []
    for a in range(0, n, CHUNKS_PER_ARTICLE):
        pieces = [base_texts[(a + i) % len(base_texts)] for i in range(min(CHUNKS_PER_ARTICLE, n - a))]
        text, chunks, at = "\n\n".join(pieces), [], 0
        for seq, piece in enumerate(pieces):
            chunks.append(Chunk(article_id=f"synthetic-{a}", seq=seq, start=at, end=at + len(piece),
                                sentences=[Span(start=at, end=at + len(piece))], text=piece))
            at += len(piece) + 2
        batch.append((Article(id=f"synthetic-{a}", text=text), chunks, vecs[a : a + len(pieces)]))
        if len(batch) == 1000:
            index.upsert_many(batch, save=False)
            batch = []
    index.upsert_many(batch, save=False)
    index.save()
    index.wait_for_rebuild()
    index.close()


def _start_and_first_search(data_dir: Path) -> dict:
    server = ServeProcess(data_dir)
    ready_s = server.start()
    try:
        started = time.perf_counter()
        httpx.post(f"{server.url}/v1/search", json={"query": "How many people were killed?"}, timeout=300)
        first_search_ms = (time.perf_counter() - started) * 1000
        rss = server.rss_mb()
    finally:
        server.stop()
    return {"ready_s": round(ready_s, 2), "first_search_ms": round(first_search_ms, 1), "rss_mb": round(rss)}


def measure(embedder, n: int, work: Path) -> dict:
    seeds, large = work / "seeds", work / "large"
    first = ServeProcess(seeds)  # the first start ingests the seeds; measured below is a restart
    first.start()
    first.stop()
    started = time.perf_counter()
    build_large_index(large / "index", embedder, n)
    build_s = time.perf_counter() - started
    baseline = _start_and_first_search(seeds)
    first_start = _start_and_first_search(large)  # builds the keyword index and keeps it
    result = _start_and_first_search(large)
    return {
        "chunks": n,
        "index_build_s": round(build_s, 1),
        "seed_index": baseline,
        "large_index_first_start": first_start,
        "large_index": result,
        "ready_ratio_to_seed_index": round(result["ready_s"] / baseline["ready_s"], 2),
    }
