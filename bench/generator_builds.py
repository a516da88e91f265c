"""Prefill and decode speed of the llama.cpp build set-up chooses, against the builds it could have chosen.

Each build is a cached wheel (rag.llama_build.wheel_for) unpacked into its own folder and measured by the
same child-process probe set-up runs, so a build that crashes on this CPU (the native one on an AMX CPU)
is a row that says so rather than the end of the bench.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from pathlib import Path

from rag import llama_build


def candidates() -> dict[str, llama_build.Build]:
    flags = llama_build.cpu_flags()
    return {
        "chosen": llama_build.chosen_build(),
        "AVX2 only": llama_build.choose(flags, avx512=False),
        "native (llama.cpp default)": llama_build.Build(()),
    }


def _unpacked(build: llama_build.Build, wheel_dir: Path) -> Path:
    site = wheel_dir / build.key / "site"
    if not site.exists():
        wheel = llama_build.wheel_for(build, wheel_dir)
        tmp = site.with_name(f"site.{os.getpid()}.tmp")
        cmd = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(tmp), str(wheel)]
        subprocess.run(cmd, check=True)
        os.replace(tmp, site)
    return site


def measure(model: Path, wheel_dir: Path, repeats: int) -> list[dict]:
    rows = []
    for name, build in candidates().items():
        site = _unpacked(build, wheel_dir)
        env = {**os.environ, "PYTHONPATH": str(site)}
        results = [llama_build.probe(model, tokens=32, env=env) for _ in range(repeats)]
        ok = [r for r in results if r.ok]
        rows.append({
            "build": name,
            "cmake_args": build.describe(),
            "features": ok[0].features if ok else [],
            "outcome": "ok" if len(ok) == len(results) else next(r.detail for r in results if not r.ok),
            "prefill_tps": round(statistics.median(r.prefill_tps for r in ok), 1) if ok else None,
            "decode_tps": round(statistics.median(r.decode_tps for r in ok), 1) if ok else None,
        })
    chosen = rows[0]
    for row in rows:
        if row["prefill_tps"] and chosen["prefill_tps"]:
            row["prefill_vs_chosen"] = round(row["prefill_tps"] / chosen["prefill_tps"], 2)
            row["decode_vs_chosen"] = round(row["decode_tps"] / chosen["decode_tps"], 2)
    return rows
