"""The storage seam: what the pipeline and the retrievers need of a store of articles, chunks and vectors.

Two stores satisfy it: the embedded default (`rag.index.ArticleIndex`: SQLite, a FAISS file and bm25s
beside it, one process) and PostgreSQL with pgvector (`rag.pgstore.PgStore`: one database that several
API processes share). Each offers its own rankings (`dense_ranker`, `keyword_ranker`), because a
ranking lives where its data does: FAISS and BM25 in memory, HNSW and full-text search inside the
database, where filters go into the same SQL.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from typing import Protocol

import numpy as np

from rag.embed import Embedder
from rag.settings import Settings
from rag.types import Article, ArticleInfo, Chunk, Filters, Passage


class Ranker(Protocol):
    """One ranking of chunk ids for a query, best first, within the filters (as llama-index's retrievers
    are to its QueryFusionRetriever): a new retrieval mode is a new Ranker, not a branch."""

    def rank(self, query: str, depth: int, filters: Filters | None) -> list[tuple[int, float]]: ...


class ArticleStore(Protocol):
    """Articles with their chunks and vectors. Writes are all-or-nothing per call; `generation` grows with
    every write that changed something (caches key on it)."""

    @property
    def generation(self) -> int: ...

    def upsert_many(self, items: list[tuple[Article, list[Chunk], np.ndarray]], save: bool = True) -> list[str]:
        """'added', 'updated' or 'unchanged' per article, in one transaction."""

    def delete(self, article_id: str, save: bool = True) -> bool: ...

    def save(self) -> None:
        """Make derived files current (the embedded vector file); a database store has none."""

    def save_later(self, delay: float) -> None: ...

    def content_hash(self, article_id: str) -> str | None: ...

    def count_chunks(self) -> int: ...

    def count_articles(self) -> int: ...

    def sources(self) -> list[str]: ...

    def passages(self, found: list[tuple[int, float]]) -> list[Passage]:
        """The found chunks as stored now, in the order found; chunks deleted since are left out."""

    def get(self, article_id: str) -> Article | None: ...

    def info(self, article_id: str) -> ArticleInfo | None: ...

    def list(self, offset: int = 0, limit: int = 50, q: str | None = None) -> tuple[list[ArticleInfo], int]: ...

    def chunk_counts(self, article_ids: list[str]) -> dict[str, int]: ...

    def dense_ranker(self, embedder: Embedder) -> Ranker: ...

    def keyword_ranker(self) -> Ranker: ...

    def close(self) -> None: ...


def open_store(settings: Settings, dim: int, embedder_name: str) -> ArticleStore:
    """PostgreSQL when `NEWSQA_DATABASE_URL` is set, else the embedded store in the data dir."""
    if settings.database_url:
        from rag.pgstore import PgStore

        return PgStore(settings.database_url.get_secret_value(), dim, embedder_name, settings.pg_ef_search,
                       settings.pg_pool_size)
    from rag.index import ArticleIndex

    return ArticleIndex(settings.index_dir, dim, embedder_name, settings.approx_from, settings.ivf_nprobe)


def exclusive_writer(settings: Settings) -> AbstractContextManager:
    """What a writing process holds. The embedded store's files take one writer (the data dir's lock);
    PostgreSQL orders concurrent writers itself, so replicas on one database take nothing here, even
    when they share a data dir."""
    if settings.database_url:
        return nullcontext()
    from rag.index import writer_lock

    return writer_lock(settings.data_dir)
