"""The generator outside the service's process, on real servers: llama-cpp-python's own OpenAI-compatible
server answering as the embedded model does, and a generator child killed mid-answer without taking the
service down."""

from __future__ import annotations

import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import psutil
import pytest

from api.app import create_app
from api.settings import WebSettings
from rag.cite import numbers_in
from rag.generate import GeneratorUnavailable, build_messages
from rag.llm_process import ChildProcessLLM, LlamaServerProcess
from rag.model_file import ensure_model_file
from rag.pipeline import Pipeline
from rag.settings import Settings
from tests.conftest import make_settings
from tests.live import LiveServer, sse_events

QUESTIONS = [
    "How many people were killed in the clashes in Guayaquil?",
    "Factions of which criminal gang clashed in Guayaquil?",
    "What is the population of Guayaquil?",
]


@pytest.fixture(scope="module")
def model_path():
    return ensure_model_file(Settings().cache_dir)


@pytest.fixture(scope="module")
def llama_server(model_path, tmp_path_factory):
    """`python -m llama_cpp.server` on a loopback port, serving the same GGUF: what a user runs."""
    process = LlamaServerProcess(model_path, 4096, None, tmp_path_factory.mktemp("server") / "server.log")
    process.ensure()
    yield process
    process.stop()


def test_the_served_llm_answers_and_cites_as_the_embedded_one(seeded, llama_server, embedder, tmp_path):
    settings = make_settings(tmp_path / "data", llm_backend="openai", llm_base_url=llama_server.base_url,
                             llm_timeout=300)
    served = Pipeline(settings, embedder=embedder)
    served.ensure_seeded()
    for question in QUESTIONS:
        embedded, remote = seeded.ask(question), served.ask(question)
        # Greedy decoding in two llama.cpp contexts with different prompt-cache histories can flip a
        # near-tie into another wording of the same fact (seen: "... in Guayaquil" vs "... in Guayaquil's
        # Nueva Prosperina neighborhood"); what a reader relies on must match: the verdict, the numbers
        # stated and the sentences cited.
        assert (remote.answerable, remote.reason) == (embedded.answerable, embedded.reason)
        assert numbers_in(remote.answer) == numbers_in(embedded.answer)
        assert [(c.article_id, c.start, c.end) for c in remote.citations] == [
            (c.article_id, c.start, c.end) for c in embedded.citations
        ]
    assert served.llm.info["backend"] == "openai"


def test_the_child_counts_the_prompt_tokens_the_embedded_model_reads(seeded, llama_server):
    """llama-cpp-python's server streams no usage; the default backend still reports the prompt's size,
    counted with the model's own chat template: the same number the in-process model evaluates."""
    child = ChildProcessLLM(llama_server, 300)
    for question in QUESTIONS:
        messages = build_messages(question, seeded.ask(question).evidence)
        "".join(seeded.llm.stream(messages, 4))
        "".join(child.stream(messages, 4))
        assert child.prompt_tokens == seeded.llm.prompt_tokens > 300


def test_a_child_that_cannot_start_is_a_clear_generator_error(tmp_path):
    broken = tmp_path / "not-a-model.gguf"
    broken.write_bytes(b"GGUF but not really")
    process = LlamaServerProcess(broken, 512, 1, tmp_path / "generator.log")
    with pytest.raises(GeneratorUnavailable, match="exited with .* while starting; see .*generator.log"):
        process.ensure()
    assert not process.running()


