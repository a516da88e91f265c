"""Hybrid retrieval: BM25 and dense rankings fused, filters applied inside both."""

import pytest

from rag.retrieve import EmbeddedKeywordRanker, Retriever, bm25_index, fuse
from rag.types import Article, Filters


def test_reciprocal_rank_fusion_rewards_agreement():
    fused = fuse([[(1, 0.9), (2, 0.8), (3, 0.1)], [(3, 12.0), (1, 5.0)]], k=3)
    assert [chunk_id for chunk_id, _ in fused] == [1, 3, 2]
    assert fused[0][1] == pytest.approx(1 / 61 + 1 / 62)


@pytest.fixture()
def pipeline(empty_pipeline):
    empty_pipeline.ingest(
        [
            Article(id="a", source="North", published="2025-01-10",
                    text="The ferry Kestrel-7 ran aground near the northern islands on Monday."),
            Article(id="b", source="South", published="2025-02-10",
                    text="A passenger boat struck a sandbank off the southern coast."),
            Article(id="c", source="South", published="2025-03-10", text="The city library extended its hours."),
        ]
    )
    return empty_pipeline


@pytest.mark.parametrize("mode", ["dense", "bm25", "hybrid"])
def test_every_mode_finds_the_article_and_respects_filters(pipeline, mode):
    retriever = Retriever.for_mode(pipeline.index, pipeline.embedder, mode)
    assert retriever.retrieve("Kestrel-7 ferry aground", 1)[0].article_id == "a"
    only_south = retriever.retrieve("ferry boat aground", 3, Filters(sources=["South"]))
    assert only_south[0].article_id == "b" and {p.article_id for p in only_south} <= {"b", "c"}
    dated = retriever.retrieve("boat", 3, Filters(published_from="2025-02-01", published_to="2025-02-28"))
    assert [p.article_id for p in dated] == ["b"]
    assert retriever.retrieve("boat", 3, Filters(article_ids=["nope"])) == []


def test_keyword_index_follows_writes(pipeline):
    retriever = Retriever.for_mode(pipeline.index, pipeline.embedder, "bm25")
    assert retriever.retrieve("Kestrel-7", 1)[0].article_id == "a"
    pipeline.index.delete("a")
    assert all(p.article_id != "a" for p in retriever.retrieve("Kestrel-7 ferry", 3))
    pipeline.ingest([Article(id="d", text="Kestrel-7 was refloated on Friday.")])
    assert retriever.retrieve("Kestrel-7", 1)[0].article_id == "d"


def test_large_corpus_keyword_backend_ranks_exactly_as_the_default(pipeline):
    """approx_from=1 makes this corpus "large": the compiled (numba) BM25 must agree, filters included."""
    small = Retriever.for_mode(pipeline.index, pipeline.embedder, "bm25")
    assert small.rankers[0].keywords._fresh()[0].backend == "numpy"
    pipeline.index.approx_from = 1
    large = Retriever(pipeline.index, [EmbeddedKeywordRanker(pipeline.index)])  # its own BM25, built anew
    assert large.rankers[0].keywords._fresh()[0].backend == "numba"
    for query, filters in [("ferry boat aground", None), ("boat sandbank", Filters(sources=["South"]))]:
        expected = [(p.chunk_id, round(p.score, 4)) for p in small.retrieve(query, 3, filters)]
        assert [(p.chunk_id, round(p.score, 4)) for p in large.retrieve(query, 3, filters)] == expected


def test_a_large_corpus_keeps_searching_while_its_keyword_index_is_rebuilt(tmp_path, embedder, monkeypatch):
    """approx_from lowered so a few hundred chunks count as large; at 1M chunks a rebuild takes ~30 s."""
    from rag.pipeline import Pipeline
    from tests.conftest import make_settings

    settings = make_settings(tmp_path / "data", approx_from=100)
    pipeline = Pipeline(settings, embedder=embedder)
    pipeline.ingest(
        [
            Article(id=f"stall-{n}",
                    text=" ".join(f"Market stall {n}.{i} sold {i} baskets of fruit." for i in range(12)))
            for n in range(60)
        ]
    )
    assert pipeline.index.count_chunks() >= 100
    keywords = pipeline.index.keyword_ranker().keywords
    assert keywords.search("baskets", 5, None)
    built = keywords.generation
    pipeline.ingest([Article(id="quay", text="A xylophonist quartet played on the quayside.")])
    pipeline.index.delete("stall-3")

    assert keywords.search("xylophonist", 5, None) == []  # the old snapshot answers at once
    assert keywords.generation == built
    stale = [p.article_id for p in pipeline.search("stall 3.4 baskets", 10)]
    assert "stall-3" not in stale and "quay" in [p.article_id for p in pipeline.search("xylophonist quartet", 3)]

    keywords.wait_for_rebuild(timeout=120)
    assert keywords.generation == pipeline.index.generation
    quay = pipeline.index.allowed_chunk_ids(Filters(article_ids=["quay"]))
    assert [chunk_id for chunk_id, _ in keywords.search("xylophonist", 5, None)] == quay

    # kept on disk for its generation: a restart loads it rather than rebuilding
    assert [p.name for p in settings.index_dir.glob("keywords-*")] == [f"keywords-{pipeline.index.generation}"]
    pipeline.index.close()
    monkeypatch.setattr("rag.retrieve.bm25_index", lambda *a: pytest.fail("rebuilt instead of loaded"))
    reopened = Pipeline(settings, embedder=embedder)
    assert [chunk_id for chunk_id, _ in reopened.index.keyword_ranker().keywords.search("xylophonist", 5, None)] == quay

    # a damaged copy is rebuilt from the store, and replaced: the next start loads it
    generation = reopened.index.generation
    reopened.index.close()
    monkeypatch.undo()
    (settings.index_dir / f"keywords-{generation}" / "params.index.json").write_text("{not json")
    built = []
    monkeypatch.setattr("rag.retrieve.bm25_index", lambda *a, _build=bm25_index: built.append(1) or _build(*a))
    again = Pipeline(settings, embedder=embedder)
    assert [chunk_id for chunk_id, _ in again.index.keyword_ranker().keywords.search("xylophonist", 5, None)] == quay
    assert built == [1]
    again.index.close()
    last = Pipeline(settings, embedder=embedder)
    assert [chunk_id for chunk_id, _ in last.index.keyword_ranker().keywords.search("xylophonist", 5, None)] == quay
    assert built == [1]
