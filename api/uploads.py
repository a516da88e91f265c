"""Turns an article upload (JSON body or multipart file) into articles, never reading past the size limit."""

from __future__ import annotations

import json

from fastapi import HTTPException, Request
from pydantic import ValidationError
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from api.schemas import ArticleIn
from rag.articles import ArticleError, make_article, parse_bytes
from rag.types import Article


async def _read_limited(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, f"article upload larger than {limit} bytes")
    body = bytearray()
    async for part in request.stream():
        body += part
        if len(body) > limit:
            raise HTTPException(413, f"article upload larger than {limit} bytes")
    return bytes(body)


def _from_json(body: bytes) -> Article:
    try:
        data = ArticleIn.model_validate(json.loads(body))
    except json.JSONDecodeError as exc:
        raise HTTPException(422, f"invalid JSON: {exc.msg}") from None
    except ValidationError as exc:
        err = exc.errors()[0]
        raise HTTPException(422, f"{'.'.join(map(str, err['loc'])) or 'body'}: {err['msg']}") from None
    fields = data.model_dump()
    if not fields["id"]:  # the same text posted twice gets the same id, so it is not duplicated
        fields["id"] = "a-" + Article(id="x", text=data.text).content_hash[:16]
    return make_article("article", **fields)


async def _from_multipart(request: Request, body: bytes) -> list[Article]:
    async def stream():
        yield body

    try:
        form = await MultiPartParser(request.headers, stream(), max_files=1).parse()
    except MultiPartException as exc:
        raise HTTPException(422, f"invalid multipart body: {exc.message}") from None
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise HTTPException(422, "multipart upload needs a 'file' field with a file name")
    return parse_bytes(await upload.read(), upload.filename)


async def read_articles(request: Request, limit: int) -> list[Article]:
    body = await _read_limited(request, limit)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        if kind == "application/json":
            return [_from_json(body)]
        if kind == "multipart/form-data":
            return await _from_multipart(request, body)
    except ArticleError as exc:
        raise HTTPException(422, str(exc)) from None
    raise HTTPException(415, "send application/json or multipart/form-data with a 'file' field")