def test_killing_the_generator_mid_answer_costs_that_answer_only(tmp_path, embedder, seed_copy):
    """kill -9 of the child while it writes: the streamed ask ends with a 503 error event, search and the
    article routes keep answering, and the next ask starts a new child and answers."""
    settings = make_settings(tmp_path / "data", llm_backend="llama_cpp_process", seeds_dir=seed_copy)
    pipeline = Pipeline(settings, embedder=embedder)
    assert isinstance(pipeline.llm, ChildProcessLLM)
    with LiveServer(create_app(settings, pipeline)) as srv, srv.client() as c:
        first = c.get("/readyz").json()["generator"]
        assert first["backend"] == "llama_cpp_process" and first["starts"] == 1 and first["pid"]
        with c.stream("POST", "/v1/ask", json={"question": QUESTIONS[0], "stream": True}) as r:
            lines, killed = [], False
            for line in r.iter_lines():
                lines.append(line)
                if not killed and line.startswith("event: token"):  # the child is writing the answer now
                    os.kill(first["pid"], signal.SIGKILL)
                    killed = True
        events = sse_events(httpx.Response(200, content="\n".join([*lines, "", ""]).encode()))
        errors = [data for name, data in events if name == "error"]
        assert errors and errors[0]["status"] == 503 and "generator process died" in errors[0]["detail"]
        assert c.post("/v1/search", json={"query": "Guayaquil clashes"}).status_code == 200
        assert c.get("/v1/articles").json()["total"] == 1
        answer = c.post("/v1/ask", json={"question": QUESTIONS[0]})
        assert answer.status_code == 200 and "22" in answer.json()["answer"], answer.text
        assert answer.json()["usage"]["prompt_tokens"] > 300
        again = c.get("/readyz").json()["generator"]
        assert again["starts"] == 2 and again["pid"] != first["pid"]
    pipeline.llm.process.stop()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and pipeline.llm.process.running():
        time.sleep(0.1)
    assert not pipeline.llm.process.running()


def test_the_generator_does_not_outlive_a_killed_service(model_path, tmp_path):
    """kill -9 of the process that started the child (no atexit runs): the child goes too, instead of
    holding the model's memory as an orphan."""
    import subprocess
    import sys

    code = (
        "import sys, time; from rag.llm_process import LlamaServerProcess; "
        f"p = LlamaServerProcess({str(model_path)!r}, 512, 1); p.ensure(); print(p.proc.pid, flush=True); "
        "time.sleep(600)"
    )
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if psutil.Process(child).status() == psutil.STATUS_ZOMBIE:  # exited; init reaps it
                break
        except psutil.NoSuchProcess:
            break
        time.sleep(0.2)
    else:
        os.kill(child, signal.SIGKILL)
        pytest.fail("the generator child outlived its parent")


def test_asks_at_once_follow_a_served_generator(llama_server, embedder, seed_copy, tmp_path):
    """A served generator takes as many asks at once as the operator sets (here 2, with no queue): both
    are admitted and answered by the real server. The embedded model takes one, so the same two asks
    against it leave one refused with 503 and Retry-After."""
    served = make_settings(tmp_path / "served", llm_backend="openai", llm_base_url=llama_server.base_url,
                           llm_timeout=300, seeds_dir=seed_copy)
    app = create_app(served, Pipeline(served, embedder=embedder),
                     web_settings=WebSettings(ask_concurrency=2, ask_queue=0))
    with LiveServer(app) as srv:
        assert [r.status_code for r in _at_once(srv.url, QUESTIONS[:2])] == [200, 200]

    embedded = make_settings(tmp_path / "embedded", llm_backend="llama_cpp_process", seeds_dir=seed_copy)
    app = create_app(embedded, Pipeline(embedded, embedder=embedder), web_settings=WebSettings(ask_queue=0))
    with LiveServer(app) as srv:
        statuses = sorted(r.status_code for r in _at_once(srv.url, QUESTIONS[:2]))
    assert statuses == [200, 503]


def _at_once(url: str, questions: list[str]) -> list[httpx.Response]:
    with ThreadPoolExecutor(len(questions)) as pool:
        return list(pool.map(lambda q: httpx.post(f"{url}/v1/ask", json={"question": q}, timeout=300), questions))


def test_a_reader_who_leaves_stops_the_generation(llama_server):
    """A client that hangs up mid-answer must free the generator: before, the connection to the child
    stayed open and the child wrote the whole answer for nobody, while searches and the next asks waited
    on its cores. Seen as the child's CPU time: it keeps climbing while it generates, and stops when the
    answer is abandoned."""
    llm = ChildProcessLLM(llama_server, timeout=300)
    child = psutil.Process(llama_server.proc.pid)
    messages = [{"role": "user", "content": "Write a very long story about a harbour town, chapter by chapter."}]
    answer = llm.stream(messages, max_tokens=2000)
    next(answer)
    answer.close()
    time.sleep(1.0)  # the child notices the closed connection at its next token
    before = sum(child.cpu_times()[:2])
    time.sleep(3.0)
    assert sum(child.cpu_times()[:2]) - before < 0.5  # generating, it burns ~1 CPU-second per second per thread
