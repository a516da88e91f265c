"""`newsqa serve` as a user starts it: a separate process, stopped and started again on the same data."""

import httpx

from bench.server import ServeProcess


def test_restart_keeps_acknowledged_articles_and_logs_each_request(tmp_path):
    server = ServeProcess(tmp_path / "data")
    article = {"id": "tram-line", "published": "2025-05-05", "text": "The new tram line carried 9,500 riders on its first day."}

    server.start()
    try:
        r = httpx.post(f"{server.url}/v1/articles", json=article, headers=server.auth, timeout=60)
        assert r.status_code == 201
    finally:
        log = server.stop()
    assert '"route": "/v1/articles", "path": "/v1/articles", "status": 201' in log
    assert "Bearer k" not in log

    server.start()
    try:
        ids = {a["id"] for a in httpx.get(f"{server.url}/v1/articles").json()["items"]}
        assert ids == {"tram-line", "000_5e0d765c48372623"}
        question = "How many riders did the tram line carry on its first day?"
        answer = httpx.post(f"{server.url}/v1/ask", json={"question": question}, timeout=300).json()
        assert "9,500" in answer["answer"] and answer["citations"][0]["article_id"] == "tram-line"
    finally:
        server.stop()
