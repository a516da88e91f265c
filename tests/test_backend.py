"""The OpenAI-compatible backend as users meet it when it fails: down, or too slow. A clear 503/504, fast."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from api.app import create_app
from rag.pipeline import Pipeline
from tests.conftest import make_settings
from tests.live import LiveServer, free_port, sse_events

KILLED = "How many people were killed in the clashes in Guayaquil?"


class _Chat(BaseHTTPRequestHandler):
    """A scripted OpenAI chat server: streams one fixed reply as chat.completion.chunk events."""

    reply = "22 people were killed in the clashes [1]."

    def do_POST(self):  # noqa: N802 (http.server's naming)
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        for word in self.reply.split(" "):
            chunk = {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "m",
                     "choices": [{"index": 0, "delta": {"content": word + " "}, "finish_reason": None}]}
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
        self.wfile.write(b"data: [DONE]\n\n")

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def backends():
    """A working chat server, a port nobody listens on, and one that accepts and never answers."""
    chat = ThreadingHTTPServer(("127.0.0.1", 0), _Chat)
    threading.Thread(target=chat.serve_forever, daemon=True).start()
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    yield {
        "up": f"http://127.0.0.1:{chat.server_port}/v1",
        "down": f"http://127.0.0.1:{free_port()}/v1",
        "silent": f"http://127.0.0.1:{silent.getsockname()[1]}/v1",
    }
    chat.shutdown()
    silent.close()


@pytest.fixture(scope="module")
def servers(tmp_path_factory, embedder, backends):
    """One service per backend; they share the seeded data dir's models but not their LLM."""
    started = {}
    for name, url in backends.items():
        settings = make_settings(
            tmp_path_factory.mktemp(name) / "data", llm_backend="openai", llm_base_url=url, llm_timeout=1.0
        )
        started[name] = LiveServer(create_app(settings, Pipeline(settings, embedder=embedder))).__enter__()
    yield started
    for srv in started.values():
        srv.__exit__(None, None, None)


def test_a_working_backend_answers_with_verified_citations(servers):
    with servers["up"].client() as c:
        answer = c.post("/v1/ask", json={"question": KILLED}).json()
    assert answer["answerable"] and answer["model"]["backend"] == "openai"
    assert "22 people were killed" in answer["citations"][0]["quote"]


@pytest.mark.parametrize(("backend", "status", "words"), [("down", 503, "unavailable"), ("silent", 504, "in time")])
def test_a_failing_backend_is_a_clear_error_not_a_hung_request(servers, backend, status, words):
    with servers[backend].client(timeout=30) as c:
        assert c.get("/readyz").status_code == 200  # search still works without the model
        r = c.post("/v1/ask", json={"question": KILLED})
        assert r.status_code == status and words in r.json()["detail"]
        with c.stream("POST", "/v1/ask", json={"question": KILLED, "stream": True}) as streamed:
            events = sse_events(streamed)
        assert events[-1] == ("error", {"status": status, "detail": r.json()["detail"]})
        assert c.post("/v1/search", json={"query": "Guayaquil"}).status_code == 200


@pytest.mark.parametrize(("backend", "requested", "slots"), [
    ("openai", None, 4), ("openai", 12, 12), ("llama_cpp_process", None, 1), ("llama_cpp", 1, 1),
])
def test_answers_at_once_follow_the_generator(tmp_path, backend, requested, slots):
    assert Pipeline(make_settings(tmp_path, llm_backend=backend)).generation_slots(requested) == slots


def test_an_embedded_model_is_not_asked_for_answers_it_cannot_write_at_once(tmp_path):
    with pytest.raises(ValueError, match="writes 1 answer at a time"):
        Pipeline(make_settings(tmp_path, llm_backend="llama_cpp")).generation_slots(2)
