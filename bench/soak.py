"""A soak of a live server: clients mixing search, ask, article writes and reads for a fixed time.

Each client owns its article ids, so it knows what must be on the server at the end: every write
acknowledged with 2xx present with its latest text and retrievable, every acknowledged delete gone.
"""

from __future__ import annotations

import json
import random
import statistics
import threading
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx

from bench.server import ServeProcess

QUESTIONS = [
    "How many people were killed in the clashes in Guayaquil?",
    "When is the presidential runoff?",
    "What is the population of Guayaquil?",
]
TOPICS = ["harbour cranes", "tram depot", "river ferry", "night market", "bridge repairs", "school canteen"]


@dataclass
class SoakReport:
    seconds: float
    clients: int
    requests: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    latency_ms: dict[str, dict[str, float]] = field(default_factory=dict)
    articles_written: int = 0
    articles_deleted: int = 0
    articles_verified: int = 0
    problems: list[str] = field(default_factory=list)
    rss_mb: dict[str, float] = field(default_factory=dict)
    server_tracebacks: list[str] = field(default_factory=list)

    @property
    def server_errors(self) -> dict[str, int]:
        """5xx other than the deliberate 503 backpressure."""
        return {k: v for k, v in self.by_status.items() if k.startswith("5") and k != "503"}

    def markdown(self) -> str:
        rows = "\n".join(
            f"| {op} | {v['n']:.0f} | {v['p50']:.0f} | {v['p95']:.0f} | {v['max']:.0f} |"
            for op, v in sorted(self.latency_ms.items())
        )
        return (
            f"Soak: {self.clients} clients, {self.seconds:.0f} s, {self.requests} requests;"
            f" status counts {json.dumps(self.by_status, sort_keys=True)}\n\n"
            f"| operation | requests | p50 ms | p95 ms | max ms |\n|---|---|---|---|---|\n{rows}\n\n"
            f"Articles written {self.articles_written}, deleted {self.articles_deleted}, verified at the end"
            f" {self.articles_verified}; problems: {len(self.problems)}.\n"
            f"Server RSS MB: ready {self.rss_mb.get('ready', 0):.0f}, peak {self.rss_mb.get('peak', 0):.0f},"
            f" end {self.rss_mb.get('end', 0):.0f}.\n"
            f"Server tracebacks: {len(self.server_tracebacks)}.\n"
            + "".join(f"\n```\n{t}\n```\n" for t in self.server_tracebacks[:3])
        )


