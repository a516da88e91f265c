"""A size limit on every request body, enforced before anything parses it.

Uploads have their own, larger limit, checked while the upload is read (api/uploads.py); every other body
(ask, search, and whatever a client sends to a route that takes none) is JSON of a few kilobytes, so it is
read here up to `max_bytes` and refused with 413 beyond that, before FastAPI decodes a byte of it.
"""

from __future__ import annotations

import asyncio
import json
import logging

from starlette.responses import StreamingResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("newsqa")


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int, exempt: set[tuple[str, str]]):
        self.app, self.max_bytes, self.exempt = app, max_bytes, exempt

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or (scope["method"], scope["path"]) in self.exempt:
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if len(body) > self.max_bytes:
                await self._refuse(send)
                return
            if not message.get("more_body"):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()  # after the body: a disconnect, for streaming responses to notice

        await self.app(scope, replay, send)

    async def _refuse(self, send: Send) -> None:
        detail = json.dumps({"detail": f"request body larger than {self.max_bytes} bytes"}).encode()
        await send({
            "type": "http.response.start", "status": 413,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(detail)).encode())],
        })
        await send({"type": "http.response.body", "body": detail})


class StalledReaderTimeout(StreamingResponse):
    """A stream whose client stopped reading: once the socket's buffers are full a send waits, and it
    would wait forever. After `timeout` seconds of one send waiting, the stream ends (the connection is
    closed by the server), so a stalled reader holds neither a connection nor the generation behind it."""

    def __init__(self, content, timeout: float, **kwargs):
        super().__init__(content, **kwargs)
        self.send_timeout = timeout

    async def stream_response(self, send: Send) -> None:
        async def timed(message: Message) -> None:
            await asyncio.wait_for(send(message), self.send_timeout)

        try:
            await super().stream_response(timed)
        except TimeoutError:
            reason = f"client read nothing for {self.send_timeout} s"
            log.warning(json.dumps({"event": "stream_dropped", "reason": reason}))
            await self.body_iterator.aclose()  # stops the generation behind it
