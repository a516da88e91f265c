"""Generation slots that cannot be gamed: a client that hangs up keeps its slot until its worker has
stopped, the worker stops at its next token, and searches never wait behind generations.

The model here is a slow scripted one (a fake for the admission logic around the model, over a real
server); tests/test_api.py covers leaving mid-stream on the real model."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from tests.live import start

QUESTION = "How many people were killed in the clashes in Guayaquil?"


class SlowLLM:
    """One generation at a time (like llama.cpp's single context), a token every 20 ms, counted."""

    name = "slow"
    info = {"backend": "scripted", "model": "slow"}

    def __init__(self):
        self.prompt_tokens = 0
        self.prefill = threading.Event()  # the prompt evaluation, which nothing interrupts, ends when set
        self.prefill.set()
        self.lock = threading.Lock()
        self.produced = 0
        self.generating = threading.Event()
        self.idle = threading.Event()
        self.idle.set()

    def warm(self) -> None:
        pass

    def close(self) -> None:
        pass

    def stream(self, messages, max_tokens):
        with self.lock:
            self.idle.clear()
            self.generating.set()
            try:
                self.prefill.wait(60)
                for _ in range(max_tokens):
                    time.sleep(0.02)
                    self.produced += 1
                    yield "word "
            finally:
                self.generating.clear()
                self.idle.set()


@pytest.fixture()
def slow(tmp_path_factory, embedder):
    llm = SlowLLM()
    with start(tmp_path_factory, embedder, llm, "slots", ask_queue=0, llm_max_tokens=400) as srv:
        yield srv, llm


def hang_up_after(url: str, event: str) -> None:
    body = {"question": QUESTION, "stream": True}
    with httpx.Client(base_url=url, timeout=60) as c, c.stream("POST", "/v1/ask", json=body) as r:
        for line in r.iter_lines():
            if line.startswith(f"event: {event}"):
                return  # closes the connection mid-answer


def running(c: httpx.Client) -> float:
    line = next(x for x in c.get("/metrics").text.splitlines() if x.startswith("newsqa_ask_running "))
    return float(line.split()[1])


def test_a_hung_up_generation_keeps_its_slot_until_its_worker_stops_at_the_next_token(slow):
    srv, llm = slow
    llm.prefill.clear()  # the next generation is stuck evaluating its prompt
    hang_up_after(srv.url, "passages")
    assert llm.generating.wait(30)
    with srv.client(timeout=30) as c:
        # The client is gone but its worker is not: its slot is not free for another ask (ask_queue=0).
        r = c.post("/v1/ask", json={"question": QUESTION})
        assert r.status_code == 503 and r.headers["retry-after"]
        assert running(c) == 1
        llm.prefill.set()
        assert llm.idle.wait(30)
        assert llm.produced == 1  # stopped at its first token, not after all 400
        deadline = time.monotonic() + 30
        while running(c) != 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert running(c) == 0
        assert c.post("/v1/ask", json={"question": QUESTION}).status_code == 200


def leave_while_queued(url: str) -> None:
    try:
        with httpx.Client(base_url=url, timeout=0.5) as c:
            c.post("/v1/ask", json={"question": QUESTION, "stream": True})
    except httpx.TimeoutException:
        pass  # gone before the slot came


def test_searches_answer_while_a_generation_runs_and_askers_who_left_the_queue_cost_nothing(tmp_path_factory, embedder):
    """With generation workers in the shared thread pool, hung-up asks queued behind the model lock and
    took the threads that searches and reads need; and each one still ran a whole generation."""
    llm = SlowLLM()
    with start(tmp_path_factory, embedder, llm, "queue", ask_queue=8, llm_max_tokens=400) as srv:
        llm.prefill.clear()
        hang_up_after(srv.url, "passages")
        assert llm.generating.wait(30)
        leavers = [threading.Thread(target=leave_while_queued, args=(srv.url,)) for _ in range(8)]
        for t in leavers:
            t.start()
        for t in leavers:
            t.join(30)
        with srv.client(timeout=30) as c:
            for _ in range(5):
                assert c.post("/v1/search", json={"query": "Guayaquil"}).status_code == 200
                assert c.get("/v1/articles").status_code == 200
            assert llm.generating.is_set()  # all of that answered while the generation was still running
            assert len({t.name for t in threading.enumerate() if t.name.startswith("generate")}) <= 1
            llm.prefill.set()
            deadline = time.monotonic() + 30
            while running(c) != 0 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert llm.produced == 1  # the eight that left while queued never generated
            assert c.post("/v1/ask", json={"question": QUESTION}).status_code == 200
