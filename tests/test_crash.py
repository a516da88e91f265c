"""`kill -9` of `newsqa serve` while clients are ingesting: every acknowledged article survives whole."""

from __future__ import annotations

import json
import threading

import httpx
import pytest
from pydantic import SecretStr

from bench.server import ServeProcess
from rag.chunking import chunk_article
from rag.pipeline import Pipeline
from rag.types import Article, Filters
from tests.conftest import fresh_database, make_settings


def _article(tag: str, n: int) -> dict:
    body = " ".join(f"Item {i} of report {tag}-{n} says the depot stored {n * 100 + i} crates." for i in range(40))
    return {"id": f"{tag}-{n}", "title": f"Depot report {tag} {n}", "published": "2025-04-01", "text": body}


@pytest.mark.parametrize("store", ["embedded", "postgres"])
def test_kill_9_during_ingest_keeps_every_acknowledged_article_whole(tmp_path, embedder, store, request):
    database = {}
    if store == "postgres":
        database = {"database_url": SecretStr(fresh_database(request.getfixturevalue("postgres")))}
    env = {"NEWSQA_DATABASE_URL": database["database_url"].get_secret_value()} if database else {}
    server = ServeProcess(tmp_path / "data", **env)
    server.start()
    acknowledged: dict[str, dict] = {}
    sent: dict[str, dict] = {}
    killed = threading.Event()

    def single_writer(tag: str) -> None:
        with httpx.Client(base_url=server.url, timeout=60) as http:
            for n in range(10_000):
                sent[f"{tag}-{n}"] = article = _article(tag, n)
                try:
                    r = http.post("/v1/articles", json=article, headers=server.auth)
                except httpx.TransportError:
                    return
                if r.status_code == 201:
                    acknowledged[article["id"]] = article

    def feed_writer() -> None:  # many articles in one request, like a wire feed upload
        with httpx.Client(base_url=server.url, timeout=60) as http:
            for batch in range(10_000):
                feed = [_article(f"feed{batch}", n) for n in range(30)]
                sent.update((a["id"], a) for a in feed)
                body = "\n".join(json.dumps(a) for a in feed).encode()
                try:
                    r = http.post("/v1/articles", files={"file": ("feed.jsonl", body)}, headers=server.auth)
                except httpx.TransportError:
                    return
                if r.status_code == 201:
                    acknowledged.update((a["id"], a) for a in feed)

    writers = [threading.Thread(target=single_writer, args=(t,)) for t in ("a", "b")]
    writers.append(threading.Thread(target=feed_writer))
    for w in writers:
        w.start()
    while len(acknowledged) < 60:
        killed.wait(0.05)
    server.kill()
    for w in writers:
        w.join()

    settings = make_settings(server.data_dir, **database)
    pipeline = Pipeline(settings, embedder=embedder)
    index = pipeline.index
    stored = {info.id: info for info in index.list(limit=100_000)[0]}
    assert acknowledged.keys() <= stored.keys()
    for article_id, info in stored.items():
        if article_id not in sent:
            continue  # the seed article
        article = index.get(article_id)
        assert article.text == sent[article_id]["text"]
        whole = chunk_article(Article(**sent[article_id]), settings.chunk_max_chars, settings.chunk_overlap_sentences)
        assert info.chunks == len(whole), f"{article_id} is partial"
    for article_id in acknowledged:  # and each is in the vector and keyword indexes
        hits = pipeline.search("How many crates did the depot store?", 1, Filters(article_ids=[article_id]))
        assert hits and hits[0].article_id == article_id
    index.close()

    server.start()
    try:
        with httpx.Client(base_url=server.url, timeout=60) as http:
            after = _article("after", 1)
            assert http.post("/v1/articles", json=after, headers=server.auth).status_code == 201
            assert http.get("/v1/articles", params={"limit": 1}).json()["total"] == len(stored) + 1
    finally:
        server.stop()
