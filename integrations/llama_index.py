"""newsqa inside llama-index applications: its hybrid retrieval as a `BaseRetriever`, its verified, cited
answers as a query engine.

Either side works in-process (a `Pipeline`) or against a running `newsqa serve` (its base URL), through
one small `Backend` seam, so a llama-index app moves from a notebook to a shared server by changing one
argument. Nodes carry what a reader needs to check a passage (article id, title, date, source, url and the
character span); the query engine's `source_nodes` are the answer's citations, each node's text the quoted
sentence, with the answer's `[n]` in `metadata["n"]`.

    from integrations.llama_index import NewsqaQueryEngine, NewsqaRetriever
    retriever = NewsqaRetriever("http://127.0.0.1:8000", top_k=5)      # or NewsqaRetriever(pipeline)
    nodes = retriever.retrieve("clashes in Guayaquil")
    response = NewsqaQueryEngine("http://127.0.0.1:8000").query("How many people were killed?")
"""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

import httpx
from llama_index.core.base.base_query_engine import BaseQueryEngine
from llama_index.core.base.response.schema import Response
from llama_index.core.callbacks import CallbackManager
from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from rag.pipeline import Pipeline
from rag.types import Filters


class Backend(Protocol):
    """Passages for a query and answers for a question, as the HTTP API's JSON shapes them."""

    def search(self, query: str, top_k: int | None, filters: Filters | None) -> list[dict[str, Any]]: ...

    def ask(self, question: str, top_k: int | None, filters: Filters | None, asked_on: date | None) -> dict[str, Any]:
        ...


class InProcess:
    def __init__(self, pipeline: Pipeline):
        self.pipeline = pipeline

    def search(self, query, top_k, filters):
        return [p.model_dump(mode="json") for p in self.pipeline.search(query, top_k, filters)]

    def ask(self, question, top_k, filters, asked_on):
        return self.pipeline.ask(question, top_k, filters, asked_on).model_dump(mode="json")


class OverHTTP:
    """A running `newsqa serve`; `api_key` is sent when the server protects reads."""

    def __init__(self, base_url: str, api_key: str | None = None, timeout: float = 300):
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.client = httpx.Client(base_url=base_url.rstrip("/"), headers=headers, timeout=timeout)

    def _post(self, path: str, body: dict) -> Any:
        r = self.client.post(path, json={k: v for k, v in body.items() if v is not None})
        r.raise_for_status()
        return r.json()

    def search(self, query, top_k, filters):
        body = {"query": query, "top_k": top_k, "filters": filters and filters.model_dump(mode="json")}
        return self._post("/v1/search", body)["passages"]

    def ask(self, question, top_k, filters, asked_on):
        return self._post("/v1/ask", {"question": question, "top_k": top_k,
                                      "filters": filters and filters.model_dump(mode="json"),
                                      "asked_on": asked_on and asked_on.isoformat()})


def backend(target: Pipeline | str | Backend, api_key: str | None = None) -> Backend:
    if isinstance(target, Pipeline):
        return InProcess(target)
    if isinstance(target, str):
        return OverHTTP(target, api_key)
    return target


def _metadata(item: dict[str, Any]) -> dict[str, Any]:
    keys = ("article_id", "title", "published", "source", "url", "start", "end")
    return {k: item.get(k) for k in keys if item.get(k) is not None}


class NewsqaRetriever(BaseRetriever):
    """newsqa's hybrid (BM25 + dense) retrieval; one node per passage, scored by newsqa's fused score."""

    def __init__(self, target: Pipeline | str | Backend, top_k: int | None = None, filters: Filters | None = None,
                 api_key: str | None = None, callback_manager: CallbackManager | None = None):
        super().__init__(callback_manager=callback_manager)
        self._backend, self._top_k, self._filters = backend(target, api_key), top_k, filters

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        passages = self._backend.search(query_bundle.query_str, self._top_k, self._filters)
        return [
            NodeWithScore(node=TextNode(id_=f"{p['article_id']}:{p['start']}", text=p["text"], metadata=_metadata(p)),
                          score=p["score"])
            for p in passages
        ]


class NewsqaQueryEngine(BaseQueryEngine):
    """newsqa's verified answer: `response` is the answer text (or its abstention), `source_nodes` the
    citations, and `metadata` says whether it answered and why not (`reason`). `asked_on` (default: the
    day of each query) is the day "this week" or "this year" of a question counts from: an app that asks
    an archive as of a past day sets it."""

    def __init__(self, target: Pipeline | str | Backend, top_k: int | None = None, filters: Filters | None = None,
                 api_key: str | None = None, callback_manager: CallbackManager | None = None,
                 asked_on: date | None = None):
        super().__init__(callback_manager=callback_manager)
        self._backend, self._top_k, self._filters = backend(target, api_key), top_k, filters
        self._asked_on = asked_on

    def _query(self, query_bundle: QueryBundle) -> Response:
        answer = self._backend.ask(query_bundle.query_str, self._top_k, self._filters, self._asked_on)
        nodes = [
            NodeWithScore(
                node=TextNode(id_=f"{c['article_id']}:{c['start']}", text=c["quote"],
                              metadata={**_metadata(c), "n": c["n"], "verified": c["verified"]}),
                score=c["score"],
            )
            for c in answer["citations"]
        ]
        meta = {k: answer.get(k) for k in ("answerable", "reason", "timings")}
        return Response(response=answer["answer"], source_nodes=nodes, metadata=meta)

    async def _aquery(self, query_bundle: QueryBundle) -> Response:
        return self._query(query_bundle)

    def _get_prompt_modules(self) -> dict:
        return {}
