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


def wait_for(url: str, path: str, seconds: float = 300, proc: subprocess.Popen | None = None) -> float:
    """Seconds until `url + path` answers 200; fails early if the server process died."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}: {proc.stdout.read()[-2000:]}")
        try:
            if httpx.get(url + path, timeout=5).status_code == 200:
                return time.monotonic() - started
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url}{path} not 200 within {seconds}s")


class ServeProcess:
    """Start with `start()` (returns seconds to ready), stop with `stop()` (SIGTERM) or `kill()` (SIGKILL)."""

    def __init__(self, data_dir: Path, api_key: str = "k", **env: str):
        self.data_dir, self.api_key, self.port = Path(data_dir), api_key, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "NEWSQA_DATA_DIR": str(data_dir), "NEWSQA_API_KEY": api_key, **env}
        self.proc: subprocess.Popen | None = None

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"}

    def start(self, wait: bool = True) -> float:
        self.proc = subprocess.Popen(
            [NEWSQA, "serve", "--port", str(self.port)], env=self.env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        return wait_for(self.url, "/readyz", proc=self.proc) if wait else 0.0

    def stop(self) -> str:
        """SIGTERM, then the server's whole log."""
        self.proc.send_signal(signal.SIGTERM)
        out, _ = self.proc.communicate(timeout=60)
        return out

    def kill(self) -> None:
        self.proc.kill()
        self.proc.communicate(timeout=60)

    def rss_mb(self) -> float:
        import psutil

        return psutil.Process(self.proc.pid).memory_info().rss / 2**20
