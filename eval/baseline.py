"""The reference point: llama-index's default CitationQueryEngine over the same articles and models."""

from __future__ import annotations

import os
import time

from eval.datasets import Case, EvalSet
from eval.metrics import says_insufficient
from eval.runner import RANK_DEPTH, Reply
from rag.embed import default_model_path
from rag.model_file import ensure_model_file
from rag.settings import Settings


def _chatml(messages) -> str:
    """Qwen's chat format; llama-index's LlamaCPP defaults to another one."""
    text = "".join(f"<|im_start|>{m.role.value}\n{m.content}<|im_end|>\n" for m in messages)
    return text + "<|im_start|>assistant\n"


def llama_index_llm(settings: Settings):
    """The embedded generator as llama-index's own LlamaCPP LLM (ChatML, greedy), for llama-index apps."""
    from llama_index.core.base.llms.types import ChatMessage, MessageRole
    from llama_index.llms.llama_cpp import LlamaCPP

    return LlamaCPP(
        model_path=str(settings.llm_model_path or ensure_model_file(settings.cache_dir)),
        temperature=0.0, max_new_tokens=settings.llm_max_tokens, context_window=settings.llm_context,
        model_kwargs={"n_gpu_layers": 0, "n_threads": settings.llm_threads or os.cpu_count()},
        messages_to_prompt=_chatml,
        completion_to_prompt=lambda c: _chatml([ChatMessage(role=MessageRole.USER, content=c)]),
        verbose=False,
    )


class CitationBaseline:
    def __init__(self, eval_set: EvalSet, settings: Settings):
        os.environ["HF_HUB_OFFLINE"] = "1"
        from llama_index.core import Document, VectorStoreIndex
        from llama_index.core.query_engine import CitationQueryEngine
        from llama_index.embeddings.huggingface import HuggingFaceEmbedding

        self.embed = HuggingFaceEmbedding(
            model_name=str(settings.embed_model_path or default_model_path()), device="cpu"
        )
        self.llm = llama_index_llm(settings)
        docs = [
            Document(text=a.text, doc_id=a.id, metadata={"article_id": a.id, "source": a.source or "",
                                                         "published": str(a.published or "")})
            for a in eval_set.articles if a.text.strip()
        ]
        self.index = VectorStoreIndex.from_documents(docs, embed_model=self.embed)
        self.engine = CitationQueryEngine.from_args(self.index, llm=self.llm)
        self.retriever = self.index.as_retriever(similarity_top_k=RANK_DEPTH)

    def ask(self, case: Case) -> tuple[Reply, list[tuple[str, str]]]:
        engine, retriever = self.engine, self.retriever
        if case.filters and case.filters.sources:  # RGB: restrict to the question's own snippets
            from llama_index.core.query_engine import CitationQueryEngine
            from llama_index.core.vector_stores import FilterCondition, MetadataFilter, MetadataFilters

            filters = MetadataFilters(
                filters=[MetadataFilter(key="source", value=s) for s in case.filters.sources],
                condition=FilterCondition.OR,
            )
            engine = CitationQueryEngine.from_args(self.index, llm=self.llm, filters=filters)
            retriever = self.index.as_retriever(similarity_top_k=RANK_DEPTH, filters=filters)
        ranked = [(n.node.metadata["article_id"], n.node.get_content()) for n in retriever.retrieve(case.question)]
        started = time.perf_counter()
        response = engine.query(case.question)
        total = round((time.perf_counter() - started) * 1000, 1)
        answer = str(response.response or "").strip()
        citations = []
        for i, node in enumerate(response.source_nodes, 1):
            if f"[{i}]" in answer:
                quote = node.node.get_content().split(":", 1)[-1].strip()  # drops its "Source N:" label
                citations.append((i, node.node.metadata["article_id"], quote))
        return Reply(answer=answer, abstained=says_insufficient(answer), citations=citations,
                     timings={"total_ms": total}, usage={}), ranked
