"""Retrieval: dense (FAISS) and keyword (BM25) rankings fused by reciprocal rank.

Dense embeddings find paraphrases; BM25 finds the rare names and numbers news questions hinge on.
Reciprocal rank fusion needs no score calibration between the two.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Literal

import numpy as np

from rag.embed import Embedder
from rag.generations import BackgroundRebuild, publish
from rag.index import ArticleIndex
from rag.store import ArticleStore, Ranker
from rag.types import Filters, Passage

log = logging.getLogger("newsqa")

Mode = Literal["hybrid", "dense", "bm25"]
RRF_K = 60
CANDIDATES = 4  # each ranking contributes this many times top_k candidates to the fusion


class KeywordIndex:
    """BM25 over the chunk texts, rebuilt when the article index has changed since it was built.

    A large corpus (from `approx_from` chunks) is rebuilt in a background thread (seconds at 100k chunks,
    half a minute at 1M) while searches go on with the previous snapshot: a chunk written meanwhile is found
    by the dense ranking only until the swap, and one deleted meanwhile is dropped when passages are read.
    A small corpus is rebuilt at once (under half a second at 10k chunks). A large one is also kept on disk
    beside the vector file, per generation, so a restart loads it instead of rebuilding it."""

    def __init__(self, index: ArticleIndex):
        self.index = index
        self._lock = threading.Lock()
        self._generation = -1
        self._ids: np.ndarray = np.zeros(0, dtype=np.int64)
        self._bm25 = None
        self._builder = BackgroundRebuild("newsqa-bm25", self._rebuild)

    def _fresh(self):
        with self._lock:
            if self._bm25 is None:
                self._swap(*(self._load() or self._build()))
            if self._generation != self.index.generation:
                if len(self._ids) < self.index.approx_from:
                    self._swap(*self._build())
                else:
                    self._builder.start()  # unless one runs already
            return self._bm25, self._ids

    def _build(self):
        generation, ids, texts = self.index.chunk_texts()
        bm25 = bm25_index(texts, keyword_backend(len(texts), self.index.approx_from))
        if len(ids) >= self.index.approx_from:
            self._save(generation, ids, bm25)
        return generation, ids, bm25

    def _path(self, generation: int) -> Path:
        return self.index.dir / f"keywords-{generation}"

    def _save(self, generation: int, ids: list[int], bm25) -> None:
        """A cache, not a source of truth: a failed write costs a rebuild at the next start, nothing else."""

        def write(folder: Path) -> None:
            bm25.save(folder, show_progress=False)
            np.save(folder / "ids.npy", np.array(ids, dtype=np.int64))

        try:
            publish(self._path(generation), write, "keywords-*")
        except OSError as exc:
            log.warning("keyword index not saved (%s); it is rebuilt at the next start", exc)

    def _load(self):
        generation = self.index.generation
        path = self._path(generation)
        if not path.is_dir():
            return None
        import bm25s

        try:
            ids = np.load(path / "ids.npy").tolist()
            backend = keyword_backend(len(ids), self.index.approx_from)
            return generation, ids, bm25s.BM25.load(path, mmap=True, show_progress=False, backend=backend)
        except (OSError, ValueError, KeyError) as exc:
            log.warning("keyword index %s unreadable (%s); rebuilding it", path.name, exc)
            return None

    def _swap(self, generation: int, ids: list[int], bm25) -> None:
        if generation > self._generation:
            self._bm25, self._ids, self._generation = bm25, np.array(ids, dtype=np.int64), generation

    def _rebuild(self) -> None:
        built = self._build()
        with self._lock:
            self._swap(*built)

    def wait_for_rebuild(self, timeout: float | None = None) -> None:
        self._builder.wait(timeout)

    @property
    def generation(self) -> int:
        """The article index generation the searched snapshot reflects."""
        return self._generation

    def search(self, query: str, k: int, allowed: list[int] | None) -> list[tuple[int, float]]:
        bm25, ids = self._fresh()
        if len(ids) == 0 or allowed == []:
            return []
        mask = None if allowed is None else np.isin(ids, np.array(allowed, dtype=np.int64)).astype(np.float32)
        return bm25_search(bm25, ids, query, k, mask)


def keyword_backend(n: int, large_from: int) -> str:
    """numba scores a query in compiled loops: 0.1 ms instead of 14 ms at 100k chunks (160x at 1M), but
    compiling costs ~5 s per process, worth it only for a large corpus (`newsqa bench` measures both)."""
    return "numba" if n >= large_from else "numpy"


def bm25_index(texts: list[str], backend: str = "numpy"):
    import bm25s

    bm25 = bm25s.BM25(backend=backend)
    if texts:
        bm25.index(bm25s.tokenize(texts, stopwords="en", show_progress=False), show_progress=False)
    return bm25


def bm25_search(bm25, ids: np.ndarray, query: str, k: int, mask: np.ndarray | None) -> list[tuple[int, float]]:
    import bm25s

    tokens = bm25s.tokenize([query], stopwords="en", show_progress=False)
    if not tokens.vocab:
        return []
    docs, scores = bm25.retrieve(tokens, k=min(k, len(ids)), weight_mask=mask, show_progress=False)
    return [(int(ids[d]), float(s)) for d, s in zip(docs[0], scores[0], strict=True) if s > 0]


def fuse(rankings: list[list[tuple[int, float]]], k: int) -> list[tuple[int, float]]:
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, (chunk_id, _) in enumerate(ranking, 1):
            scores[chunk_id] = scores.get(chunk_id, 0.0) + 1.0 / (RRF_K + rank)
    return sorted(scores.items(), key=lambda item: -item[1])[:k]


class EmbeddedDenseRanker:
    """FAISS over the embedded store's vectors."""

    def __init__(self, index: ArticleIndex, embedder: Embedder):
        self.index, self.embedder = index, embedder

    def rank(self, query: str, depth: int, filters: Filters | None) -> list[tuple[int, float]]:
        return self.index.search_ids(self.embedder.encode([query])[0], depth, self.index.allowed_chunk_ids(filters))


class EmbeddedKeywordRanker:
    """BM25 over the embedded store's chunk texts."""

    def __init__(self, index: ArticleIndex):
        self.index = index
        self.keywords = KeywordIndex(index)

    def rank(self, query: str, depth: int, filters: Filters | None) -> list[tuple[int, float]]:
        return self.keywords.search(query, depth, self.index.allowed_chunk_ids(filters))


class Retriever:
    """Rankings fused by reciprocal rank (one ranking is taken as it is), read back as passages."""

    def __init__(self, store: ArticleStore, rankers: list[Ranker]):
        self.store, self.rankers = store, rankers

    @classmethod
    def for_mode(cls, store: ArticleStore, embedder: Embedder, mode: Mode = "hybrid") -> Retriever:
        rankers = {"dense": lambda: [store.dense_ranker(embedder)], "bm25": lambda: [store.keyword_ranker()],
                   "hybrid": lambda: [store.dense_ranker(embedder), store.keyword_ranker()]}
        return cls(store, rankers[mode]())

    def retrieve(self, query: str, top_k: int, filters: Filters | None = None) -> list[Passage]:
        if len(self.rankers) == 1:
            return self.store.passages(self.rankers[0].rank(query, top_k, filters))
        rankings = [ranker.rank(query, top_k * CANDIDATES, filters) for ranker in self.rankers]
        return self.store.passages(fuse(rankings, top_k))
