"""Fuzz every operation from the OpenAPI schema against a live server: no input may cause a 5xx.

The LLM is scripted here (the fuzzing is of the HTTP surface, and real generations would make each example
take seconds); the embedder, index and verification are the real ones.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from api.app import create_app
from api.settings import WebSettings
from rag.pipeline import Pipeline
from rag.settings import Settings
from tests.conftest import ScriptedLLM, make_settings
from tests.live import LiveServer

KEY = "fuzz-key-0123456789"


@pytest.fixture(scope="module")
def fuzzed_server(tmp_path_factory, embedder):
    settings = make_settings(tmp_path_factory.mktemp("fuzz") / "data")
    pipeline = Pipeline(settings, embedder=embedder, llm=ScriptedLLM("22 people were killed [1]."))
    with LiveServer(create_app(settings, pipeline, web_settings=WebSettings(api_key=KEY, ask_queue=64))) as srv:
        yield srv


# The schema the server publishes; building the app loads nothing, so this is cheap at import time.
schema = schemathesis.openapi.from_dict(create_app(Settings()).openapi())


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_input_causes_a_server_error(case, fuzzed_server):
    case.call_and_validate(
        base_url=fuzzed_server.url, headers={"Authorization": f"Bearer {KEY}"}, checks=[not_a_server_error],
        timeout=60,
    )
