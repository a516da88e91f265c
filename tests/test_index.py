import shutil

import pytest

from rag.chunking import chunk_article
from rag.index import ArticleIndex, IndexMismatch
from rag.pipeline import Pipeline
from rag.types import Article, Filters
from tests.conftest import make_settings

QUERY = "How many people were killed in Guayaquil?"


def _results(pipeline):
    return [(p.chunk_id, p.article_id, p.start, p.end, round(p.score, 5)) for p in pipeline.search(QUERY, 5)]


def test_index_persists_and_reloads_with_identical_results(empty_pipeline, settings, embedder, seed_copy):
    empty_pipeline.ingest_paths([seed_copy])
    before = _results(empty_pipeline)
    empty_pipeline.index.close()
    assert list(settings.index_dir.glob("vectors-*.faiss"))
    reopened = Pipeline(settings, embedder=embedder)
    assert _results(reopened) == before
    assert before[0][1] == "000_5e0d765c48372623"


def test_reingest_is_idempotent_and_changed_content_replaces(empty_pipeline, seed_copy):
    first = empty_pipeline.ingest_paths([seed_copy])
    assert first.added == ["000_5e0d765c48372623"] and first.chunks > 0
    chunks = empty_pipeline.index.count_chunks()

    again = empty_pipeline.ingest_paths([seed_copy])
    assert again.unchanged == ["000_5e0d765c48372623"] and again.chunks == 0
    assert empty_pipeline.index.count_chunks() == chunks

    seed = next(seed_copy.iterdir())
    seed.write_text(" date 2025-03-08 The port of Guayaquil reopened on Saturday after a week of clashes.")
    changed = empty_pipeline.ingest_paths([seed_copy])
    assert changed.updated == ["000_5e0d765c48372623"]
    assert empty_pipeline.index.count_chunks() == 1
    (top,) = empty_pipeline.search("port reopened", 5)
    assert "reopened on Saturday" in top.text and str(top.published) == "2025-03-08"


def test_delete_removes_vectors(empty_pipeline, seed_copy):
    empty_pipeline.ingest_paths([seed_copy])
    empty_pipeline.ingest([Article(id="other", text="The city zoo welcomed a baby giraffe.")])
    assert empty_pipeline.index.delete("000_5e0d765c48372623")
    assert {p.article_id for p in empty_pipeline.search(QUERY, 10)} == {"other"}
    assert not empty_pipeline.index.delete("000_5e0d765c48372623")


def test_a_search_overtaken_by_a_replacement_returns_only_what_is_stored(empty_pipeline, seed_copy):
    """Writes do not wait for readers: chunks found just before their article was replaced are left out,
    not a 500 (the soak found this)."""
    empty_pipeline.ingest_paths([seed_copy])
    empty_pipeline.ingest([Article(id="other", text="Guayaquil's zoo welcomed a baby giraffe.")])
    found = [(p.chunk_id, p.score) for p in empty_pipeline.search(QUERY, 10)]
    empty_pipeline.ingest([Article(id="000_5e0d765c48372623", text="The port of Guayaquil reopened on Saturday.")])
    assert {p.article_id for p in empty_pipeline.index.passages(found)} == {"other"}


def test_passages_are_exact_slices_of_non_ascii_articles(empty_pipeline):
    """Spans are character offsets in Python and in the store alike (emoji, accents, CJK)."""
    text = "Café owners 🎉 celebrated. 港口今天重新开放。 The mayor of São Paulo spoke on Monday. " * 3
    empty_pipeline.ingest([Article(id="intl", text=text)])
    for p in empty_pipeline.search("mayor of São Paulo", 5):
        assert p.text == text[p.start : p.end]
        assert all(text[s.start : s.end].strip() for s in p.sentences)


def test_crash_between_sqlite_commit_and_faiss_save_is_recovered(empty_pipeline, settings, embedder, seed_copy):
    """A FAISS file of an older generation is caught up with the store: new chunks added, deleted removed."""
    empty_pipeline.ingest_paths([seed_copy])
    empty_pipeline.ingest([Article(id="gone", text="A short note about a regatta.")])
    before = _results(empty_pipeline)
    index = empty_pipeline.index
    stale = settings.index_dir / f"vectors-{index.generation}.faiss"
    late = Article(id="late", text="A late article about a parade.")
    chunks = chunk_article(late)
    index.upsert(late, chunks, embedder.encode([c.text for c in chunks]), save=False)
    index.delete("gone", save=False)
    crashed = make_settings(settings.data_dir.with_name("crashed"))
    shutil.copytree(settings.index_dir, crashed.index_dir)  # the disk as a crash leaves it: store ahead
    assert (crashed.index_dir / stale.name).exists()

    reopened = Pipeline(crashed, embedder=embedder)
    assert reopened.index.count_articles() == 2
    assert _results(reopened) == [r for r in before if r[1] != "gone"]
    assert reopened.search("parade", 1)[0].article_id == "late"
    assert reopened.search("regatta", 1)[0].article_id != "gone"
    assert not (crashed.index_dir / stale.name).exists()


