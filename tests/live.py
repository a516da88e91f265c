"""A real uvicorn server on a free loopback port, in a thread, for tests that go over HTTP."""

from __future__ import annotations

import json
import threading

import httpx
import uvicorn

from api.app import create_app
from api.settings import WebSettings
from bench.server import free_port, wait_for
from rag.pipeline import Pipeline
from tests.conftest import make_settings


class LiveServer:
    def __init__(self, app, wait_ready: bool = True):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.wait_ready = wait_ready

    def __enter__(self) -> LiveServer:
        self.thread.start()
        wait_for(self.url, "/readyz" if self.wait_ready else "/healthz")
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)

    def client(self, **kwargs) -> httpx.Client:
        return httpx.Client(base_url=self.url, **{"timeout": 300, **kwargs})


def sse_events(response: httpx.Response) -> list[tuple[str, object]]:
    """Parse a text/event-stream body into (event, data) pairs."""
    events, name, data = [], None, []
    for line in response.iter_lines():
        if line.startswith("event: "):
            name = line[7:]
        elif line.startswith("data: "):
            data.append(line[6:])
        elif not line and name:
            events.append((name, json.loads("\n".join(data))))
            name, data = None, []
    return events


def start(tmp_path_factory, embedder, llm, name, wait_ready=True, **overrides) -> LiveServer:
    """A server over a fresh data dir with the session's models (llm=None: loaded from the settings).
    Overrides go to the web layer's settings or the pipeline's, by name."""
    web = WebSettings(**{key: overrides.pop(key) for key in list(overrides) if key in WebSettings.model_fields})
    settings = make_settings(tmp_path_factory.mktemp(name) / "data", **overrides)
    app = create_app(settings, Pipeline(settings, embedder=embedder, llm=llm), web_settings=web)
    return LiveServer(app, wait_ready=wait_ready)
