"""What the generator's child process costs: time to first token and total per question, with the model
in the service's own process and in the default child (llama-cpp-python's server on loopback), the same
questions over the seed article in one run, one backend after the other."""

from __future__ import annotations

import statistics
from pathlib import Path

from rag.embed import Embedder
from rag.pipeline import Pipeline
from rag.settings import Settings

BACKENDS = ("llama_cpp", "llama_cpp_process")


def measure(embedder: Embedder, questions: list[str], work: Path, repeats: int) -> list[dict]:
    rows = []
    for backend in BACKENDS:
        pipeline = Pipeline(Settings(data_dir=work / backend, llm_backend=backend), embedder=embedder)
        try:
            pipeline.ensure_seeded()
            pipeline.llm.warm()  # the prefix cache filled, as a served model is before /readyz
            first, total = [], []
            for _ in range(repeats):
                for question in questions:
                    timings = pipeline.ask(question).timings
                    if "prompt_ms" in timings:  # abstentions before the model have no first token
                        first.append(timings["prompt_ms"])
                        total.append(timings["total_ms"])
        finally:
            pipeline.close()
        rows.append({
            "backend": backend, "asks": len(first),
            "ttft_p50_ms": round(statistics.median(first), 1), "total_p50_ms": round(statistics.median(total), 1),
        })
    base = rows[0]
    for row in rows:
        row["ttft_ratio"] = round(row["ttft_p50_ms"] / base["ttft_p50_ms"], 2)
        row["total_ratio"] = round(row["total_p50_ms"] / base["total_p50_ms"], 2)
    return rows
