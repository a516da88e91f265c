"""Retrieval: the question's embedding against the FAISS index, returning scored passages."""

from __future__ import annotations

from rag.embed import Embedder
from rag.index import ArticleIndex
from rag.types import Filters, Passage


class Retriever:
    def __init__(self, index: ArticleIndex, embedder: Embedder):
        self.index = index
        self.embedder = embedder

    def retrieve(self, query: str, top_k: int, filters: Filters | None = None) -> list[Passage]:
        vector = self.embedder.encode([query])[0]
        return self.index.search(vector, top_k, filters)
