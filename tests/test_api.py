"""The HTTP API over a real uvicorn server on loopback, with the real embedded models."""

from __future__ import annotations

import json
import threading

import httpx
import pytest

from tests.live import sse_events, start

KEY = "s3cret-test-key-0123"
AUTH = {"Authorization": f"Bearer {KEY}"}
SEED_ID = "000_5e0d765c48372623"
KILLED = "How many people were killed in the clashes in Guayaquil?"


@pytest.fixture(scope="module")
def server(tmp_path_factory, embedder, llm):
    with start(tmp_path_factory, embedder, llm, "api", api_key=KEY, max_article_bytes=100_000, ask_queue=0) as srv:
        yield srv


@pytest.fixture()
def client(server):
    with server.client() as c:
        yield c


def test_cited_answer_quotes_the_article_text_at_its_span(client):
    r = client.post("/v1/ask", json={"question": KILLED})
    assert r.status_code == 200, r.text
    answer = r.json()
    assert answer["answerable"] and "22" in answer["answer"]
    article = client.get(f"/v1/articles/{SEED_ID}").json()
    assert article["published"] == "2025-03-07"
    assert answer["citations"]
    for c in answer["citations"]:
        assert article["text"][c["start"] : c["end"]] == c["quote"]
        assert f"[{c['n']}]" in answer["answer"]
    assert any("22 people were killed" in c["quote"] for c in answer["citations"])


def test_abstains_when_the_articles_do_not_say(client):
    answer = client.post("/v1/ask", json={"question": "What is the population of Guayaquil?"}).json()
    assert answer["answerable"] is False and answer["citations"] == []


def test_streaming_sends_passages_tokens_then_the_verified_answer(client):
    with client.stream("POST", "/v1/ask", json={"question": KILLED, "stream": True}) as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        events = sse_events(r)
    kinds = [k for k, _ in events]
    assert kinds[0] == "passages" and kinds[-1] == "answer" and "token" in kinds
    assert events[0][1][0]["article_id"] == SEED_ID
    final = events[-1][1]
    assert "22" in "".join(d["text"] for k, d in events if k == "token")
    assert all(d["verified"] is False for k, d in events if k == "token")  # drafts say they are drafts
    assert final["answerable"] and any("22 people were killed" in c["quote"] for c in final["citations"])


def test_accept_header_also_selects_streaming(client):
    with client.stream("POST", "/v1/ask", json={"question": KILLED}, headers={"Accept": "text/event-stream"}) as r:
        assert [k for k, _ in sse_events(r)][-1] == "answer"


def test_this_week_counts_from_the_day_the_question_is_asked(client):
    """The seed (2025-03-07) answers "this week" asked that week; asked in 2026, its figure is last
    year's news, and the service says the articles do not tell."""
    question = "How many people were killed in the clashes in Guayaquil this week?"
    that_week = client.post("/v1/ask", json={"question": question, "asked_on": "2025-03-09"}).json()
    assert that_week["answerable"] and "22" in that_week["answer"], that_week
    later = client.post("/v1/ask", json={"question": question, "asked_on": "2026-03-09"}).json()
    assert later["answerable"] is False and later["citations"] == [] and "do not say" in later["answer"]
    assert later["reason"] in {"unsupported", "not_in_articles"}
    for edge in ("0001-01-01", "9999-12-31"):  # the calendar's ends: an answer, not a 500
        r = client.post("/v1/ask", json={"question": question, "asked_on": edge})
        assert r.status_code == 200 and r.json()["answerable"] is False, r.text


def test_search_ranks_passages_without_the_llm_and_applies_filters(client):
    r = client.post("/v1/search", json={"query": "clashes between rival gangs", "top_k": 3})
    passages = r.json()["passages"]
    assert len(passages) == 3 and passages[0]["article_id"] == SEED_ID
    assert [p["score"] for p in passages] == sorted((p["score"] for p in passages), reverse=True)
    none = client.post("/v1/search", json={"query": "clashes", "filters": {"sources": ["Nobody"]}}).json()
    assert none["passages"] == []
    later = {"published_from": "2025-03-08"}
    assert client.post("/v1/search", json={"query": "clashes", "filters": later}).json()["passages"] == []


