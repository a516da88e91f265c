"""Reading articles from disk: the seed format, .txt/.md with front matter, and .jsonl."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from rag.types import Article, storable

SUFFIXES = (".txt", ".md", ".jsonl")
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$")

_SEED_DATE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\s+")
_FRONT_KEY = re.compile(r"^(title|date|published|source|url|id)\s*:\s*(.*?)\s*$", re.IGNORECASE)


# Publication dates outside this range are typing errors, and date arithmetic near the ends of the
# calendar ("tomorrow" on 9999-12-31) overflows: refused at ingest, so what is stored can be served.
EARLIEST, LATEST = date(1800, 1, 1), date(2199, 12, 31)
MAX_ARTICLES_PER_UPLOAD = 50_000  # a 20k-article file is an ordinary bulk upload


class ArticleError(ValueError):
    """Input that cannot become an article; the message is one line meant for the user."""


def check_text(value: str, what: str) -> str:
    try:
        return storable(value)
    except ValueError as exc:
        raise ArticleError(f"{what}: {exc}") from None


def check_id(article_id: str) -> str:
    if not ID_PATTERN.fullmatch(article_id):
        raise ArticleError(
            f"invalid article id {article_id[:60]!r}: use 1-200 letters, digits, '.', '_', ':' or '-'"
        )
    return article_id


def make_article(where: str, **fields) -> Article:
    """Validate fields into an Article, turning pydantic's report into one line."""
    if not str(fields.get("text") or "").strip():
        raise ArticleError(f"{where}: article text is empty")
    check_id(str(fields.get("id") or ""))
    for name, value in fields.items():
        if isinstance(value, str):
            check_text(value, f"{where}: field {name!r}")
    try:
        article = Article(**fields)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        raise ArticleError(f"{where}: field {field!r}: {err['msg']}") from None
    if article.published is not None and not EARLIEST <= article.published <= LATEST:
        raise ArticleError(f"{where}: field 'published': {article.published} is outside {EARLIEST}..{LATEST}")
    if article.url is not None and not re.match(r"https?://[^\s/]", article.url, re.IGNORECASE):
        raise ArticleError(f"{where}: field 'url': only http:// and https:// addresses are accepted")
    return article


def _slug(stem: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9._:-]+", "-", stem).strip("-._:")
    return slug[:200] or "article"


def parse_text(raw: str, article_id: str, where: str) -> Article:
    """Parse the seed prefix (` date YYYY-MM-DD body`) or `key: value` front matter, then the body."""
    fields: dict[str, str | date | None] = {"id": article_id}
    m = _SEED_DATE.match(raw)
    if m:
        fields["published"] = m.group(1)
        body = raw[m.end() :]
    else:
        lines = raw.splitlines(keepends=True)
        i = 1 if lines and lines[0].strip() == "---" else 0
        fenced = i == 1
        header: dict[str, str] = {}
        while i < len(lines) and (km := _FRONT_KEY.match(lines[i].strip())):
            header[km.group(1).lower()] = km.group(2)
            i += 1
        if fenced and i < len(lines) and lines[i].strip() == "---":
            i += 1
        if header and (fenced or i == len(lines) or not lines[i].strip()):
            body = "".join(lines[i:])
            published = header.pop("published", None) or header.pop("date", None)
            fields.update(header, published=published or None)
        else:
            body = raw
    return make_article(where, **fields, text=body.strip())


def parse_jsonl(raw: str, where: str) -> Iterator[Article]:
    """One article a line. Lines end at \\n only: U+2028 or U+0085 inside a JSON string is text, which
    str.splitlines() would cut. An id twice in one file is an error naming both lines."""
    first_line: dict[str, int] = {}
    for lineno, line in enumerate(raw.split("\n"), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ArticleError(f"{where}:{lineno}: invalid JSON ({exc.msg})") from None
        if not isinstance(obj, dict):
            raise ArticleError(f"{where}:{lineno}: expected a JSON object")
        if "id" not in obj:
            raise ArticleError(f"{where}:{lineno}: missing 'id'")
        keys = ("id", "title", "published", "source", "url", "text")
        article = make_article(f"{where}:{lineno}", **{k: obj.get(k) for k in keys})
        if article.id in first_line:
            raise ArticleError(
                f"{where}:{lineno}: duplicate id {article.id!r} (first on line {first_line[article.id]})"
            )
        if len(first_line) >= MAX_ARTICLES_PER_UPLOAD:
            raise ArticleError(f"{where}:{lineno}: more than {MAX_ARTICLES_PER_UPLOAD} articles in one file")
        first_line[article.id] = lineno
        yield article


def parse_bytes(data: bytes, name: str) -> list[Article]:
    """Articles from a file's bytes; `name` gives the format (.jsonl or text) and the default id."""
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ArticleError(f"{name}: not UTF-8 text") from None
    if "\x00" in raw:
        raise ArticleError(f"{name}: contains a NUL character (a binary file, not text)")
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise ArticleError(f"{name}: unsupported file type (use {', '.join(SUFFIXES)})")
    if suffix == ".jsonl":
        return list(parse_jsonl(raw, name))
    return [parse_text(raw, _slug(Path(name).stem), name)]


def read_file(path: Path) -> list[Article]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read ({exc.strerror})") from None
    return parse_bytes(data, str(path))


def find_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders to the article files inside them; a missing path is an error."""
    found: list[Path] = []
    for p in paths:
        if p.is_dir():
            found += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES)
        elif p.is_file():
            if p.suffix.lower() not in SUFFIXES:
                raise ArticleError(f"{p}: unsupported file type (use {', '.join(SUFFIXES)})")
            found.append(p)
        else:
            raise ArticleError(f"{p}: no such file or folder")
    return found


def load_articles(paths: Iterable[Path]) -> list[Article]:
    """All articles under the paths, read fully before anything is written, so bad input changes nothing."""
    articles = [a for f in find_files(paths) for a in read_file(f)]
    seen: set[str] = set()
    for a in articles:
        if a.id in seen:
            raise ArticleError(f"duplicate article id {a.id!r} in the input")
        seen.add(a.id)
    return articles
