"""`newsqa serve` as a user starts it: a separate process, stopped and started again on the same data."""

import os
import subprocess

import httpx

from bench.server import NEWSQA, ServeProcess, free_port


def test_restart_keeps_acknowledged_articles_and_logs_each_request(tmp_path):
    server = ServeProcess(tmp_path / "data")
    article = {"id": "tram-line", "published": "2025-05-05",
               "text": "The new tram line carried 9,500 riders on its first day."}

    server.start()
    try:
        r = httpx.post(f"{server.url}/v1/articles", json=article, headers=server.auth, timeout=60)
        assert r.status_code == 201
    finally:
        log = server.stop()
    assert '"route": "/v1/articles", "path": "/v1/articles", "status": 201' in log
    assert server.api_key not in log

    server.start()
    try:
        ids = {a["id"] for a in httpx.get(f"{server.url}/v1/articles").json()["items"]}
        assert ids == {"tram-line", "000_5e0d765c48372623"}
        question = "How many riders did the tram line carry on its first day?"
        answer = httpx.post(f"{server.url}/v1/ask", json={"question": question}, timeout=300).json()
        assert "9,500" in answer["answer"] and answer["citations"][0]["article_id"] == "tram-line"
    finally:
        server.stop()


def test_a_second_writer_on_a_served_data_dir_is_refused_with_one_line(tmp_path, seed_copy):
    """Two processes writing one data dir would each keep their own vector index and lose writes."""
    server = ServeProcess(tmp_path / "data")
    server.start()
    try:
        env = {**os.environ, "NEWSQA_DATA_DIR": str(tmp_path / "data")}
        done = subprocess.run([NEWSQA, "ingest", str(seed_copy)], capture_output=True, text=True, env=env, timeout=300)
        assert done.returncode == 1 and "in use by another newsqa process" in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1
        second = subprocess.run([NEWSQA, "serve", "--port", str(free_port())], capture_output=True, text=True,
                                env={**env, "NEWSQA_API_KEY": server.api_key}, timeout=300)
        assert second.returncode == 1 and "in use by another newsqa process" in second.stderr
        assert httpx.get(f"{server.url}/readyz").status_code == 200
    finally:
        log = server.stop()
    assert '"mode": "writes: key, reads: open"' in log
    done = subprocess.run([NEWSQA, "ingest", str(seed_copy)], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr  # the lock went with the server
