"""The same store behaviour on both backends: the embedded store (SQLite + FAISS + bm25s) and PostgreSQL
with pgvector, a real server started here from the `pgserver` package. Then what only a shared database
gives: two API processes on one PostgreSQL, and an embedded data dir migrated into it."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import httpx
import psycopg
import pytest
from pydantic import SecretStr

from api.app import create_app
from api.settings import WebSettings
from bench.server import ServeProcess
from rag.pipeline import Pipeline
from rag.types import Article, Filters
from tests.conftest import fresh_database, make_settings
from tests.live import LiveServer

RIVERTON = Article(id="riverton", title="Marl River floods Riverton", source="Valley Courier",
                   published=date(2025, 6, 12), text=(
                       "The Marl River burst its banks on Tuesday, flooding the low-lying districts of Riverton. "
                       "Officials said 1,200 residents were evacuated from the Eastbank and Millford districts. "
                       "Mayor Elena Brandt declared a state of emergency on Wednesday."))
PORT = Article(id="port", title="Dockworkers strike halts Port Alder", source="Harbour Times",
               published=date(2025, 2, 20), text=(
                   "Dockworkers at Port Alder walked off the job on Monday, halting container traffic. "
                   "Union leader Tomas Reyes said 3,400 workers had joined the strike over pay."))


@pytest.fixture(params=["embedded", "postgres"])
def backend(request, tmp_path, embedder):
    """A pipeline on an empty store of either kind (scripted generation is not needed here)."""
    overrides = {}
    if request.param == "postgres":
        overrides["database_url"] = SecretStr(fresh_database(request.getfixturevalue("postgres")))
    pipeline = Pipeline(make_settings(tmp_path / "data", **overrides), embedder=embedder)
    yield pipeline
    pipeline.close()


def test_ingest_search_filters_and_reads_behave_the_same(backend):
    report = backend.ingest([RIVERTON, PORT])
    assert sorted(report.added) == ["port", "riverton"] and report.chunks >= 2
    assert backend.ingest([RIVERTON]).unchanged == ["riverton"]
    top = backend.search("How many residents were evacuated?", 2)
    assert top[0].article_id == "riverton" and "1,200 residents" in top[0].text
    assert top[0].text == RIVERTON.text[top[0].start : top[0].end] and top[0].sentences
    for filters, expected in [
        (Filters(sources=["Harbour Times"]), {"port"}),
        (Filters(article_ids=["riverton"]), {"riverton"}),
        (Filters(published_from=date(2025, 6, 1)), {"riverton"}),
        (Filters(published_to=date(2025, 3, 1)), {"port"}),
        (Filters(sources=["No Such Outlet"]), set()),
    ]:
        assert {p.article_id for p in backend.search("evacuated strike workers", 5, filters)} == expected, filters
    assert set(backend.index.sources()) == {"Valley Courier", "Harbour Times"}
    items, total = backend.list_articles(0, 10, "river")
    assert total == 1 and items[0].id == "riverton" and items[0].chunks >= 1
    info, article = backend.article("port")
    assert article.text == PORT.text and info.published == date(2025, 2, 20)
    assert backend.counts()[0] == 2


def test_a_period_admits_undated_articles_only_when_asked_to(backend):
    camp = Article(id="camp", title="Peace camp", text="Residents near the peace camp were evacuated by strike police.")
    backend.ingest([RIVERTON, PORT, camp])
    june = Filters(published_from=date(2025, 6, 1))
    assert {p.article_id for p in backend.search("evacuated strike", 5, june)} == {"riverton"}
    with_undated = june.model_copy(update={"undated": True})
    assert {p.article_id for p in backend.search("evacuated strike", 5, with_undated)} == {"riverton", "camp"}
    before_march = Filters(published_to=date(2025, 3, 1), undated=True)
    assert {p.article_id for p in backend.search("evacuated strike", 5, before_march)} == {"port", "camp"}


def test_a_replaced_or_deleted_article_drops_out_of_a_search_already_ranked(backend):
    backend.ingest([RIVERTON, PORT])
    found = backend.retriever.rankers[0].rank("residents evacuated", 5, None)
    assert any(p.article_id == "riverton" for p in backend.index.passages(found))
    before = backend.index.generation
    assert backend.delete("riverton", 0)
    assert backend.index.generation > before
    assert all(p.article_id != "riverton" for p in backend.index.passages(found))
    assert not backend.delete("riverton", 0) and backend.article("riverton") is None
    replaced = PORT.model_copy(update={"text": "The strike at Port Alder ended on Friday with a pay deal."})
    assert backend.ingest([replaced]).updated == ["port"]
    assert "pay deal" in backend.search("strike ended", 1)[0].text


def test_concurrent_writers_lose_nothing(backend):
    def write(prefix: str) -> None:
        for i in range(8):
            backend.ingest([Article(id=f"{prefix}-{i}", source=prefix, text=f"Report {i} from {prefix} on the port.")])

    threads = [threading.Thread(target=write, args=(p,)) for p in ("north", "south")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert backend.counts() == (16, 16)
    assert len(backend.search("Report from the port", 20, Filters(sources=["north"]))) == 8


def test_an_upload_that_fails_midway_stores_nothing(backend):
    def articles():
        yield RIVERTON
        raise ValueError("line 2: bad date")

    with pytest.raises(ValueError):
        backend.ingest(articles(), atomic=True)
    assert backend.counts() == (0, 0)


def test_an_embedded_data_dir_migrates_without_embedding_again(tmp_path, embedder, postgres):
    source = Pipeline(make_settings(tmp_path / "data"), embedder=embedder)
    source.ingest([RIVERTON, PORT])
    counts = source.counts()
    source.close()
    url = SecretStr(fresh_database(postgres))
    target = Pipeline(make_settings(tmp_path / "data", database_url=url), embedder=embedder)
    calls = []
    original = embedder.encode
    embedder.encode = lambda texts: calls.append(len(texts)) or original(texts)  # count embeddings
    try:
        assert Pipeline(make_settings(tmp_path / "data"), embedder=embedder).migrate(target.index) == 2
    finally:
        embedder.encode = original
    assert calls == []
    assert target.counts() == counts
    hits = [(p.article_id, p.start, p.end) for p in target.search("How many workers joined the strike?", 3)]
    again = Pipeline(make_settings(tmp_path / "data"), embedder=embedder)
    first = again.search("How many workers joined the strike?", 3)[0]
    assert hits[0] == (first.article_id, first.start, first.end)
    target.close()
    again.close()


def test_two_api_processes_share_one_database(tmp_path, postgres):
    """Write through one, read, search, ask and delete through the other: every acknowledged write is
    visible to both (what API replicas behind a load balancer need). They share one data dir too, as
    replicas from one image do: with PostgreSQL, the embedded store's one-writer lock is not taken."""
    url = fresh_database(postgres)
    empty = tmp_path / "no-seeds"
    empty.mkdir()
    env = {"NEWSQA_DATABASE_URL": url, "NEWSQA_SEEDS_DIR": str(empty)}
    first, second = ServeProcess(tmp_path / "data", **env), ServeProcess(tmp_path / "data", **env)
    first.start()
    second.start()
    try:
        with httpx.Client(base_url=first.url, timeout=300) as a, httpx.Client(base_url=second.url, timeout=300) as b:
            body = RIVERTON.model_dump(mode="json", exclude_none=True)
            assert a.post("/v1/articles", json=body, headers=first.auth).status_code == 201
            assert b.get("/v1/articles/riverton").json()["text"] == RIVERTON.text
            hits = b.post("/v1/search", json={"query": "residents evacuated"}).json()["passages"]
            assert hits and hits[0]["article_id"] == "riverton"
            question = "How many residents were evacuated from the Eastbank and Millford districts?"
            answer = b.post("/v1/ask", json={"question": question}).json()
            assert "1,200" in answer["answer"] and answer["citations"][0]["article_id"] == "riverton"
            assert b.delete("/v1/articles/riverton", headers=second.auth).status_code == 204
            assert a.get("/v1/articles/riverton").status_code == 404
            assert a.get("/readyz").json()["articles"] == 0
    finally:
        first.stop()
        second.stop()


