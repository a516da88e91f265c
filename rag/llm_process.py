"""The embedded model in a child process: llama-cpp-python's own OpenAI-compatible server, run and
watched by the service (as Ollama runs its llama.cpp server).

In the service's own process, a native fault in llama.cpp (the AMX crash of issue #11, an out-of-memory
kill) takes search and the article routes down with it. In a child, it costs the one answer being
written (503) and the next question starts a fresh child. The child keeps one llama.cpp context, so the
fixed prompt prefix stays cached between questions as it did in-process.
"""

from __future__ import annotations

import atexit
import ctypes
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from rag.generate import GeneratorUnavailable, OpenAICompatibleLLM, build_messages, model_path
from rag.llama_build import compiled_features
from rag.settings import Settings

START_TIMEOUT = 180.0  # seconds for the child to load the model and listen
DEATH_GRACE_S = 2.0  # how long a broken connection waits to tell a dead child from a live one


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


try:  # loaded here, not in the forked child: dlopen between fork and exec can deadlock on another thread's lock
    _LIBC = ctypes.CDLL(None, use_errno=True)
except OSError:
    _LIBC = None


def _die_with_parent() -> None:  # runs in the child before exec
    """A kill -9 of the service must not leave an orphaned model holding gigabytes of memory."""
    if _LIBC is not None:
        _LIBC.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class LlamaServerProcess:
    """One child `python -m llama_cpp.server` on a loopback port; started on demand, again after it dies."""

    def __init__(self, model_path: Path, n_ctx: int, n_threads: int | None, log_path: Path | None = None):
        self.model_path, self.n_ctx, self.n_threads = Path(model_path), n_ctx, n_threads or os.cpu_count()
        self.log_path = log_path
        self.proc: subprocess.Popen | None = None
        self.base_url = ""
        self.starts = 0
        self._lock = threading.Lock()
        atexit.register(self.stop)

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def outlives(self, seconds: float) -> bool:
        """Still running after up to `seconds`: a killed child's socket closes a moment before the process
        can be reaped, so a broken connection seen at once may be a death `running` does not show yet."""
        if self.proc is None:
            return False
        try:
            self.proc.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            return True
        return False

    def ensure(self) -> str:
        """The base URL of a running child, starting one first if there is none (or it died)."""
        with self._lock:
            if not self.running():
                self._start()
            return self.base_url

    def _start(self) -> None:
        port = _free_port()
        cmd = [
            sys.executable, "-m", "llama_cpp.server", "--model", str(self.model_path), "--host", "127.0.0.1",
            "--port", str(port), "--n_ctx", str(self.n_ctx), "--n_threads", str(self.n_threads),
            "--n_threads_batch", str(self.n_threads), "--interrupt_requests", "False", "--verbose", "False",
        ]
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        try:
            self.proc = subprocess.Popen(cmd, stdout=log, stderr=log, stdin=subprocess.DEVNULL,
                                         preexec_fn=_die_with_parent)
        finally:
            if log is not subprocess.DEVNULL:
                log.close()
        self.base_url = f"http://127.0.0.1:{port}/v1"
        self.starts += 1
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise GeneratorUnavailable(
                    f"the generator process exited with {self.proc.returncode} while starting"
                    + (f"; see {self.log_path}" if self.log_path else "")
                )
            try:
                with urllib.request.urlopen(f"{self.base_url}/models", timeout=2):
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise GeneratorUnavailable(f"the generator process did not start within {START_TIMEOUT:.0f} s")

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


class PromptTokens:
    """Counts a chat's prompt tokens as the model's own chat template renders them, from the GGUF's
    vocabulary alone (no weights: ~0.6 s and ~100 MB, once). llama-cpp-python's server streams no usage,
    and the answer's `usage` and the eval's prompt sizes need the count on the default backend. A model
    whose template llama-cpp-python replaces by a built-in format is not counted (None: unknown)."""

    def __init__(self, model_path: Path):
        self.model_path = model_path
        self._lock = threading.Lock()
        self._loaded: tuple | None = None

    def _vocabulary(self) -> tuple:
        with self._lock:
            if self._loaded is None:
                from llama_cpp import Llama
                from llama_cpp.llama_chat_format import Jinja2ChatFormatter

                vocab = Llama(str(self.model_path), vocab_only=True, verbose=False)
                formatter = None
                if vocab.chat_format == "chat_template.default":  # as the server picks it for this file
                    def text(token: int) -> str:
                        return vocab._model.token_get_text(token) if token != -1 else ""

                    formatter = Jinja2ChatFormatter(
                        template=vocab.metadata["tokenizer.chat_template"],
                        eos_token=text(vocab.token_eos()), bos_token=text(vocab.token_bos()),
                    )
                self._loaded = (vocab, formatter)
            return self._loaded

    def count(self, messages: list[dict[str, str]]) -> int | None:
        vocab, formatter = self._vocabulary()
        if formatter is None:
            return None
        rendered = formatter(messages=messages)
        return len(vocab.tokenize(rendered.prompt.encode(), add_bos=not rendered.added_special, special=True))


class ChildProcessLLM:
    """The LLM seam over a managed child: the service's default generator."""

    concurrency = 1  # one llama.cpp context in the child

    @classmethod
    def from_settings(cls, settings: Settings) -> ChildProcessLLM:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        process = LlamaServerProcess(
            model_path(settings), settings.llm_context, settings.llm_threads, settings.data_dir / "generator.log"
        )
        return cls(process, settings.llm_timeout)

    def __init__(self, process: LlamaServerProcess, timeout: float):
        self.process, self.timeout = process, timeout
        self.name = process.model_path.name
        self.prompt_tokens: int | None = None  # set when the reply ends: the server streams no usage
        self.tokens = PromptTokens(process.model_path)
        self._features = sorted(compiled_features())

    @property
    def info(self) -> dict[str, object]:
        """With the child's pid and how often it was started: a restart count that grows is a crash loop."""
        proc = self.process.proc if self.process.running() else None
        return {
            "backend": "llama_cpp_process", "model": self.name, "build_features": self._features,
            "pid": proc.pid if proc else None, "starts": self.process.starts,
        }

    def warm(self) -> None:
        """Start the child and evaluate the fixed prompt prefix in it (and load the token counter)."""
        for _ in self.stream(build_messages("warm-up", []), max_tokens=1):
            pass

    def close(self) -> None:
        self.process.stop()

    def stream(self, messages: list[dict[str, str]], max_tokens: int) -> Iterator[str]:
        client = OpenAICompatibleLLM(self.process.ensure(), "local", "none", self.timeout)
        self.prompt_tokens = None
        try:
            yield from client.stream(messages, max_tokens)
        except GeneratorUnavailable:
            if self.process.outlives(DEATH_GRACE_S):
                raise
            raise GeneratorUnavailable(
                "the generator process died; the next question starts a new one"
            ) from None
        finally:
            client.close()
        self.prompt_tokens = client.prompt_tokens or self.tokens.count(messages)