class _Client:
    def __init__(self, n: int, server: ServeProcess, deadline: float, record):
        self.n, self.server, self.deadline, self.record = n, server, deadline, record
        self.rng = random.Random(n)
        self.present: dict[str, str] = {}  # article id -> last acknowledged text
        self.deleted: set[str] = set()
        self.writes = self.deletes = 0

    def call(self, http: httpx.Client, op: str, method: str, path: str, **kwargs) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            r = http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            self.record(op, f"transport:{type(exc).__name__}", time.perf_counter() - started)
            return None
        self.record(op, str(r.status_code), time.perf_counter() - started)
        return r

    def run(self) -> None:
        with httpx.Client(base_url=self.server.url, timeout=120) as http:
            while time.monotonic() < self.deadline:
                self.step(http, self.rng.random())

    def step(self, http: httpx.Client, roll: float) -> None:
        rng, auth = self.rng, self.server.auth
        if roll < 0.30:
            self.call(http, "search", "POST", "/v1/search", json={"query": rng.choice(QUESTIONS + TOPICS)})
        elif roll < 0.40:
            self.call(http, "ask", "POST", "/v1/ask", json={"question": rng.choice(QUESTIONS)})
        elif roll < 0.65:
            article_id = f"soak-{self.n}-{rng.randrange(6)}"
            topic = rng.choice(TOPICS)
            text = (
                f"Client {self.n} reports that the {topic} project cost {rng.randrange(1, 10**6)} dollars. "
                f"Officials said the {topic} work would finish next spring."
            )
            r = self.call(http, "write", "POST", "/v1/articles", json={"id": article_id, "text": text}, headers=auth)
            if r is not None and r.is_success:
                self.present[article_id] = text
                self.deleted.discard(article_id)
                self.writes += 1
        elif roll < 0.75 and self.present:
            article_id = rng.choice(sorted(self.present))
            r = self.call(http, "delete", "DELETE", f"/v1/articles/{article_id}", headers=auth)
            if r is not None and r.status_code == 204:
                del self.present[article_id]
                self.deleted.add(article_id)
                self.deletes += 1
        elif roll < 0.875:
            self.call(http, "list", "GET", "/v1/articles", params={"limit": 20})
        else:
            self.call(http, "read", "GET", "/v1/articles/000_5e0d765c48372623")

    def verify(self, http: httpx.Client) -> list[str]:
        problems = []
        for article_id, text in self.present.items():
            r = http.get(f"/v1/articles/{article_id}")
            if r.status_code != 200 or r.json()["text"] != text:
                problems.append(f"{article_id}: acknowledged text not served ({r.status_code})")
                continue
            found = http.post("/v1/search", json={"query": text[:80], "filters": {"article_ids": [article_id]}})
            if not found.json()["passages"]:
                problems.append(f"{article_id}: present but not retrievable")
        for article_id in self.deleted:
            if http.get(f"/v1/articles/{article_id}").status_code != 404:
                problems.append(f"{article_id}: deleted but still served")
        return problems


def run_soak(data_dir: Path, seconds: float = 60, clients: int = 8) -> SoakReport:
    """Start `newsqa serve` on `data_dir`, soak it, check every acknowledged write, stop it."""
    server = ServeProcess(data_dir)
    server.start()
    report = SoakReport(seconds=seconds, clients=clients)
    lock = threading.Lock()
    latencies: dict[str, list[float]] = defaultdict(list)
    statuses: Counter[str] = Counter()

    def record(op: str, status: str, elapsed: float) -> None:
        with lock:
            latencies[op].append(elapsed * 1000)
            statuses[status] += 1

    rss = [server.rss_mb()]
    deadline = time.monotonic() + seconds
    workers = [_Client(n, server, deadline, record) for n in range(clients)]
    threads = [threading.Thread(target=w.run) for w in workers]
    try:
        for t in threads:
            t.start()
        while any(t.is_alive() for t in threads):
            rss.append(server.rss_mb())
            time.sleep(1)
        for t in threads:
            t.join()
        with httpx.Client(base_url=server.url, timeout=120) as http:
            for w in workers:
                report.problems += w.verify(http)
        rss.append(server.rss_mb())
    finally:
        report.server_tracebacks = _tracebacks(server.stop())
    report.requests = sum(statuses.values())
    report.by_status = dict(sorted(statuses.items()))
    report.latency_ms = {
        op: {
            "n": len(v), "p50": statistics.median(v), "p95": _pct(v, 0.95), "max": max(v),
        }
        for op, v in latencies.items()
    }
    report.articles_written = sum(w.writes for w in workers)
    report.articles_deleted = sum(w.deletes for w in workers)
    report.articles_verified = sum(len(w.present) + len(w.deleted) for w in workers)
    report.rss_mb = {"ready": rss[0], "peak": max(rss), "end": rss[-1]}
    return report


def _tracebacks(log: str) -> list[str]:
    """Each traceback in the server's log (up to its exception line), so an unexpected 500 explains itself."""
    found, block = [], None
    for line in log.splitlines():
        if line.startswith("Traceback (most recent call last):"):
            block = [line]
        elif block is not None:
            block.append(line)
            if not line.startswith(" "):
                found.append("\n".join(block))
                block = None
    return found


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def write(report: SoakReport, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "soak.json").write_text(json.dumps(asdict(report), indent=2))
    (out / "soak.md").write_text(report.markdown())
