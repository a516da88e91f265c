"""Shared fixtures: the real embedded models load once per test session."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pytest

from rag.embed import Embedder
from rag.generate import load_llm
from rag.pipeline import Pipeline
from rag.settings import REPO_ROOT, Settings

SEED = REPO_ROOT / "seeds" / "000_5e0d765c48372623.txt"


class ScriptedLLM:
    """Replies with fixed text, for tests of the logic around the model."""

    name = "scripted"
    info = {"backend": "scripted", "model": "scripted"}

    def __init__(self, reply: str):
        self.reply = reply
        self.prompt_tokens = 0
        self.calls: list[list[dict[str, str]]] = []

    def warm(self) -> None:
        pass

    def close(self) -> None:
        pass

    def stream(self, messages, max_tokens):
        self.calls.append(messages)
        for word in self.reply.split(" "):
            yield word + " "


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return Embedder()


@pytest.fixture(scope="session")
def llm():
    """The embedded model in this process (the tests of what the model does share it)."""
    return load_llm(Settings(llm_backend="llama_cpp"))


def make_settings(data_dir: Path, **overrides) -> Settings:
    return Settings(data_dir=data_dir, **overrides)


@pytest.fixture()
def settings(tmp_path) -> Settings:
    return make_settings(tmp_path / "data")


@pytest.fixture()
def empty_pipeline(settings, embedder) -> Pipeline:
    """A pipeline on a fresh data dir; its LLM is set by the test (scripted) or loaded lazily."""
    return Pipeline(settings, embedder=embedder)


@pytest.fixture(scope="session")
def seeded(tmp_path_factory, embedder, llm) -> Pipeline:
    """The real pipeline over the seed articles, shared by the answer tests."""
    settings = make_settings(tmp_path_factory.mktemp("seeded") / "data")
    pipeline = Pipeline(settings, embedder=embedder, llm=llm)
    pipeline.ensure_seeded()
    return pipeline


@pytest.fixture()
def seed_copy(tmp_path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    return folder


@pytest.fixture(scope="session")
def postgres(tmp_path_factory):
    """A private PostgreSQL 16 with pgvector from the `pgserver` package, started once per session."""
    import pgserver

    server = pgserver.get_server(tmp_path_factory.mktemp("postgres"), cleanup_mode="stop")
    yield server
    server.cleanup()


def fresh_database(postgres) -> str:
    """The URL of a new, empty database on the session's server."""
    import psycopg

    name = f"newsqa_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres.get_uri(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return postgres.get_uri().replace("/postgres?", f"/{name}?")
