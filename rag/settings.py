"""One settings object for the whole service, read from `NEWSQA_*` environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NEWSQA_", env_file=".env", extra="ignore")

    data_dir: Path = Field(Path("data"), description="Index, article store and logs live here.")
    cache_dir: Path = Field(
        Path.home() / ".cache" / "newsqa",
        description="The assembled GGUF model file is built here once and shared by every data dir.",
    )
    seeds_dir: Path = Field(REPO_ROOT / "seeds", description="Ingested when the index is empty.")

    database_url: SecretStr | None = Field(
        None, description="postgresql://...: articles, vectors (pgvector HNSW) and words (full-text search) in "
        "PostgreSQL, shared by every API process on it; unset: the embedded store in the data dir.",
    )

    # Embedding
    embed_model_path: Path | None = Field(
        None, description="A local sentence-transformers folder; default: the packaged all-MiniLM-L6-v2."
    )
    embed_batch_size: int = 32
    embed_backend: Literal["onnx", "torch"] = Field(
        "onnx", description="onnx: the same weights in ONNX Runtime, ~3x faster per query on CPU; same vectors."
    )

    # Chunking
    chunk_max_chars: int = Field(400, description="A chunk grows sentence by sentence up to this size.")
    chunk_overlap_sentences: int = Field(1, description="Sentences repeated at the start of the next chunk.")

    # Retrieval and evidence
    retrieval: Literal["hybrid", "dense", "bm25"] = Field("hybrid", description="Ranking used to retrieve.")
    date_narrowing: bool = Field(
        True,
        description='Questions dated explicitly ("in March 2025") search articles published since; questions that'
        ' set their period from the day they are asked ("this week") search articles dated in that period.',
    )
    approx_from: int = Field(
        50_000, ge=1, description="From this many chunks the vector index is IVF (approximate) instead of exact."
    )
    ivf_nprobe: int = Field(32, ge=1, description="Inverted lists an IVF search visits (recall vs speed).")
    pg_ef_search: int = Field(
        400, ge=1, le=1000, description="Candidates a pgvector HNSW search keeps (recall vs speed; pgvector's "
        "default is 40). Measured at 100k chunks: 100 -> recall@10 0.67 in 5 ms, 400 -> 0.86 in 11 ms.",
    )
    pg_pool_size: int = Field(
        8, ge=1, le=100, description="Database connections one process holds at most (PostgreSQL allows 100 "
        "in all by default: replicas x this must stay below it).",
    )
    top_k: int = Field(5, ge=1, le=50)
    evidence_sentences: int = Field(4, ge=1, le=20, description="Sentences put in front of the model.")
    min_evidence_score: float = Field(
        0.27,
        description="Below this cosine similarity of the best sentence, nothing counts as evidence "
        "(calibrated on eval/gold.jsonl: between the closest off-topic question and the least similar "
        "answerable one).",
    )

    # Generation
    llm_backend: Literal["llama_cpp_process", "llama_cpp", "openai"] = Field(
        "llama_cpp_process",
        description="llama_cpp_process: the embedded model in a managed child process (a crash there costs "
        "one answer, not the service); llama_cpp: in this process; openai: an OpenAI-compatible server.",
    )
    llm_model_path: Path | None = Field(
        None, description="A GGUF file; default: the packaged Qwen2.5-Coder-1.5B-Instruct, assembled once."
    )
    llm_threads: int | None = Field(None, description="llama.cpp threads; default: all cores.")
    llm_context: int = 4096
    llm_max_tokens: int = 160
    llm_base_url: str = Field("http://127.0.0.1:8080/v1", description="OpenAI-compatible server.")
    llm_model: str = Field("default", description="Model name sent to the OpenAI-compatible server.")
    llm_api_key: str = Field("none", description="Key for the OpenAI-compatible server.")
    llm_timeout: float = Field(60.0, description="Seconds before a remote generation is abandoned.")

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"
