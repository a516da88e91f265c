"""newsqa inside llama-index: real llama-index objects over the real pipeline, in-process and over HTTP."""

from __future__ import annotations

from datetime import date

import pytest
from llama_index.core.query_engine import RetrieverQueryEngine
from llama_index.core.schema import QueryBundle

from integrations.llama_index import NewsqaQueryEngine, NewsqaRetriever
from rag.types import Filters
from tests.live import start

KILLED = "How many people were killed in the clashes in Guayaquil?"
SEED_ID = "000_5e0d765c48372623"


@pytest.fixture(scope="module")
def server(tmp_path_factory, embedder, llm):
    with start(tmp_path_factory, embedder, llm, "llama-index") as srv:
        yield srv


@pytest.fixture(params=["in-process", "http"])
def target(request, seeded, server):
    return seeded if request.param == "in-process" else server.url


def test_the_retriever_returns_nodes_a_reader_can_check(target, seeded):
    nodes = NewsqaRetriever(target, top_k=3).retrieve("clashes between rival gangs in Guayaquil")
    assert 1 <= len(nodes) <= 3
    text = seeded.index.get(SEED_ID).text
    for n in nodes:
        meta = n.node.metadata
        assert meta["article_id"] == SEED_ID and meta["published"] == "2025-03-07"
        assert text[meta["start"] : meta["end"]] == n.node.get_content()  # the span is the node's text
        assert n.score is not None


def test_the_query_engine_answers_with_its_citations_as_source_nodes(target):
    response = NewsqaQueryEngine(target).query(KILLED)
    assert "22" in str(response) and response.metadata["answerable"] is True
    (first, *_) = response.source_nodes
    assert "22 people were killed" in first.node.get_content()
    assert first.node.metadata["n"] == 1 and first.node.metadata["verified"] is True
    abstained = NewsqaQueryEngine(target).query("What is the population of Guayaquil?")
    assert abstained.metadata["answerable"] is False and abstained.source_nodes == []


def test_the_query_engine_asks_as_of_the_day_it_is_given(target):
    """The seed (2025-03-07) answers "this week" asked that week; asked on the day the test runs, the
    2025 article is outside the week and the answer is withheld."""
    question = "How many people were killed in the clashes in Guayaquil this week?"
    that_week = NewsqaQueryEngine(target, asked_on=date(2025, 3, 9)).query(question)
    assert that_week.metadata["answerable"] is True and "22" in str(that_week)
    today = NewsqaQueryEngine(target).query(question)
    assert (today.metadata["answerable"], today.metadata["reason"]) == (False, "unsupported")


def test_filters_pass_through_to_newsqa(target):
    nodes = NewsqaRetriever(target, filters=Filters(article_ids=["no-such-article"])).retrieve("Guayaquil")
    assert nodes == []


def test_the_retriever_drives_llama_indexs_own_query_engine_with_a_real_llm(seeded):
    """A llama-index app: its own RetrieverQueryEngine and response synthesizer, its own LlamaCPP LLM (the
    same packaged model), and newsqa's retrieval underneath."""
    from eval.baseline import llama_index_llm

    engine = RetrieverQueryEngine.from_args(NewsqaRetriever(seeded, top_k=2), llm=llama_index_llm(seeded.settings))
    response = engine.query(QueryBundle(KILLED))
    assert len(response.source_nodes) == 2
    assert any("22 people were killed" in n.node.get_content() for n in response.source_nodes)
    assert "22" in str(response)
