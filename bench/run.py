"""`newsqa bench`: every stage against its raw limit or a baseline, measured in the same run.

Each figure is a median over repeats; a ratio compares with its reference measured in this run, so the
table holds on other machines as well as the absolute numbers do not.
"""

from __future__ import annotations

import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rag.settings import REPO_ROOT

RGB = REPO_ROOT.parent / "shared" / "datasets" / "rgb" / "en_fact.jsonl"


@dataclass(frozen=True)
class Plan:
    retrieval_sizes: tuple[int, ...]
    warm_start_chunks: int
    repeats: int
    questions: int


FULL = Plan(retrieval_sizes=(10_000, 100_000, 1_000_000), warm_start_chunks=100_000, repeats=5, questions=6)
QUICK = Plan(retrieval_sizes=(2_000, 20_000), warm_start_chunks=20_000, repeats=3, questions=3)


def median_time(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def machine() -> dict:
    import psutil

    return {
        "cpu": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "os": platform.platform(terse=True),
    }


def bench_corpus():
    """The RGB development articles when present (read in place), else the native gold corpus."""
    from eval import datasets

    if RGB.exists():
        return datasets.load_rgb(RGB).articles
    return datasets.load_native().articles


def gold_questions() -> list[str]:
    from eval import datasets

    return [c.question for c in datasets.load_native().cases]


STAGES = ("generator", "isolation", "ingest", "postgres", "retrieval", "warm_start", "end_to_end", "hangups", "upload")


BACKENDS = ("embedded", "postgres")


def run(
    plan: Plan, out: Path, progress: Callable[[str], None] = print, only: tuple[str, ...] = STAGES,
    backends: tuple[str, ...] = BACKENDS,
) -> dict:
    """`backends`: the stores whose ingest is measured; the `postgres` stage runs only with PostgreSQL."""
    from bench import (
        end_to_end, generator_builds, generator_process, hangups, ingest, pg_retrieval, retrieval, upload_health,
        warm_start,
    )
    from rag.embed import Embedder
    from rag.model_file import ensure_model_file
    from rag.settings import Settings

    embedder = Embedder()
    settings = Settings()
    results: dict = {"machine": machine(), "plan": plan.__dict__, "backends": list(backends),
                     "started": time.strftime("%Y-%m-%d %H:%M")}
    with tempfile.TemporaryDirectory(prefix="newsqa-bench-") as tmp:
        work = Path(tmp)
        stages: dict[str, tuple[str, Callable[[], object]]] = {
            "generator": ("generator builds: prefill and decode", lambda: generator_builds.measure(
                ensure_model_file(settings.cache_dir), settings.cache_dir / "wheels", plan.repeats)),
            "isolation": ("generator in-process vs child process: time to first token", lambda: (
                generator_process.measure(embedder, end_to_end.SEED_QUESTIONS, work / "isolation", plan.repeats))),
            "ingest": ("ingest throughput", lambda: ingest.measure(
                embedder, bench_corpus(), gold_questions(), work / "ingest", plan.repeats, backends)),
            "postgres": ("vector search: pgvector HNSW vs FAISS IVF vs exact", lambda: pg_retrieval.measure(
                embedder, plan.retrieval_sizes[1], plan.repeats)),
            "retrieval": ("retrieval latency and recall", lambda: retrieval.measure(
                embedder, plan.retrieval_sizes, plan.repeats)),
            "warm_start": ("warm start", lambda: warm_start.measure(
                embedder, plan.warm_start_chunks, work / "warm")),
            "end_to_end": ("end to end, newsqa vs CitationQueryEngine", lambda: end_to_end.measure(
                work / "e2e", plan.questions)),
            "hangups": ("search while 8 clients ask and hang up", lambda: hangups.measure(
                10 * plan.repeats)),
            "upload": ("/healthz during a large JSONL upload", lambda: upload_health.measure(
                4_000 * plan.repeats)),
        }
        for name in only:
            if name == "postgres" and "postgres" not in backends:
                continue
            label, measure = stages[name]
            progress(label)
            results[name] = measure()
    results["finished"] = time.strftime("%Y-%m-%d %H:%M")
    from bench import report

    report.write(results, out)
    return results


def synthetic_vectors(base: np.ndarray, n: int, seed: int = 0) -> np.ndarray:
    """`n` unit vectors near mixtures of real chunk embeddings: clustered like a real corpus."""
    rng = np.random.default_rng(seed)
    out = np.empty((n, base.shape[1]), dtype=np.float32)
    for start in range(0, n, 100_000):
        m = min(100_000, n - start)
        a, b = rng.integers(0, len(base), m), rng.integers(0, len(base), m)
        v = base[a] + 0.5 * base[b] + rng.normal(0, 0.03, (m, base.shape[1])).astype(np.float32)
        out[start : start + m] = v / np.linalg.norm(v, axis=1, keepdims=True)
    return out
