"""Ingest throughput against the raw limit: `SentenceTransformer.encode` of the same texts, same batch size."""

from __future__ import annotations

import shutil
from pathlib import Path

from bench.run import median_time
from rag.chunking import chunk_article
from rag.pipeline import Pipeline
from rag.settings import Settings


def measure(embedder, articles, work: Path, repeats: int) -> dict:
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
    return {
        "articles": len(articles),
        "chunks": len(texts),
        "batch_size": embedder.batch_size,
        "raw_encode_chunks_per_s": round(len(texts) / raw_s, 1),
        "newsqa_ingest_chunks_per_s": round(len(texts) / newsqa_s, 1),
        "ratio_to_raw": round(raw_s / newsqa_s, 3),
    }
