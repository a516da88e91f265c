"""`newsqa serve` as a user starts it: a separate process, stopped and started again on the same data."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx

from tests.live import free_port, wait_for

NEWSQA = str(Path(sys.executable).parent / "newsqa")


def serve(data_dir: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "NEWSQA_DATA_DIR": str(data_dir), "NEWSQA_API_KEY": "k"}
    return subprocess.Popen(
        [NEWSQA, "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def stop(proc: subprocess.Popen) -> str:
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=60)
    return out


def test_restart_keeps_acknowledged_articles_and_logs_each_request(tmp_path):
    data_dir, port = tmp_path / "data", free_port()
    url = f"http://127.0.0.1:{port}"
    article = {"id": "tram-line", "published": "2025-05-05", "text": "The new tram line carried 9,500 riders on its first day."}

    proc = serve(data_dir, port)
    try:
        wait_for(url, "/readyz")
        r = httpx.post(f"{url}/v1/articles", json=article, headers={"Authorization": "Bearer k"}, timeout=60)
        assert r.status_code == 201
    finally:
        log = stop(proc)
    assert '"route": "/v1/articles", "path": "/v1/articles", "status": 201' in log
    assert "Bearer k" not in log

    proc = serve(data_dir, port)
    try:
        wait_for(url, "/readyz")
        ids = {a["id"] for a in httpx.get(f"{url}/v1/articles").json()["items"]}
        assert ids == {"tram-line", "000_5e0d765c48372623"}
        answer = httpx.post(f"{url}/v1/ask", json={"question": "How many riders did the tram line carry on its first day?"}, timeout=300).json()
        assert "9,500" in answer["answer"] and answer["citations"][0]["article_id"] == "tram-line"
    finally:
        stop(proc)
