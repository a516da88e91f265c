"""Settings of the HTTP service only, read from the same `NEWSQA_*` environment variables.

The pipeline never sees these: who may write, how large a body may be, how many answers are written at
once and how long a stalled client is kept are questions for the web layer.
"""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class WebSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NEWSQA_", env_file=".env", extra="ignore")

    api_key: SecretStr | None = Field(None, description="When set, writes need `Authorization: Bearer <key>`.")
    api_key_read: bool = Field(False, description="Also require the key for ask, search, reads and /metrics.")
    allow_open_writes: bool = Field(
        False, description="Serve on a non-loopback interface without an API key (anyone can write and delete).",
    )
    cors_origins: list[str] = Field(default_factory=list, description='JSON list, e.g. ["https://x.org"].')
    max_article_bytes: int = Field(5_000_000, description="Larger article uploads get 413.")
    max_request_bytes: int = Field(
        262_144, ge=1024, description="Larger bodies on every other route (ask, search) get 413 before parsing.",
    )
    index_save_delay: float = Field(
        5.0, ge=0, description="Seconds after an API write before the vector file is rewritten (writes in "
        "between share one rewrite; the article store is durable at once)."
    )
    ask_concurrency: int | None = Field(
        None, ge=1, description="Answers written at once. Follows the generator: an embedded model writes one "
        "(a second would only slow both); a served one (NEWSQA_LLM_BACKEND=openai) as many as set here, "
        "default 4: match the server's parallel slots.",
    )
    ask_queue: int = Field(8, ge=0, description="Asks waiting beyond that; more get 503 with Retry-After.")
    stream_send_timeout: float = Field(
        30.0, gt=0, description="A streamed answer whose client reads nothing for this long is dropped.",
    )
