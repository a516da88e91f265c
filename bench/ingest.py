"""Ingest throughput against the raw limit: `SentenceTransformer.encode` of the same texts, same batch size;
the same ingest into each store (the embedded one; PostgreSQL on a private `pgserver` database, emptied
before every repeat); and the embedding backend in use (ONNX Runtime by default) against that torch
reference, in bulk and per query."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pydantic import SecretStr

from bench.run import median_time, percentile
from rag.chunking import chunk_article
from rag.pipeline import Pipeline
from rag.settings import Settings


def measure(embedder, articles, questions: list[str], work: Path, repeats: int, backends: tuple[str, ...]) -> dict:
    settings = Settings(data_dir=work)
    texts = [
        Pipeline._embed_text(a, c.text)
        for a in articles
        for c in chunk_article(a, settings.chunk_max_chars, settings.chunk_overlap_sentences)
    ]

    def raw() -> None:
        embedder.model.encode(texts, batch_size=embedder.batch_size, normalize_embeddings=True, show_progress_bar=False)

    def newsqa(settings: Settings, empty: Callable[[], None]) -> float:
        def once() -> None:
            empty()
            pipeline = Pipeline(settings, embedder=embedder)
            pipeline.ingest(articles)
            pipeline.close()

        return median_time(once, repeats)

    raw()  # first call pays one-off costs for all
    raw_s = median_time(raw, repeats)
    ingest_s = {}
    if "embedded" in backends:
        ingest_s["embedded"] = newsqa(settings, lambda: shutil.rmtree(work, ignore_errors=True))
    if "postgres" in backends:
        with _private_postgres(work.with_name(work.name + "-pg")) as (url, empty):
            ingest_s["postgres"] = newsqa(settings.model_copy(update={"database_url": url}), empty)
    backend_s = median_time(lambda: embedder.encode(texts), repeats)
    query_ms = {
        name: _query_p50_ms(encode, questions)
        for name, encode in (("torch", lambda q: embedder.model.encode([q])),
                             (embedder.backend, lambda q: embedder.encode([q])))
    }
    return {
        "articles": len(articles),
        "chunks": len(texts),
        "batch_size": embedder.batch_size,
        "backend": embedder.backend,
        "raw_encode_chunks_per_s": round(len(texts) / raw_s, 1),
        "backend_encode_chunks_per_s": round(len(texts) / backend_s, 1),
        **{f"{name}_ingest_chunks_per_s": round(len(texts) / secs, 1) for name, secs in ingest_s.items()},
        **{f"{name}_ratio_to_raw": round(raw_s / secs, 3) for name, secs in ingest_s.items()},
        "query_embed_p50_ms_torch": query_ms["torch"],
        "query_embed_p50_ms_backend": query_ms[embedder.backend],
        "query_embed_speedup": round(query_ms["torch"] / query_ms[embedder.backend], 2),
    }


@contextmanager
def _private_postgres(folder: Path) -> Iterator[tuple[SecretStr, Callable[[], None]]]:
    """A PostgreSQL of its own, and a way to empty its database between repeats."""
    import pgserver
    import psycopg

    server = pgserver.get_server(folder, cleanup_mode="delete")
    url = server.get_uri()

    def empty() -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("DROP SCHEMA public CASCADE")
            conn.execute("CREATE SCHEMA public")

    try:
        yield SecretStr(url), empty
    finally:
        server.cleanup()


def _query_p50_ms(encode, questions: list[str]) -> float:
    encode(questions[0])
    times = []
    for q in questions:
        started = time.perf_counter()
        encode(q)
        times.append(time.perf_counter() - started)
    return round(percentile(times, 0.5) * 1000, 2)