def test_index_refuses_a_different_embedding_model(settings, empty_pipeline, seed_copy):
    empty_pipeline.ingest_paths([seed_copy])
    with pytest.raises(IndexMismatch, match="another data dir"):
        ArticleIndex(settings.index_dir, 768, "all-mpnet-base-v2")


def test_unreadable_vector_file_is_rebuilt_from_the_store(empty_pipeline, settings, embedder, seed_copy):
    empty_pipeline.ingest_paths([seed_copy])
    before = _results(empty_pipeline)
    empty_pipeline.index.close()
    (vectors,) = settings.index_dir.glob("vectors-*.faiss")
    vectors.write_bytes(vectors.read_bytes()[:100])  # truncated, as by a crash of the disk under it
    assert _results(Pipeline(settings, embedder=embedder)) == before


def test_reindex_rebuilds_from_stored_texts_and_keeps_the_old_folder(empty_pipeline, settings, embedder, seed_copy):
    empty_pipeline.ingest_paths([seed_copy])
    chunks_before = empty_pipeline.index.count_chunks()
    empty_pipeline.index.close()
    smaller = Pipeline(settings.model_copy(update={"chunk_max_chars": 200}), embedder=embedder)
    report, lost, old = smaller.reindex()
    assert report.added == ["000_5e0d765c48372623"] and lost == 0
    assert smaller.index.count_chunks() > chunks_before
    assert smaller.search(QUERY, 1)[0].article_id == "000_5e0d765c48372623"
    assert (old / "articles.sqlite").exists() and not settings.index_dir.with_name("index.new").exists()


def test_large_corpus_switches_to_ivf_in_the_background_and_keeps_serving(tmp_path, embedder, seed_copy):
    """approx_from lowered so a few hundred chunks count as large; the rule is the same at 50k."""
    settings = make_settings(tmp_path / "data", approx_from=100)
    pipeline = Pipeline(settings, embedder=embedder)
    pipeline.ingest_paths([seed_copy])
    assert pipeline.index.kind == "flat"
    filler = [
        Article(id=f"filler-{n}", text=" ".join(f"Market stall {n}.{i} sold {i} baskets of fruit." for i in range(12)))
        for n in range(60)
    ]
    pipeline.ingest(filler)
    pipeline.index.wait_for_rebuild(timeout=120)
    assert pipeline.index.kind == "ivf" and pipeline.index.count_chunks() >= 100
    assert pipeline.search(QUERY, 1)[0].article_id == "000_5e0d765c48372623"
    only = pipeline.search(QUERY, 3, Filters(article_ids=["filler-7"]))
    assert {p.article_id for p in only} == {"filler-7"}
    pipeline.index.delete("filler-7")
    assert pipeline.search(QUERY, 3, Filters(article_ids=["filler-7"])) == []
    pipeline.index.close()
    reopened = Pipeline(settings, embedder=embedder)
    assert reopened.index.kind == "ivf"
    assert reopened.search(QUERY, 1)[0].article_id == "000_5e0d765c48372623"


def test_an_atomic_ingest_that_fails_midway_stores_nothing(empty_pipeline, monkeypatch):
    """An upload is one transaction: a failure while embedding its last batch leaves none of it stored,
    so the error's "nothing was changed" is true. (Folder ingests commit batch by batch.)"""
    articles = [Article(id=f"a{i}", text=f"Report number {i} says the bridge reopened. " * 40) for i in range(80)]
    real, calls = empty_pipeline.embedder.encode, []

    def failing(texts):
        calls.append(len(texts))
        if len(calls) == 2:  # the batch after the first (ingest embeds 256 chunks at a time)
            raise OSError("disk I/O error")
        return real(texts)

    monkeypatch.setattr(empty_pipeline.embedder, "encode", failing)
    with pytest.raises(OSError):
        empty_pipeline.ingest(articles, atomic=True)
    assert len(calls) == 2 and empty_pipeline.index.count_articles() == 0
    calls.clear()
    with pytest.raises(OSError):
        empty_pipeline.ingest(articles)
    assert 0 < empty_pipeline.index.count_articles() < len(articles)
