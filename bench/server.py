"""`newsqa serve` in its own process, as users run it: for soak, fault and warm-start measurements."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

NEWSQA = str(Path(sys.executable).parent / "newsqa")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(
    url: str, path: str, seconds: float = 300, proc: subprocess.Popen | None = None, log: Path | None = None
) -> float:
    """Seconds until `url + path` answers 200; fails early (with the tail of `log`) if the server process died."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if proc is not None and proc.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:] if log else ""
            raise RuntimeError(f"the server exited with {proc.returncode}: {tail}")
        try:
            if httpx.get(url + path, timeout=5).status_code == 200:
                return time.monotonic() - started
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url}{path} not 200 within {seconds}s")


class ServeProcess:
    """Start with `start()` (returns seconds to ready), stop with `stop()` (SIGTERM) or `kill()` (SIGKILL)."""

    def __init__(self, data_dir: Path, api_key: str | None = "bench-key-0123456789", **env: str):
        """api_key=None: a server without a key (NEWSQA_API_KEY removed from the environment)."""
        self.data_dir, self.api_key, self.port = Path(data_dir), api_key, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {k: v for k, v in os.environ.items() if k != "NEWSQA_API_KEY"}
        self.env.update(NEWSQA_DATA_DIR=str(data_dir), **env, **({"NEWSQA_API_KEY": api_key} if api_key else {}))
        self.proc: subprocess.Popen | None = None
        # A file, not a pipe: nobody reads a pipe while the server runs, and a full one would block its logging.
        self.log_path = self.data_dir.parent / f"serve-{self.port}.log"

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"}

    def start(self, wait: bool = True, *args: str) -> float:
        self.data_dir.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "a") as log:
            self.proc = subprocess.Popen(
                [NEWSQA, "serve", "--port", str(self.port), *args], env=self.env, stdout=log,
                stderr=subprocess.STDOUT,
            )
        return wait_for(self.url, "/readyz", proc=self.proc, log=self.log_path) if wait else 0.0

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> str:
        """SIGTERM, then the server's whole log."""
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=60)
        return self.log()

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=60)

    def rss_mb(self) -> float:
        import psutil

        return psutil.Process(self.proc.pid).memory_info().rss / 2**20