def test_a_database_restart_is_a_503_and_the_service_recovers_by_itself(tmp_path, embedder, llm):
    """PostgreSQL restarts (an upgrade, a failover): while it is down every route that needs it says so
    with 503 and Retry-After, a write changes nothing, and once it is back the very next request works on
    the same process; no reader sees a connection the restart broke."""
    import pgserver

    pgdata = tmp_path / "pgdata"
    database = pgserver.get_server(pgdata, cleanup_mode="stop")
    settings = make_settings(tmp_path / "data", database_url=SecretStr(database.get_uri()), seeds_dir=tmp_path)
    pipeline = Pipeline(settings, embedder=embedder, llm=llm)
    pipeline.ingest([RIVERTON])
    question = {"question": "How many residents were evacuated from the Eastbank and Millford districts?"}
    try:
        with LiveServer(create_app(settings, pipeline, web_settings=WebSettings(allow_open_writes=True))) as srv, \
                srv.client() as c:
            assert c.post("/v1/search", json={"query": "residents evacuated"}).status_code == 200
            database.cleanup()  # the server stops; the pool's connections are now dead
            for r in [c.post("/v1/search", json={"query": "residents evacuated"}), c.get("/v1/articles/riverton"),
                      c.post("/v1/ask", json=question), c.post("/v1/articles", json=PORT.model_dump(mode="json"))]:
                assert r.status_code == 503 and r.headers["retry-after"], (r.request.url, r.status_code, r.text)
                assert "database" in r.json()["detail"]
            database = pgserver.get_server(pgdata, cleanup_mode="stop")
            hits = c.post("/v1/search", json={"query": "residents evacuated"})
            assert hits.status_code == 200 and hits.json()["passages"][0]["article_id"] == "riverton"
            assert c.get("/v1/articles/port").status_code == 404  # the refused write left nothing behind
            assert "1,200" in c.post("/v1/ask", json=question).json()["answer"]
    finally:
        pipeline.close()
        database.cleanup()


def test_one_process_holds_no_more_connections_than_its_pool(tmp_path, embedder, postgres):
    """Replicas share PostgreSQL's connection limit (100 by default): sixteen searches at once through a
    process with a pool of two all succeed, waiting their turn, and the database sees at most two
    connections named `newsqa` (the name an operator finds them by in pg_stat_activity)."""
    url = fresh_database(postgres)
    pipeline = Pipeline(make_settings(tmp_path / "data", database_url=SecretStr(url), pg_pool_size=2),
                        embedder=embedder)
    pipeline.ingest([RIVERTON, PORT])
    seen = []

    def search(i: int) -> str:
        top = pipeline.search(["residents evacuated", "dockworkers strike"][i % 2], 1)[0].article_id
        with psycopg.connect(url) as conn:
            seen.append(conn.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND application_name = 'newsqa'"
            ).fetchone()[0])
        return top

    try:
        with ThreadPoolExecutor(16) as pool:
            assert list(pool.map(search, range(16))) == ["riverton", "port"] * 8
    finally:
        pipeline.close()
    assert 1 <= max(seen) <= 2
