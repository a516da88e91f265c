"""Per-request metrics (Prometheus) and one structured log line per request."""

from __future__ import annotations

import json
import logging
import time

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("newsqa.access")


class Metrics:
    """One registry per app, so several apps (tests) never collide."""

    def __init__(self):
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "newsqa_requests_total", "HTTP requests", ["method", "route", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "newsqa_request_seconds", "HTTP request latency", ["method", "route"], registry=self.registry
        )
        self.generation = Histogram(
            "newsqa_generation_seconds", "Time spent by the LLM per answer", registry=self.registry,
            buckets=(0.5, 1, 2, 4, 8, 16, 32, 64, 128),
        )
        self.articles = Gauge("newsqa_index_articles", "Articles in the index", registry=self.registry)
        self.chunks = Gauge("newsqa_index_chunks", "Chunks in the index", registry=self.registry)
        self.waiting = Gauge("newsqa_ask_waiting", "Asks waiting for a generation slot", registry=self.registry)
        self.running = Gauge("newsqa_ask_running", "Asks generating now", registry=self.registry)

    def render(self) -> bytes:
        return generate_latest(self.registry)


class ObserveMiddleware:
    """Times each request by its route template (not the raw path, so ids do not explode the labels)."""

    def __init__(self, app: ASGIApp, metrics: Metrics):
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            route = getattr(scope.get("route"), "path", "unmatched")
            elapsed = time.perf_counter() - started
            self.metrics.requests.labels(scope["method"], route, str(status)).inc()
            self.metrics.latency.labels(scope["method"], route).observe(elapsed)
            log.info(
                json.dumps(
                    {"method": scope["method"], "route": route, "path": scope["path"], "status": status,
                     "ms": round(elapsed * 1000, 1)}
                )
            )
