"""`/v1/search` latency while clients start streamed asks and hang up after the `passages` event.

A real `newsqa serve` with the real models. The same search loop runs first alone and then beside eight
clients that keep asking and leaving, so the ratio says what the leavers cost the searchers.
"""

from __future__ import annotations

import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx

from bench.run import percentile
from bench.server import ServeProcess

QUESTION = "How many people were killed in the clashes in Guayaquil?"
QUERIES = ["clashes in Guayaquil", "port reopened", "state of emergency", "gang violence", "who was arrested"]


def _search_latencies(url: str, seconds: float) -> list[float]:
    out, end = [], time.monotonic() + seconds
    with httpx.Client(base_url=url, timeout=120) as c:
        while time.monotonic() < end:
            started = time.perf_counter()
            r = c.post("/v1/search", json={"query": QUERIES[len(out) % len(QUERIES)], "top_k": 5})
            r.raise_for_status()
            out.append((time.perf_counter() - started) * 1000)
    return out


def _leaver(url: str, stop: threading.Event, counts: dict) -> None:
    with httpx.Client(base_url=url, timeout=120) as c:
        while not stop.is_set():
            try:
                with c.stream("POST", "/v1/ask", json={"question": QUESTION, "stream": True}) as r:
                    for line in r.iter_lines():
                        if line.startswith("event: "):
                            counts[line[7:]] = counts.get(line[7:], 0) + 1
                            if line in ("event: passages", "event: error"):
                                break
            except httpx.HTTPError:
                counts["transport_error"] = counts.get("transport_error", 0) + 1


def measure(seconds: float = 30, clients: int = 8, env: dict[str, str] | None = None) -> dict:
    with tempfile.TemporaryDirectory(prefix="newsqa-hangups-") as tmp:
        server = ServeProcess(Path(tmp) / "data", **(env or {}))
        server.start()
        try:
            _search_latencies(server.url, 3)  # caches and the keyword index warm up; not counted
            alone = _search_latencies(server.url, seconds / 3)
            stop, counts = threading.Event(), {}
            leavers = [threading.Thread(target=_leaver, args=(server.url, stop, counts)) for _ in range(clients)]
            for t in leavers:
                t.start()
            time.sleep(2)  # let the leavers fill the queue
            loaded = _search_latencies(server.url, seconds)
            stop.set()
            for t in leavers:
                t.join(180)
        finally:
            server.stop()

    def summary(ms: list[float]) -> dict:
        return {"n": len(ms), "p50_ms": round(statistics.median(ms), 1), "p95_ms": round(percentile(ms, 0.95), 1)}

    result = {"clients": clients, "seconds": seconds, "alone": summary(alone), "with_leavers": summary(loaded),
              "leaver_events": counts}
    result["p50_ratio"] = round(result["with_leavers"]["p50_ms"] / result["alone"]["p50_ms"], 2)
    result["p95_ratio"] = round(result["with_leavers"]["p95_ms"] / result["alone"]["p95_ms"], 2)
    return result