def test_article_lifecycle_changes_answers(client):
    article = {
        "id": "harbour-fire",
        "title": "Fire at the harbour",
        "published": "2025-04-02",
        "source": "Test Wire",
        "text": "A fire destroyed 14 fishing boats at the harbour of Puerto Lindo on Tuesday.",
    }
    assert client.post("/v1/articles", json=article).status_code == 401
    r = client.post("/v1/articles", json=article, headers=AUTH)
    assert r.status_code == 201 and r.json()["articles"] == [{"id": "harbour-fire", "status": "added", "chunks": 1}]
    again = client.post("/v1/articles", json=article, headers=AUTH)
    assert again.status_code == 200 and again.json()["articles"][0]["status"] == "unchanged"

    question = {"question": "How many fishing boats did the fire destroy?"}
    assert "14" in client.post("/v1/ask", json=question).json()["answer"]

    changed = {**article, "text": "A fire destroyed 17 fishing boats at the harbour of Puerto Lindo on Tuesday."}
    r = client.post("/v1/articles", json=changed, headers=AUTH)
    assert r.status_code == 200 and r.json()["articles"][0]["status"] == "updated"
    answer = client.post("/v1/ask", json=question).json()
    assert "17" in answer["answer"] and "14" not in answer["answer"]

    listed = client.get("/v1/articles").json()
    assert {a["id"] for a in listed["items"]} >= {"harbour-fire", SEED_ID} and listed["total"] >= 2
    got = client.get("/v1/articles/harbour-fire").json()
    assert got["text"] == changed["text"] and got["source"] == "Test Wire"

    assert client.delete("/v1/articles/harbour-fire").status_code == 401
    assert client.delete("/v1/articles/harbour-fire", headers=AUTH).status_code == 204
    assert client.get("/v1/articles/harbour-fire").status_code == 404
    assert client.delete("/v1/articles/harbour-fire", headers=AUTH).status_code == 404
    hits = client.post("/v1/search", json={"query": "fishing boats fire harbour", "top_k": 10}).json()["passages"]
    assert all(p["article_id"] != "harbour-fire" for p in hits)
    assert client.post("/v1/ask", json=question).json()["answerable"] is False


