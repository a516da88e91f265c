"""`/healthz` latency while one client uploads a large JSONL file (20,000 articles by default).

An upload holds the store's lock while it writes; anything the event loop does under that lock stalls
every request, /healthz included. This measures what a load balancer's health check sees meanwhile.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx

from bench.run import percentile
from bench.server import ServeProcess


def jsonl(articles: int) -> bytes:
    lines = (
        json.dumps({"id": f"bulk-{i}", "source": "Bulk Wire", "published": "2025-06-01",
                    "text": f"Council {i} approved budget number {i} on Tuesday. The vote was {i % 9 + 1} to 2."})
        for i in range(articles)
    )
    return ("\n".join(lines) + "\n").encode()


def measure(articles: int = 20_000, env: dict[str, str] | None = None) -> dict:
    body = jsonl(articles)
    with tempfile.TemporaryDirectory(prefix="newsqa-upload-") as tmp:
        server = ServeProcess(Path(tmp) / "data", NEWSQA_MAX_ARTICLE_BYTES=str(len(body) + 65_536), **(env or {}))
        server.start()
        result: dict = {}

        def upload() -> None:
            started = time.perf_counter()
            r = httpx.post(f"{server.url}/v1/articles", files={"file": ("bulk.jsonl", body)}, headers=server.auth,
                           timeout=3600)
            result.update(status=r.status_code, upload_s=round(time.perf_counter() - started, 1))

        try:
            writer = threading.Thread(target=upload)
            writer.start()
            latencies = []
            with httpx.Client(base_url=server.url, timeout=600) as c:
                while writer.is_alive():
                    started = time.perf_counter()
                    c.get("/healthz").raise_for_status()
                    latencies.append((time.perf_counter() - started) * 1000)
                    time.sleep(0.05)
            writer.join()
            if result.get("status") != 201:
                raise RuntimeError(f"the upload was not stored: {result}")
        finally:
            server.stop()
    return {
        "articles": articles, "bytes": len(body), **result, "healthz_checks": len(latencies),
        "healthz_p50_ms": round(statistics.median(latencies), 1),
        "healthz_p99_ms": round(percentile(latencies, 0.99), 1), "healthz_max_ms": round(max(latencies), 1),
    }
