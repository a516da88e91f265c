"""The ONNX backend must give the vectors the torch model gives: an index built by one is searched by the other."""

import numpy as np

from rag.articles import load_articles
from rag.chunking import chunk_article
from rag.embed import Embedder
from rag.settings import REPO_ROOT


def test_onnx_vectors_match_the_torch_model_on_every_length(embedder):
    torch_embedder = Embedder(backend="torch")
    seed_chunks = [c.text for a in load_articles([REPO_ROOT / "seeds"]) for c in chunk_article(a, 400)]
    texts = seed_chunks + ["", "Guayaquil", "word " * 600] + [f"clause {i}, " * (i % 40 + 1) for i in range(70)]

    onnx, reference = embedder.encode(texts), torch_embedder.encode(texts)

    assert embedder.backend == "onnx" and torch_embedder.backend == "torch"
    assert onnx.shape == reference.shape == (len(texts), embedder.dim) and onnx.dtype == np.float32
    assert np.allclose(np.linalg.norm(onnx, axis=1), 1.0, atol=1e-5)
    assert float((onnx * reference).sum(axis=1).min()) > 0.9999
    assert embedder.encode([]).shape == (0, embedder.dim)