def test_file_uploads_in_the_cli_formats(client):
    lines = [
        {"id": "wire-a", "published": "2025-02-01", "text": "The bridge over the river Lento reopened."},
        {"id": "wire-b", "published": "2025-02-02", "text": "The river Lento flooded two villages."},
    ]
    body = "\n".join(json.dumps(x) for x in lines).encode()
    r = client.post("/v1/articles", files={"file": ("feed.jsonl", body)}, headers=AUTH)
    assert r.status_code == 201, r.text
    assert [a["id"] for a in r.json()["articles"]] == ["wire-a", "wire-b"]
    md = b"---\ntitle: Dam report\ndate: 2025-02-03\n---\n\nEngineers inspected the Lento dam."
    r = client.post("/v1/articles", files={"file": ("dam report.md", md)}, headers=AUTH)
    assert r.json()["articles"][0]["id"] == "dam-report"
    assert client.get("/v1/articles/dam-report").json()["title"] == "Dam report"
    bad = client.post("/v1/articles", files={"file": ("x.txt", b"\xff\xfe\x00\x01")}, headers=AUTH)
    assert bad.status_code == 422 and "not UTF-8" in bad.json()["detail"]
    for article_id in ("wire-a", "wire-b", "dam-report"):
        client.delete(f"/v1/articles/{article_id}", headers=AUTH)


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("post", "/v1/ask", {"json": {"question": "x" * 2001}}, 422),
        ("post", "/v1/ask", {"json": {"question": "   "}}, 422),
        ("post", "/v1/ask", {"json": {"question": 42}}, 422),
        ("post", "/v1/ask", {"json": {"question": "q", "top_k": "many"}}, 422),
        ("post", "/v1/ask", {"json": {"question": "q", "filters": {"colour": "red"}}}, 422),
        ("post", "/v1/ask", {"json": {"question": "q", "filters": {"published_from": "March"}}}, 422),
        ("post", "/v1/ask", {"json": {"question": "q", "asked_on": "next Tuesday"}}, 422),
        ("post", "/v1/ask", {"content": b"{not json", "headers": {"content-type": "application/json"}}, 422),
        ("post", "/v1/ask", {"json": {"question": "x" * 1_000_000}}, 413),
        ("post", "/v1/ask", {"json": {"question": "x" * 3000}}, 422),
        ("post", "/v1/ask",
         {"content": b'{"question": "\xff\xfe"}', "headers": {"content-type": "application/json"}}, 400),
        ("post", "/v1/search", {"json": {"query": "y" * 2001}}, 422),
        ("post", "/v1/search", {"json": {"query": "q", "filters": {"published_to": "2025-13-45"}}}, 422),
        ("post", "/v1/search", {"json": {"query": "q", "filters": {"article_ids": "not-a-list"}}}, 422),
        ("get", "/v1/articles/" + "a" * 5000, {}, 404),
        ("get", "/v1/articles?limit=100000", {}, 422),
        ("post", "/v1/articles", {"json": {"id": "a" * 10_000, "text": "x"}, "headers": AUTH}, 422),
        ("get", "/v1/articles/no-such-article", {}, 404),
        ("post", "/v1/articles", {"content": b"{broken", "headers": {"content-type": "application/json", **AUTH}}, 422),
        ("post", "/v1/articles", {"json": {"id": "a", "text": 5}, "headers": AUTH}, 422),
        ("post", "/v1/articles", {"json": {"id": "../etc/passwd", "text": "x"}, "headers": AUTH}, 422),
        ("post", "/v1/articles", {"content": b"text", "headers": {"content-type": "text/plain", **AUTH}}, 415),
    ],
)
def test_bad_requests_get_clear_json_errors(client, method, path, kwargs, status):
    r = getattr(client, method)(path, **kwargs)
    assert r.status_code == status, r.text
    assert r.json()["detail"]


def test_oversized_article_is_rejected_without_reading_it_all(client):
    big = {"id": "big", "text": "word " * 30_000}
    r = client.post("/v1/articles", json=big, headers=AUTH)
    assert r.status_code == 413 and "larger than 100000 bytes" in r.json()["detail"]

    def chunks():  # no Content-Length: the server must count as it reads
        for _ in range(50):
            yield b"x" * 10_000

    r = client.post("/v1/articles", content=chunks(), headers={"content-type": "application/json", **AUTH})
    assert r.status_code == 413
    assert client.get("/v1/articles/big").status_code == 404


def test_wrong_key_is_refused_and_never_echoed(client):
    for headers in ({"Authorization": "Bearer wrong"}, {"Authorization": KEY}, {}):
        r = client.post("/v1/articles", json={"id": "x", "text": "y"}, headers=headers)
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
        assert KEY not in r.text


def test_full_queue_gets_503_and_search_is_not_blocked(server):
    """ask_queue=0: while one generation runs, a second ask is refused; searches still answer."""
    results = {}

    def slow_ask():
        with server.client() as c:
            results["ask"] = c.post("/v1/ask", json={"question": KILLED, "stream": True})

    worker = threading.Thread(target=slow_ask)
    worker.start()
    with server.client() as c:
        for _ in range(200):  # wait until the first ask holds the generation slot
            if "newsqa_ask_waiting 0.0" in c.get("/metrics").text and _running(c):
                break
        busy = c.post("/v1/ask", json={"question": "What is the capital of Guayas?"})
        searched = c.post("/v1/search", json={"query": "Guayas"})
        finished_first = "ask" in results
    worker.join()
    assert busy.status_code == 503 and busy.headers["retry-after"] == "10"
    assert searched.status_code == 200 and not finished_first
    assert results["ask"].status_code == 200


def _running(c: httpx.Client) -> bool:
    return 'newsqa_ask_running 1.0' in c.get("/metrics").text


def test_a_client_leaving_mid_stream_frees_the_model_for_the_next(server):
    with server.client() as c:
        with c.stream("POST", "/v1/ask", json={"question": KILLED, "stream": True}) as r:
            for line in r.iter_lines():
                if line == "event: token":
                    break  # hang up while the model is writing
        for _ in range(300):
            if not _running(c):
                break
            threading.Event().wait(0.1)
        assert not _running(c)
        again = c.post("/v1/ask", json={"question": KILLED})
        assert again.status_code == 200 and "22" in again.json()["answer"]


def test_readiness_names_the_generator_and_the_cpu_features_it_was_built_with(client):
    """The first thing a support question needs: which model, built for which instruction sets."""
    generator = client.get("/readyz").json()["generator"]
    assert generator["backend"] == "llama_cpp" and generator["model"].endswith(".gguf")
    assert "AVX2" in generator["build_features"] and "AMX_INT8" not in generator["build_features"]


def test_metrics_and_openapi(client):
    client.post("/v1/search", json={"query": "Guayaquil"})
    text = client.get("/metrics").text
    assert 'newsqa_requests_total{method="POST",route="/v1/search",status="200"}' in text
    assert "newsqa_index_chunks" in text and "newsqa_generation_seconds_count" in text
    spec = client.get("/openapi.json").json()
    assert {"/v1/ask", "/v1/search", "/v1/articles", "/v1/articles/{article_id}", "/readyz"} <= spec["paths"].keys()
    assert spec["components"]["schemas"]["AskRequest"]["examples"][0]["question"] == KILLED
    assert client.get("/docs").status_code == 200


def test_read_key_protects_ask_and_search(tmp_path_factory, embedder, llm):
    with start(tmp_path_factory, embedder, llm, "readkey", api_key=KEY, api_key_read=True) as srv, srv.client() as c:
        assert c.post("/v1/search", json={"query": "Guayaquil"}).status_code == 401
        assert c.post("/v1/ask", json={"question": KILLED}).status_code == 401
        assert c.get("/v1/articles").status_code == 401
        assert c.get("/metrics").status_code == 401
        assert c.post("/v1/search", json={"query": "Guayaquil"}, headers=AUTH).status_code == 200
        assert c.get("/metrics", headers=AUTH).status_code == 200
        assert c.get("/healthz").status_code == 200


def test_readiness_reports_a_failed_warm_up(tmp_path_factory, embedder, tmp_path):
    missing = tmp_path / "missing.gguf"
    srv = start(tmp_path_factory, embedder, None, "broken", wait_ready=False, llm_model_path=missing)
    with srv, srv.client() as c:
        for _ in range(300):
            r = c.get("/readyz")
            if "failed" in r.text:
                break
            threading.Event().wait(0.1)
        assert r.status_code == 503 and "warm-up failed" in r.json()["detail"]
        assert str(tmp_path) not in r.text  # no file paths from exception texts
        assert c.get("/healthz").status_code == 200
        assert c.post("/v1/search", json={"query": "x"}).status_code == 503


def test_the_article_list_searches_titles_and_ids(client):
    for i, title in enumerate(["Harbour reopens", "Budget vote", "100% turnout in the harbour town"]):
        body = {"id": f"listed-{i}", "title": title, "text": f"Story {i} of the day."}
        assert client.post("/v1/articles", json=body, headers=AUTH).status_code in (200, 201)
    found = client.get("/v1/articles", params={"q": "harbour"}).json()
    assert {a["id"] for a in found["items"]} == {"listed-0", "listed-2"} and found["total"] == 2
    assert [a["id"] for a in client.get("/v1/articles", params={"q": "100%"}).json()["items"]] == ["listed-2"]
    assert client.get("/v1/articles", params={"q": "%"}).json()["total"] == 1  # % is a character, not a wildcard
    assert client.get("/v1/articles", params={"q": "listed-1"}).json()["items"][0]["title"] == "Budget vote"
